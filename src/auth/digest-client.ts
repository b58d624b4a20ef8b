/** @module auth/digest-client — builds the RFC 7616 `Authorization: Digest …` answer to a server challenge. */
import { randomBytes } from 'node:crypto';
import { parseAuthChallenges, quote, type AuthChallenge } from './challenge-parse.ts';
import { digestResponse, parseAlgorithm, type DigestAlgorithm } from './digest-common.ts';

export interface DigestRequest {
  method: string;
  /** Request target as sent: path plus query. */
  uri: string;
  username: string;
  password: string;
  /** Nonce count; 1 unless the caller reuses a nonce. */
  nc?: number;
  /** Client nonce; random when omitted (tests pass a fixed one). */
  cnonce?: string;
}

/**
 * Answer a `WWW-Authenticate` value. Picks the first Digest challenge with an algorithm we know
 * (servers list them in preference order); undefined when there is none, or when it only offers
 * qop=auth-int, which would need the body hashed.
 */
export function digestAuthorization(challenge: string, req: DigestRequest): string | undefined {
  for (const c of parseAuthChallenges(challenge)) {
    if (c.scheme.toLowerCase() !== 'digest') continue;
    const algorithm = parseAlgorithm(c.params.algorithm);
    const qop = pickQop(c.params.qop);
    if (!algorithm || qop === null || c.params.nonce === undefined) continue;
    return render(c, algorithm, qop, req);
  }
  return undefined;
}

/** 'auth' when offered; undefined when qop is absent (RFC 2069 form); null when only unsupported qops. */
function pickQop(value: string | undefined): 'auth' | undefined | null {
  if (value === undefined) return undefined;
  const offered = value.split(',').map((q) => q.trim().toLowerCase());
  return offered.includes('auth') ? 'auth' : null;
}

function render(c: AuthChallenge, algorithm: DigestAlgorithm, qop: 'auth' | undefined, req: DigestRequest): string {
  const realm = c.params.realm ?? '';
  const nonce = c.params.nonce!;
  const nc = qop ? (req.nc ?? 1).toString(16).padStart(8, '0') : undefined;
  const cnonce = qop || algorithm.endsWith('-sess') ? (req.cnonce ?? randomBytes(16).toString('hex')) : undefined;
  const response = digestResponse({
    algorithm,
    username: req.username,
    realm,
    password: req.password,
    method: req.method.toUpperCase(),
    uri: req.uri,
    nonce,
    qop,
    nc,
    cnonce,
  });
  const parts = [
    `username=${quote(req.username)}`,
    `realm=${quote(realm)}`,
    `uri=${quote(req.uri)}`,
    `algorithm=${algorithm}`,
    `nonce=${quote(nonce)}`,
  ];
  if (qop) parts.push(`nc=${nc}`, `cnonce=${quote(cnonce!)}`, `qop=${qop}`);
  else if (cnonce) parts.push(`cnonce=${quote(cnonce)}`);
  parts.push(`response=${quote(response)}`);
  if (c.params.opaque !== undefined) parts.push(`opaque=${quote(c.params.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
