/**
 * @module gateway/server-auth — authenticators for adapters that declare `authentication`,
 * with `{{VAR}}` secrets taken from the capability's binds. A secret that cannot be resolved
 * fails closed: every request to that adapter gets 503 naming the variable (never open).
 */
import { createServerAuthenticator, type ServerAuthenticator, type ServerAuthSpec } from '../auth/index.ts';
import type { AdapterRef } from '../plan/types.ts';
import type { Runtime } from '../invoke/deps.ts';
import { compileTemplate, renderTemplate } from '../mapping/template.ts';
import { requestLookup } from '../mapping/scope.ts';
import { GatewayError } from '../common/errors.ts';

export type AdapterGuard = (req: Request) => Promise<Response | undefined>;

export interface AdapterAuth {
  readonly guard: AdapterGuard;
  readonly authenticator?: ServerAuthenticator;
}

export function adapterAuth(adapter: AdapterRef, rt: Runtime, deny: (err: GatewayError) => Response): AdapterAuth | undefined {
  if (!adapter.auth) return undefined;
  const secrets = rt.secretsOf(adapter.capability);
  const lookup = requestLookup(adapter.capability, secrets, {});
  const missing: string[] = [];
  const spec = Object.fromEntries(
    Object.entries(adapter.auth).map(([k, v]) => {
      if (typeof v !== 'string' || !v.includes('{{')) return [k, v];
      const r = renderTemplate(compileTemplate(v), lookup);
      missing.push(...r.missing);
      return [k, r.text];
    }),
  ) as unknown as ServerAuthSpec;
  let authenticator: ServerAuthenticator | undefined;
  let failure: GatewayError | undefined;
  if (missing.length) failure = new GatewayError('SECRET_MISSING', `adapter '${adapter.namespace}' authentication needs ${missing.map((m) => `'${m}'`).join(', ')}, which is not set`);
  else {
    try {
      authenticator = createServerAuthenticator(spec, { fetch: rt.fetch, now: rt.clock.now });
    } catch (err) {
      failure = err instanceof GatewayError ? err : new GatewayError('NOT_SUPPORTED', `adapter '${adapter.namespace}' authentication is not supported`);
    }
  }
  return {
    authenticator,
    guard: async (req) => (failure ? deny(failure) : authenticator!.authenticate(req)),
  };
}
