/**
 * @module gateway/adapter-auth — the authentication of a REST or MCP adapter that declares one,
 * with `{{VAR}}` secrets rendered from the capability's binds once, when the gateway is built.
 * A secret that cannot be resolved fails closed: every request to that adapter fails with
 * SECRET_MISSING (503, naming the variable), which each exposer maps in its own error module.
 */
import { createServerAuthenticator, type ServerAuthenticator, type ServerAuthSpec } from '../auth/index.ts';
import { GatewayError } from '../common/errors.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
import type { AdapterRef } from '../plan/types.ts';
import { renderSecretText, secretLookup } from '../secrets/inject.ts';

export interface AdapterAuth {
  /**
   * undefined = let the request through; a Response = the 401/403 to send; throws when the adapter's authentication
   * cannot work.
   */
  authenticate(req: Request): Promise<Response | undefined>;
  wellKnown?(req: Request): Response | undefined;
}

export interface AdapterAuthOptions {
  /** Key signing Digest nonces, shared by replicas (GatewayOptions.digestKey). */
  readonly digestKey?: string;
}

export function adapterAuth(
  adapter: AdapterRef,
  deps: InvokeDeps,
  opts: AdapterAuthOptions = {},
): AdapterAuth | undefined {
  if (!adapter.auth) return undefined;
  const lookup = secretLookup(adapter.capability, deps.secretsOf(adapter.capability), {});
  const missing: string[] = [];
  const spec = Object.fromEntries(
    Object.entries(adapter.auth).map(([k, v]) => {
      if (typeof v !== 'string') return [k, v];
      const r = renderSecretText(v, lookup);
      missing.push(...r.missing);
      return [k, r.text];
    }),
  ) as unknown as ServerAuthSpec;
  let authenticator: ServerAuthenticator;
  try {
    if (missing.length) {
      throw new GatewayError(
        'SECRET_MISSING',
        `adapter '${adapter.namespace}' authentication needs ${missing.map((m) => `'${m}'`).join(', ')}, which is not set`,
      );
    }
    authenticator = createServerAuthenticator(spec, {
      fetch: deps.fetch,
      now: deps.clock.now,
      ...(opts.digestKey !== undefined && { digestKey: opts.digestKey }),
    });
  } catch (err) {
    const failure =
      err instanceof GatewayError
        ? err
        : new GatewayError('NOT_SUPPORTED', `adapter '${adapter.namespace}' authentication is not supported`);
    return {
      authenticate: () => Promise.reject(failure),
    };
  }
  return {
    authenticate: (req) => authenticator.authenticate(req),
    ...(authenticator.wellKnown ? { wellKnown: (req: Request) => authenticator.wellKnown!(req) } : {}),
  };
}
