/**
 * @module auth/oauth-client — OAuth 2 client-credentials grant for consumed APIs: one token shared
 * by all calls, renewed shortly before it expires, with concurrent renewals coalesced into one request.
 */
import { GatewayError } from '../common/errors.ts';
import { basicHeader } from './basic.ts';

export interface ClientCredentialsOptions {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
  audience?: string;
  resource?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Renew this long before expiry; 30 s by default. */
  skewMs?: number;
  /** Abort a token request after this long; 10 s by default. */
  timeoutMs?: number;
}

export interface ClientCredentialsSource {
  getToken(): Promise<string>;
  /** Forget the cached token (e.g. after the upstream answered 401 with it). */
  invalidate(): void;
}

const DEFAULT_LIFETIME_MS = 5 * 60_000;

export function createOAuth2ClientCredentials(opts: ClientCredentialsOptions): ClientCredentialsSource {
  const now = opts.now ?? Date.now;
  const skew = opts.skewMs ?? 30_000;
  let cached: { token: string; validUntil: number } | undefined;
  let inflight: Promise<string> | undefined;

  const refresh = async (): Promise<string> => {
    const { token, lifetimeMs } = await requestToken(opts);
    // Never let the skew eat the whole lifetime of a short-lived token.
    const usable = Math.max(lifetimeMs - skew, lifetimeMs / 2);
    cached = { token, validUntil: now() + usable };
    return token;
  };

  return {
    getToken() {
      if (cached && now() < cached.validUntil) return Promise.resolve(cached.token);
      inflight ??= refresh().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function requestToken(opts: ClientCredentialsOptions): Promise<{ token: string; lifetimeMs: number }> {
  const endpoint = redact(opts.tokenEndpoint);
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (opts.scopes?.length) body.set('scope', opts.scopes.join(' '));
  if (opts.audience) body.set('audience', opts.audience);
  if (opts.resource) body.set('resource', opts.resource);
  // RFC 6749 §2.3.1: id and secret are form-encoded before going into the Basic credentials.
  const authorization = basicHeader(formEncode(opts.clientId), formEncode(opts.clientSecret));
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(opts.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization },
      body: body.toString(),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const code = timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNREACHABLE';
    throw new GatewayError(code, `OAuth token endpoint ${timedOut ? 'timed out' : 'unreachable'}`, {
      details: { endpoint },
      cause: err,
    });
  }
  return readTokenResponse(res, endpoint);
}

async function readTokenResponse(res: Response, endpoint: string): Promise<{ token: string; lifetimeMs: number }> {
  const payload = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (res.status >= 400 && res.status < 500) {
    // The OAuth `error` code is a fixed vocabulary and safe to surface; error_description is not.
    const oauthError =
      typeof payload?.error === 'string' && /^[a-z_]{1,64}$/.test(payload.error) ? payload.error : undefined;
    throw new GatewayError('UNAUTHORIZED', `OAuth token endpoint refused the client credentials (HTTP ${res.status})`, {
      status: 502,
      details: { endpoint, upstreamStatus: res.status, ...(oauthError ? { oauthError } : {}) },
    });
  }
  if (!res.ok) {
    throw new GatewayError('UPSTREAM_STATUS', `OAuth token endpoint failed (HTTP ${res.status})`, {
      details: { endpoint, upstreamStatus: res.status },
    });
  }
  const token = payload?.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new GatewayError('UPSTREAM_FORMAT', 'OAuth token endpoint returned no access_token', {
      details: { endpoint },
    });
  }
  const expiresIn = Number(payload?.expires_in);
  const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_LIFETIME_MS;
  return { token, lifetimeMs };
}

function formEncode(s: string): string {
  return new URLSearchParams({ v: s }).toString().slice(2);
}

/** Endpoint for messages: origin and path only, the query might carry a secret. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return '(invalid URL)';
  }
}
