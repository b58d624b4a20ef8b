/**
 * @module gateway/deps — build what the execution path needs from the world for one plan:
 * every capability's secrets resolved once, upstream overrides, one shared HTTP client, the
 * clock, randomness and fetch. Tests pass their own clock, client or fetch.
 */
import type { Plan, UpstreamPlan } from '../plan/types.ts';
import { createHttpClient, type HttpClient } from '../consume/http.ts';
import { realClock, type Clock } from '../common/clock.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
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
}

const NO_SECRETS: SecretValues = { values: new Map(), missing: new Map() };

export async function createDeps(plan: Plan, opts: DepsOptions = {}): Promise<InvokeDeps> {
  const env = opts.env ?? process.env;
  const secrets = new Map<SecretOwner, SecretValues>();
  for (const cap of plan.capabilities) secrets.set(cap, await resolveSecrets(cap, env));
  const overrides = opts.overrides ?? new Map<string, string>();
  return {
    http: opts.http ?? createHttpClient(),
    secretsOf: (owner) => secrets.get(owner) ?? NO_SECRETS,
    overrideOf: (u: UpstreamPlan) => overrides.get(u.namespace),
    clock: opts.clock ?? realClock,
    random: opts.random ?? Math.random,
    tokenSources: new Map(),
    fetch: opts.fetch ?? fetch,
  };
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
