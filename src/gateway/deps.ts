/**
 * @module gateway/deps — what the execution path needs from the world, for the plan being served: every
 * capability's secrets (resolved again at each reload, keeping the very same values object for a capability whose
 * secrets did not change, so what was built from them stays valid), upstream overrides, one HTTP client, OAuth token
 * sources, the clock, randomness and fetch. Tests pass their own clock, client or fetch.
 */
import type { Plan, UpstreamPlan } from '../plan/types.ts';
import { createHttpClient, type HttpClient } from '../consume/http.ts';
import { realClock, type Clock } from '../common/clock.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
import type { Observer } from '../common/observe.ts';
import { resolveSecrets } from '../secrets/resolve.ts';
import type { SecretOwner, SecretValues } from '../secrets/types.ts';

export interface DepsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** namespace → base URL (from --upstream and CAPGATE_UPSTREAMS). */
  readonly overrides?: ReadonlyMap<string, string>;
  readonly http?: HttpClient;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  /** Told about every upstream call and wait (metrics). */
  readonly observer?: Observer;
}

/** Deps that follow the served plan: `refresh` resolves the secrets of a new plan's capabilities. */
export interface LiveDeps extends InvokeDeps {
  refresh(plan: Plan): Promise<void>;
  /** The gateway is stopping: waits in progress answer with what they have. */
  drain(): void;
}

const NO_SECRETS: SecretValues = { values: new Map(), missing: new Map() };

export async function createDeps(plan: Plan, opts: DepsOptions = {}): Promise<LiveDeps> {
  const env = opts.env ?? process.env;
  const overrides = opts.overrides ?? new Map<string, string>();
  let secrets = new Map<SecretOwner, SecretValues>();
  /** The last values per capability file, to keep an unchanged capability's values object across reloads. */
  let byFile = new Map<string, SecretValues>();
  const draining = new AbortController();
  const deps: LiveDeps = {
    http: opts.http ?? createHttpClient(),
    secretsOf: (owner) => secrets.get(owner) ?? NO_SECRETS,
    overrideOf: (u: UpstreamPlan) => overrides.get(u.namespace),
    clock: opts.clock ?? realClock,
    random: opts.random ?? Math.random,
    tokenSources: new WeakMap(),
    fetch: opts.fetch ?? fetch,
    ...(opts.observer ? { observer: opts.observer } : {}),
    draining: draining.signal,
    drain: () => draining.abort('the gateway is stopping'),
    async refresh(next) {
      const nextSecrets = new Map<SecretOwner, SecretValues>();
      const nextByFile = new Map<string, SecretValues>();
      for (const cap of next.capabilities) {
        const fresh = await resolveSecrets(cap, env);
        const before = secrets.get(cap) ?? byFile.get(cap.file);
        const kept = before && sameSecrets(before, fresh) ? before : fresh;
        nextSecrets.set(cap, kept);
        nextByFile.set(cap.file, kept);
      }
      secrets = nextSecrets;
      byFile = nextByFile;
    },
  };
  await deps.refresh(plan);
  return deps;
}

function sameSecrets(a: SecretValues, b: SecretValues): boolean {
  return sameMap(a.values, b.values) && sameMap(a.missing, b.missing);
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Parse `ns=url` pairs (repeatable flag values or a comma-separated env value). */
export function parseOverrides(pairs: readonly string[]): { overrides: Map<string, string>; errors: string[] } {
  const overrides = new Map<string, string>();
  const errors: string[] = [];
  for (const pair of pairs
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = pair.indexOf('=');
    const ns = pair.slice(0, i).trim();
    const url = pair.slice(i + 1).trim();
    if (i <= 0 || !/^https?:\/\/[^/\s]+/i.test(url))
      errors.push(`invalid upstream override '${pair}' (expected <namespace>=http(s)://host[/path])`);
    else overrides.set(ns, url);
  }
  return { overrides, errors };
}
