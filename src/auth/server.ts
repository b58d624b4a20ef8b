/**
 * @module auth/server — builds the authenticator protecting a REST or MCP adapter from its
 * `authentication` block: bearer, apikey, basic, digest or oauth2 (resource server).
 */
import { GatewayError } from '../common/errors.ts';
import { quote } from './challenge-parse.ts';
import { safeEqual } from './constant-time.ts';
import { deny } from './denial.ts';
import { createDigestVerifier } from './digest-server.ts';
import { bearerToken, createOAuthResourceAuthenticator } from './oauth-resource.ts';
import type { ServerAuthDeps, ServerAuthenticator, ServerAuthSpec } from './types.ts';

/** Throws GatewayError at load time for unknown types or empty secrets, never per request. */
export function createServerAuthenticator(spec: ServerAuthSpec, deps: ServerAuthDeps = {}): ServerAuthenticator {
  const realm = deps.realm ?? 'capgate';
  const now = deps.now ?? Date.now;
  switch (spec.type) {
    case 'bearer':
      requireSecrets(spec.type, { token: spec.token });
      return sync((req) => checkBearer(req, spec.token, realm));
    case 'apikey':
      requireSecrets(spec.type, { key: spec.key, value: spec.value });
      return sync((req) => checkApiKey(req, spec, realm));
    case 'basic':
      requireSecrets(spec.type, { username: spec.username, password: spec.password });
      return sync((req) => checkBasic(req, spec.username, spec.password, realm));
    case 'digest':
      requireSecrets(spec.type, { username: spec.username, password: spec.password });
      return sync(
        createDigestVerifier({
          username: spec.username,
          password: spec.password,
          realm,
          now,
          nonceKey: deps.digestKey,
        }),
      );
    case 'oauth2':
      requireSecrets(spec.type, { authorizationServerUri: spec.authorizationServerUri });
      return createOAuthResourceAuthenticator(spec, { fetch: deps.fetch ?? fetch, now });
    default: {
      const type = String((spec as { type?: unknown }).type);
      throw new GatewayError('NOT_SUPPORTED', `Unsupported server authentication type: ${type}`);
    }
  }
}

function sync(check: (req: Request) => Response | undefined): ServerAuthenticator {
  return { authenticate: async (req) => check(req) };
}

/** An empty configured secret would let an empty credential in; refuse to start instead. */
function requireSecrets(type: string, fields: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || value === '') {
      throw new GatewayError('SECRET_MISSING', `Server authentication '${type}' needs a non-empty '${name}'`);
    }
  }
}

function checkBearer(req: Request, expected: string, realm: string): Response | undefined {
  const token = bearerToken(req);
  if (token === undefined) return deny([`Bearer realm=${quote(realm)}`], 'A bearer token is required');
  if (safeEqual(token, expected)) return undefined;
  return deny([`Bearer realm=${quote(realm)}, error="invalid_token"`], 'The bearer token is not valid');
}

function checkApiKey(
  req: Request,
  spec: { key: string; value: string; placement?: 'header' | 'query' },
  realm: string,
): Response | undefined {
  const presented =
    spec.placement === 'query' ? new URL(req.url).searchParams.get(spec.key) : req.headers.get(spec.key);
  if (presented !== null && safeEqual(presented, spec.value)) return undefined;
  // No registered scheme exists for API keys; a challenge is still sent because RFC 9110 requires one on 401.
  return deny(
    [`ApiKey realm=${quote(realm)}`],
    presented === null ? 'An API key is required' : 'The API key is not valid',
  );
}

function checkBasic(req: Request, username: string, password: string, realm: string): Response | undefined {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(req.headers.get('authorization') ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      // Both comparisons always run so timing does not reveal whether the username was right.
      const userOk = safeEqual(decoded.slice(0, colon), username);
      const passOk = safeEqual(decoded.slice(colon + 1), password);
      if (userOk && passOk) return undefined;
    }
  }
  return deny([`Basic realm=${quote(realm)}`], 'Valid Basic credentials are required');
}
