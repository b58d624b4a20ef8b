/**
 * @module runtime/context — everything the execution path needs from the world, injected:
 * HTTP client, secrets, upstream overrides, clock and randomness. Built once per gateway.
 */
import type { HttpClient } from '../consume/http.ts';
import type { CapabilityPlan, UpstreamPlan } from '../plan/types.ts';
import type { SecretValues } from '../secrets/resolve.ts';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with CANCELLED when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Runtime {
  readonly http: HttpClient;
  secretsOf(cap: CapabilityPlan): SecretValues;
  /** Base URL replacing an upstream's baseUri (from --upstream / CAPGATE_UPSTREAMS). */
  overrideOf(upstream: UpstreamPlan): string | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  /** Per-upstream OAuth2 client-credential token sources, created lazily. */
  readonly tokenSources: Map<string, { getToken(): Promise<string>; invalidate(): void }>;
  readonly fetch: typeof fetch;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
