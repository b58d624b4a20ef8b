/**
 * `forward` keeps what the caller sent: the raw path suffix (an encoded slash stays encoded, a
 * trailing slash stays) and the raw query string (bare flags, `%20`, `;`, `=` and encoded
 * non-ASCII untouched, consumes-level query parameters appended after it) reach the upstream as
 * they came, checked on the request line a real upstream receives. Dot segments are resolved
 * (a suffix that climbs out of the forward route no longer matches it), and the path can never
 * change the host. forward-path.test.ts checks the refusal forward itself makes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { bootRest, rawRequest, type Booted } from '../helpers/rest-gateway.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: proxied
      type: http
      baseUri: "http://up.example.test/proxy"
      resources:
        - name: any
          path: "/any"
          operations:
            - { name: any, method: GET }
    - namespace: keyed
      type: http
      baseUri: "http://up.example.test/keyed"
      inputParameters:
        - { name: api_key, in: query, value: "k 1" }
      resources:
        - name: any
          path: "/any"
          operations:
            - { name: any, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/fwd/{path}"
          forward: { targetNamespace: proxied }
        - path: "/t/{tenant}/files/{path}"
          forward: { targetNamespace: proxied }
        - path: "/keyed"
          forward: { targetNamespace: keyed }
`;

let upstream: MockUpstream;
let gw: Booted;

beforeAll(async () => {
  upstream = await startMockUpstream({ catchAll: { json: { ok: true } } });
  gw = await bootRest(YAML, { upstream: upstream.url });
});
afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

/** Send exactly this request target; answer with what the upstream saw on its request line. */
async function sent(target: string, method = 'GET'): Promise<{ status: number; line?: string; text: string }> {
  upstream.clear();
  const res = await rawRequest(gw.port, method, target, { host: `127.0.0.1:${gw.port}` });
  const seen = upstream.requests[0];
  return {
    status: res.status,
    text: res.text,
    ...(seen ? { line: seen.path + (seen.query ? `?${seen.query}` : '') } : {}),
  };
}

describe('forward passes the raw path suffix and query string through', () => {
  it('keeps an encoded slash encoded', async () => {
    expect(await sent('/fwd/group%2Fproject/x')).toMatchObject({ status: 200, line: '/proxy/group%2Fproject/x' });
  });

  it('keeps the query string byte for byte', async () => {
    expect((await sent('/fwd/s?flag')).line).toBe('/proxy/s?flag');
    expect((await sent('/fwd/s?q=a%20b&empty=&flag')).line).toBe('/proxy/s?q=a%20b&empty=&flag');
    expect((await sent('/fwd/s?a=%E2%9C%93;b=2')).line).toBe('/proxy/s?a=%E2%9C%93;b=2');
    expect((await sent('/fwd/s?x=1+2&y=%2B')).line).toBe('/proxy/s?x=1+2&y=%2B');
  });

  it('keeps other encodings, empty segments and a trailing slash', async () => {
    expect((await sent('/fwd/a%20b/%7Bid%7D/')).line).toBe('/proxy/a%20b/%7Bid%7D/');
    expect((await sent('/fwd/a//b')).line).toBe('/proxy/a//b');
    expect((await sent('/fwd/caf%C3%A9')).line).toBe('/proxy/caf%C3%A9');
  });

  it('takes the suffix after earlier path variables', async () => {
    expect((await sent('/t/acme/files/dir%2Fname/f.txt?v=1;2')).line).toBe('/proxy/dir%2Fname/f.txt?v=1;2');
  });

  it('appends consumes-level query parameters after the caller query, leaving it as sent', async () => {
    expect((await sent('/keyed/list?flag&q=a%20b')).line).toBe('/keyed/list?flag&q=a%20b&api_key=k+1');
    expect((await sent('/keyed/list')).line).toBe('/keyed/list?api_key=k+1');
  });

  it('resolves dot segments inside the suffix; one that climbs out of the route never reaches the upstream', async () => {
    expect((await sent('/fwd/a/%2e%2e/b')).line).toBe('/proxy/b');
    expect((await sent('/fwd/a/%2E/b')).line).toBe('/proxy/a/b');
    for (const target of ['/fwd/%2e%2e/secret', '/fwd/a/%2e%2e/%2E%2E/secret', '/fwd/.%2e/x', '/fwd/../x']) {
      const r = await sent(target);
      expect(r.status, target).toBe(404);
      expect(r.line, target).toBeUndefined();
    }
  });

  it('never lets the path name another host', async () => {
    for (const target of ['/fwd//evil.example/x', '/fwd/%2F%2Fevil.example/x', '/fwd/@evil.example/x']) {
      const r = await sent(target);
      expect(r.status, target).toBe(200);
      expect(r.line?.startsWith('/proxy/'), target).toBe(true);
    }
  });
});
