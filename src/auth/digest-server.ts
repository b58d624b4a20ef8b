/**
 * @module auth/digest-server — RFC 7616 Digest verification with stateless nonces: a nonce is
 * `<issued-ms>.<HMAC(issued-ms)>` under the configured nonce key, so any replica holding the same
 * key accepts a nonce another one issued (a challenge from one replica answered to the next works
 * behind a load balancer). Without a configured key each authenticator makes a random one: fine
 * for a single process (a restart invalidates outstanding nonces), but replicas then reject each
 * other's nonces. Nonce-count replay is not tracked (no server state); the short nonce lifetime
 * bounds replay instead.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { parseAuthChallenges, quote } from './challenge-parse.ts';
import { safeEqual } from './constant-time.ts';
import { digestResponse, parseAlgorithm } from './digest-common.ts';
import { deny } from './denial.ts';

export interface DigestServerOptions {
  username: string;
  password: string;
  realm: string;
  now: () => number;
  /** Nonce lifetime; 5 minutes by default. */
  nonceTtlMs?: number;
  /** Key that signs nonces, shared by every replica; default: random per authenticator (see the module note). */
  nonceKey?: string;
}

const OFFERED = ['SHA-256', 'MD5'] as const;
const DEFAULT_TTL_MS = 5 * 60_000;
/** Tolerated clock drift for nonces "from the future" (several instances behind a balancer). */
const FUTURE_SLACK_MS = 5_000;

/** Returns a request check: undefined when the Digest credentials are valid, else a 401. */
export function createDigestVerifier(opts: DigestServerOptions): (req: Request) => Response | undefined {
  const key =
    opts.nonceKey !== undefined && opts.nonceKey !== '' ? Buffer.from(opts.nonceKey, 'utf8') : randomBytes(32);
  const ttl = opts.nonceTtlMs ?? DEFAULT_TTL_MS;
  const sign = (issued: string): string => createHmac('sha256', key).update(issued).digest('base64url');
  const challenge = (stale: boolean): Response => {
    const issued = String(opts.now());
    const full = `${issued}.${sign(issued)}`;
    const lines = OFFERED.map(
      (alg) =>
        `Digest realm=${quote(opts.realm)}, qop="auth", algorithm=${alg}, nonce=${quote(full)}` +
        (stale ? ', stale=true' : ''),
    );
    return deny(lines, stale ? 'Digest nonce expired' : 'Valid Digest credentials are required');
  };
  const nonceState = (nonce: string): 'ok' | 'stale' | 'bad' => {
    const dot = nonce.indexOf('.');
    const issued = nonce.slice(0, dot);
    if (dot <= 0 || !/^\d+$/.test(issued) || !safeEqual(nonce.slice(dot + 1), sign(issued))) return 'bad';
    const age = opts.now() - Number(issued);
    if (age < -FUTURE_SLACK_MS) return 'bad';
    return age > ttl ? 'stale' : 'ok';
  };

  return (req) => {
    const header = req.headers.get('authorization');
    const cred = header ? parseAuthChallenges(header)[0] : undefined;
    if (!cred || cred.scheme.toLowerCase() !== 'digest') return challenge(false);
    const p = cred.params;
    const algorithm = parseAlgorithm(p.algorithm);
    const complete = p.username && p.nonce && p.uri && p.response && p.nc && p.cnonce;
    if (!algorithm || !complete || p.qop?.toLowerCase() !== 'auth' || p.realm !== opts.realm) return challenge(false);
    if (!uriMatches(p.uri!, req.url)) return challenge(false);
    const state = nonceState(p.nonce!);
    if (state !== 'ok') return challenge(state === 'stale');
    const expected = digestResponse({
      algorithm,
      username: opts.username,
      realm: opts.realm,
      password: opts.password,
      method: req.method,
      uri: p.uri!,
      nonce: p.nonce!,
      qop: 'auth',
      nc: p.nc,
      cnonce: p.cnonce,
    });
    // Evaluate both comparisons every time so timing does not say which one failed.
    const userOk = safeEqual(p.username!, opts.username);
    const responseOk = safeEqual(p.response!.toLowerCase(), expected);
    return userOk && responseOk ? undefined : challenge(false);
  };
}

/** The digest `uri` must name this request (origin-form, or absolute-form with the same target). */
function uriMatches(uri: string, requestUrl: string): boolean {
  const target = new URL(requestUrl);
  const expected = target.pathname + target.search;
  if (uri === expected) return true;
  try {
    const given = new URL(uri);
    return given.origin === target.origin && given.pathname + given.search === expected;
  } catch {
    return false;
  }
}
