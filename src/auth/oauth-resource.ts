/**
 * @module auth/oauth-resource — OAuth 2.1 resource server: validates JWT access tokens against the
 * authorization server's JWKS (RSA/EC), answers RFC 6750 challenges carrying RFC 9728
 * `resource_metadata`, and serves the protected-resource metadata document.
 */
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { quote } from './challenge-parse.ts';
import { deny } from './denial.ts';
import { createJwksCache } from './jwks-cache.ts';
import type { OAuth2ResourceSpec, ServerAuthenticator } from './types.ts';

const METADATA_PATH = '/.well-known/oauth-protected-resource';
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** A token failure with a description safe to publish (fixed phrases only). */
class TokenRejected extends Error {}

export function createOAuthResourceAuthenticator(
  spec: OAuth2ResourceSpec,
  deps: { fetch: typeof fetch; now: () => number },
): ServerAuthenticator {
  const issuer = stripSlash(spec.authorizationServerUri);
  const scopes = spec.scopes ?? [];
  const requiredAudience = spec.audience ?? spec.resource;
  const jwks = createJwksCache({
    authorizationServerUri: spec.authorizationServerUri,
    fetch: deps.fetch,
    now: deps.now,
  });
  const resourcePath = spec.resource ? stripSlash(new URL(spec.resource).pathname) : '';

  /** Where the metadata lives; without a configured resource, the request's origin stands in. */
  const metadataUrl = (req: Request): string => new URL(spec.resource ?? req.url).origin + METADATA_PATH + resourcePath;
  const challenge = (req: Request, params: string[]): string =>
    `Bearer ${[...params, `resource_metadata=${quote(metadataUrl(req))}`].join(', ')}`;
  const invalid = (req: Request, description: string, error = 'invalid_token'): Response =>
    deny([challenge(req, [`error=${quote(error)}`, `error_description=${quote(description)}`])], description);

  const verify = async (token: string): Promise<JWTPayload> => {
    const options = { algorithms: ALGORITHMS, currentDate: new Date(deps.now()), requiredClaims: ['exp'] };
    const keys = await loadKeys(() => jwks.keys());
    try {
      return (await jwtVerify(token, keys, options)).payload;
    } catch (err) {
      if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err;
      if (!(await loadKeys(() => jwks.refreshForUnknownKid()))) throw err;
      return (await jwtVerify(token, await loadKeys(() => jwks.keys()), options)).payload;
    }
  };

  return {
    async authenticate(req) {
      if (spec.tokenValidation === 'introspection') {
        return invalid(req, 'Token introspection is not supported; use jwks validation', 'invalid_request');
      }
      const token = bearerToken(req);
      if (token === undefined) return deny([challenge(req, [])], 'A bearer access token is required');
      let claims: JWTPayload;
      try {
        claims = await verify(token);
        checkClaims(claims, issuer, requiredAudience);
      } catch (err) {
        return invalid(req, describe(err));
      }
      const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
      if (scopes.some((s) => !granted.has(s))) {
        const params = [`error="insufficient_scope"`, `scope=${quote(scopes.join(' '))}`];
        return deny([challenge(req, params)], 'The access token lacks a required scope', true);
      }
      return undefined;
    },
    wellKnown(req) {
      const path = new URL(req.url).pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
      if (path !== METADATA_PATH && path !== METADATA_PATH + resourcePath) return undefined;
      const doc = {
        resource: spec.resource ?? new URL(req.url).origin,
        authorization_servers: [spec.authorizationServerUri],
        ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
        bearer_methods_supported: ['header'],
      };
      return Response.json(doc, { headers: { 'cache-control': 'max-age=300' } });
    },
  };
}

/** Token from `Authorization: Bearer <token>`; undefined when absent or another scheme. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.get('authorization') ?? '');
  return match?.[1];
}

/** Discovery or JWKS trouble is reported generically: the caller cannot fix it and must not learn AS details. */
async function loadKeys<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch {
    throw new TokenRejected('Unable to validate the access token');
  }
}

function checkClaims(claims: JWTPayload, issuer: string, audience: string | undefined): void {
  if (typeof claims.iss !== 'string' || stripSlash(claims.iss) !== issuer)
    throw new TokenRejected('Token issuer is not trusted');
  if (audience === undefined) return;
  const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!aud.map(stripSlash).includes(stripSlash(audience)))
    throw new TokenRejected('Token audience does not match this resource');
}

function describe(err: unknown): string {
  if (err instanceof TokenRejected) return err.message;
  if (err instanceof joseErrors.JWTExpired) return 'The access token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return err.claim === 'nbf' ? 'The access token is not yet valid' : 'The access token claims are invalid';
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'The access token signing key is unknown';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'The access token signature is invalid';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'The access token algorithm is not allowed';
  return 'The access token is malformed';
}

function stripSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
