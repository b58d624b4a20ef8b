/**
 * @module gateway/runtime — build the Runtime for a plan: resolve every capability's secrets
 * once (reporting the missing ones), apply upstream overrides, share one HTTP client.
 */
import type { Plan, UpstreamPlan, CapabilityPlan } from '../plan/types.ts';
import { createHttpClient, type HttpClient } from '../consume/http.ts';
import { realClock, type Clock, type Runtime } from '../invoke/deps.ts';
import { resolveSecrets, type SecretValues } from '../secrets/resolve.ts';

export interface RuntimeOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** namespace → base URL (from --upstream and CAPGATE_UPSTREAMS). */
  readonly overrides?: ReadonlyMap<string, string>;
  readonly http?: HttpClient;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

export async function createRuntime(plan: Plan, opts: RuntimeOptions = {}): Promise<Runtime> {
  const env = opts.env ?? process.env;
  const secrets = new Map<CapabilityPlan, SecretValues>();
  for (const cap of plan.capabilities) secrets.set(cap, await resolveSecrets(cap, env));
  const overrides = opts.overrides ?? new Map();
  const empty: SecretValues = { values: new Map(), missing: new Map() };
  return {
    http: opts.http ?? createHttpClient(),
    secretsOf: (cap) => secrets.get(cap) ?? empty,
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
  for (const pair of pairs.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean)) {
    const i = pair.indexOf('=');
    const ns = pair.slice(0, i).trim();
    const url = pair.slice(i + 1).trim();
    if (i <= 0 || !/^https?:\/\/[^/\s]+/i.test(url)) errors.push(`invalid upstream override '${pair}' (expected <namespace>=http(s)://host[/path])`);
    else overrides.set(ns, url);
  }
  return { overrides, errors };
}
