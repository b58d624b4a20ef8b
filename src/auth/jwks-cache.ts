/**
 * @module auth/jwks-cache — discovers an authorization server's `jwks_uri` (RFC 8414, then OIDC
 * discovery) and keeps its key set: reused for 5 minutes, refetched early for an unknown `kid`
 * but never more than once per 30 seconds, so forged kids cannot hammer the AS.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface JwksCacheOptions {
  authorizationServerUri: string;
  fetch: typeof fetch;
  now: () => number;
  ttlMs?: number;
  minRefetchMs?: number;
}

export interface JwksCache {
  /** Current key set, fetching or refreshing it when due. Throws on discovery/fetch failure. */
  keys(): Promise<JWTVerifyGetKey>;
  /** Refetch because a token named an unknown key; false when throttled (keys unchanged). */
  refreshForUnknownKid(): Promise<boolean>;
}

const WELL_KNOWN = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];

export function createJwksCache(opts: JwksCacheOptions): JwksCache {
  const ttl = opts.ttlMs ?? 5 * 60_000;
  const minRefetch = opts.minRefetchMs ?? 30_000;
  const base = opts.authorizationServerUri.replace(/\/+$/, '');
  let jwksUri: Promise<string> | undefined;
  let current: { keys: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let inflight: Promise<JWTVerifyGetKey> | undefined;

  const discover = (): Promise<string> => {
    // A failed discovery is forgotten so the next request retries instead of failing forever.
    jwksUri ??= discoverJwksUri(base, opts.fetch).catch((err: unknown) => {
      jwksUri = undefined;
      throw err;
    });
    return jwksUri;
  };
  const load = (): Promise<JWTVerifyGetKey> => {
    inflight ??= (async () => {
      try {
        const set = await getJson(opts.fetch, await discover());
        if (!set || !Array.isArray((set as JSONWebKeySet).keys)) throw new Error('JWKS without keys');
        current = { keys: createLocalJWKSet(set as JSONWebKeySet), fetchedAt: opts.now() };
        return current.keys;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  return {
    async keys() {
      if (current && opts.now() - current.fetchedAt < ttl) return current.keys;
      return load();
    },
    async refreshForUnknownKid() {
      if (current && opts.now() - current.fetchedAt < minRefetch) return false;
      await load();
      return true;
    },
  };
}

async function discoverJwksUri(base: string, fetchFn: typeof fetch): Promise<string> {
  for (const path of WELL_KNOWN) {
    const doc = await getJson(fetchFn, base + path).catch(() => undefined);
    const uri = (doc as { jwks_uri?: unknown } | undefined)?.jwks_uri;
    if (typeof uri === 'string' && uri !== '') return uri;
  }
  throw new Error('authorization server metadata without jwks_uri');
}

async function getJson(fetchFn: typeof fetch, url: string): Promise<unknown> {
  const res = await fetchFn(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
