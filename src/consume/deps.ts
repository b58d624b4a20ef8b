/**
 * @module consume/deps — what calling an upstream needs from the world, injected: the HTTP client,
 * the capability's resolved secrets, base-URL overrides, OAuth token sources, fetch and the clock.
 * The gateway builds one per plan (gateway/deps.ts); unit tests pass fakes.
 */
import type { Clock } from '../common/clock.ts';
import type { Observer } from '../common/observe.ts';
import type { UpstreamPlan } from '../plan/types.ts';
import type { SecretOwner, SecretValues } from '../secrets/types.ts';
import type { HttpClient } from './http.ts';

export interface TokenSource {
  getToken(): Promise<string>;
  invalidate(): void;
}

export interface ConsumeDeps {
  readonly http: HttpClient;
  /** The resolved bind values of a capability (never logged). */
  secretsOf(owner: SecretOwner): SecretValues;
  /** Base URL replacing an upstream's baseUri (from --upstream / CAPGATE_UPSTREAMS). */
  overrideOf(upstream: UpstreamPlan): string | undefined;
  /**
   * OAuth2 client-credential token sources, created lazily per upstream. Keyed by the planned upstream itself: a
   * reloaded file whose consumer changed gets a new plan object, hence a new source with its new credentials.
   */
  readonly tokenSources: WeakMap<UpstreamPlan, TokenSource>;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  /** Told about every upstream call (metrics); none in unit tests. */
  readonly observer?: Observer;
}
