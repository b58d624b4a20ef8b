/** @module auth/basic — the `Authorization: Basic` credential for consumed APIs (RFC 7617, UTF-8). */

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
