/**
 * @module auth/denial — builds the 401/403 responses authenticators return: an RFC 9457 problem
 * body plus the `WWW-Authenticate` challenge(s). Details are fixed phrases, never caller input.
 */

export type DenialCode = 'UNAUTHORIZED' | 'FORBIDDEN';

/** A denial: 401 unless `forbidden`, one header line per challenge. */
export function deny(challenges: string[], detail: string, forbidden = false): Response {
  const status = forbidden ? 403 : 401;
  const code: DenialCode = forbidden ? 'FORBIDDEN' : 'UNAUTHORIZED';
  const title = forbidden ? 'Forbidden' : 'Unauthorized';
  const headers = new Headers({ 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
  for (const c of challenges) headers.append('www-authenticate', c);
  const body = JSON.stringify({ type: 'about:blank', title, status, detail, code });
  return new Response(body, { status, headers });
}
