// The upstream HTTP client against a real local server: bodies, size cap, timeouts, cancellation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/consume/http.ts';
import { GatewayError } from '../../src/common/errors.ts';

let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const u = new URL(req.url!, 'http://x');
      switch (u.pathname) {
        case '/json':
          res.writeHead(200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
          return res.end('{"ok":true}');
        case '/chunked': // three writes, no content-length
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('one,');
          setTimeout(() => {
            res.write('two,');
            setTimeout(() => res.end('three'), 5);
          }, 5);
          return;
        case '/big-declared':
          res.writeHead(200, { 'content-length': '2000' });
          return res.end('x'.repeat(2000));
        case '/big-chunked':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('x'.repeat(600));
          setTimeout(() => res.end('y'.repeat(600)), 5);
          return;
        case '/slow':
          setTimeout(() => {
            if (!res.destroyed) res.end('late');
          }, 2_000);
          return;
        case '/cut': // promises 100 bytes, sends 10, then the connection dies
          res.writeHead(200, { 'content-length': '100' });
          res.write('0123456789');
          setTimeout(() => res.socket?.destroy(), 5);
          return;
        case '/head':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
          return res.end(req.method === 'HEAD' ? undefined : 'hello');
        case '/empty':
          res.writeHead(204);
          return res.end();
        default:
          res.writeHead(404, { 'content-type': 'application/problem+json' });
          return res.end('{"title":"nope"}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('consume/http', () => {
  const client = createHttpClient({ maxResponseBytes: 1000, requestTimeoutMs: 300 });
  afterAll(() => client.close());

  it('returns status, parsed headers, media type and the body bytes', async () => {
    const res = await client.request({
      url: new URL(`${base}/json?q=1`),
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    expect(res.headers['x-multi']).toEqual(['a', 'b']);
    expect(res.body.toString()).toBe('{"ok":true}');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/json?q=1', headers: { accept: 'application/json' } });
  });

  it('joins a body that arrives in several chunks', async () => {
    const res = await client.request({ url: new URL(`${base}/chunked`), method: 'GET', headers: {} });
    expect(res.body.toString()).toBe('one,two,three');
  });

  it('passes error statuses and empty answers through', async () => {
    const notFound = await client.request({ url: new URL(`${base}/missing`), method: 'GET', headers: {} });
    expect([notFound.status, notFound.body.toString()]).toEqual([404, '{"title":"nope"}']);
    const empty = await client.request({ url: new URL(`${base}/empty`), method: 'GET', headers: {} });
    expect([empty.status, empty.body.length]).toEqual([204, 0]);
  });

  it('sends string and form bodies with the given headers', async () => {
    await client.request({
      url: new URL(`${base}/json`),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    const form = new FormData();
    form.append('field', 'value');
    await client.request({ url: new URL(`${base}/json`), method: 'POST', headers: {}, body: form });
    expect(seen.at(-1)!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.at(-1)!.body).toContain('name="field"');
  });

  it('refuses a declared body over the cap, and a streamed one as soon as it passes the cap', async () => {
    for (const path of ['/big-declared', '/big-chunked']) {
      const err = await failure(client.request({ url: new URL(base + path), method: 'GET', headers: {} }));
      expect(err.code).toBe('UPSTREAM_TOO_LARGE');
      expect(err.message).toContain('1000 bytes');
    }
    // The pool survives: the next request works.
    expect((await client.request({ url: new URL(`${base}/json`), method: 'GET', headers: {} })).status).toBe(200);
  });

  it('reports an upstream that dies mid-body, and answers HEAD without a body', async () => {
    const cut = await failure(client.request({ url: new URL(`${base}/cut`), method: 'GET', headers: {} }));
    expect(cut.code).toBe('UPSTREAM_UNREACHABLE');
    const head = await client.request({ url: new URL(`${base}/head`), method: 'HEAD', headers: {} });
    expect([head.status, head.body.length, head.headers['content-length']]).toEqual([200, 0, '5']);
  });

  it('times out a silent upstream, cancels on the caller signal, and reports refused connections', async () => {
    expect((await failure(client.request({ url: new URL(`${base}/slow`), method: 'GET', headers: {} }))).code).toBe(
      'UPSTREAM_TIMEOUT',
    );
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(new Error('client gone')), 20);
    expect(
      (await failure(client.request({ url: new URL(`${base}/slow`), method: 'GET', headers: {}, signal: ctrl.signal })))
        .code,
    ).toBe('CANCELLED');
    const before = new AbortController();
    before.abort();
    expect(
      (
        await failure(
          client.request({ url: new URL(`${base}/json`), method: 'GET', headers: {}, signal: before.signal }),
        )
      ).code,
    ).toBe('CANCELLED');
    const refused = await failure(client.request({ url: new URL('http://127.0.0.1:1/x'), method: 'GET', headers: {} }));
    expect(refused.code).toBe('UPSTREAM_UNREACHABLE');
    expect(refused.message).toContain('connection refused');
  });
});
