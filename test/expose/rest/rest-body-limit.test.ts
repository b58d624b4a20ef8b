/**
 * The REST request-body limit is enforced while the body is read: a declared Content-Length over
 * the limit is refused before anything is read, a body that grows past it is refused as soon as
 * it does (the rest is never buffered), both as a 413 problem with the code INPUT_TOO_LARGE, and
 * nothing reaches the upstream. The limit has a default and is set through GatewayOptions.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestApp, type Invoker } from '../../../src/expose/rest/app.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../../src/expose/rest/body.ts';
import { planFrom } from '../../helpers/plan.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { bootRest, type Booted } from '../../helpers/rest-gateway.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://up.example.test/base"
      resources:
        - name: items
          path: "/items"
          operations:
            - { name: add, method: POST, inputParameters: [ { name: body, in: body } ] }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/items"
          operations:
            - { method: POST, call: up.add, with: { body: api.body } }
        - path: "/fwd/{path}"
          forward: { targetNamespace: up }
`;

const plan = planFrom(YAML);

function app(maxBodyBytes?: number) {
  const calls: unknown[] = [];
  const invoke: Invoker = async (_route, req) => {
    calls.push(req);
    return { status: 200, body: { kind: 'json', value: { ok: true } } };
  };
  const a = createRestApp(plan.rest[0], { invoke, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) });
  return { a, calls };
}

/** A body of `total` bytes in 1 KiB chunks that records how many bytes anyone pulled from it. */
function meteredBody(total: number) {
  const state = { pulled: 0 };
  const chunk = new Uint8Array(1024).fill(0x61);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (state.pulled >= total) return c.close();
        state.pulled += chunk.length;
        c.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

function post(a: ReturnType<typeof app>['a'], path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return a.request(path, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('REST request-body limit (in process)', () => {
  it('stops reading as soon as the body passes the limit and answers 413 INPUT_TOO_LARGE', async () => {
    const { a, calls } = app(8 * 1024);
    const { stream, state } = meteredBody(4 * 1024 * 1024);
    const res = await post(a, '/items', stream);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 413, code: 'INPUT_TOO_LARGE', limit: 8 * 1024 });
    expect(state.pulled).toBeLessThanOrEqual(16 * 1024);
    expect(calls).toHaveLength(0);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { a, calls } = app(8 * 1024);
    const { stream, state } = meteredBody(64 * 1024);
    const res = await post(a, '/fwd/anything', stream, { 'content-length': String(64 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(state.pulled).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('lets a body at the limit through, to operations and to forward alike', async () => {
    const { a, calls } = app(1024);
    expect((await post(a, '/items', 'x'.repeat(1024))).status).toBe(200);
    expect((await post(a, '/fwd/a', 'y'.repeat(1024))).status).toBe(200);
    expect(calls).toHaveLength(2);
    expect((await post(a, '/fwd/a', 'y'.repeat(1025))).status).toBe(413);
  });

  it('has a default limit when none is given', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    const { a, calls } = app();
    const { stream, state } = meteredBody(DEFAULT_MAX_BODY_BYTES + 64 * 1024);
    const res = await post(a, '/fwd/upload', stream);
    expect(res.status).toBe(413);
    expect(state.pulled).toBeLessThan(DEFAULT_MAX_BODY_BYTES + 64 * 1024);
    expect(calls).toHaveLength(0);
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => app(bad), String(bad)).toThrow(/maxBodyBytes/);
  });
});

describe('REST request-body limit (a real gateway, set through GatewayOptions)', () => {
  let upstream: MockUpstream;
  let gw: Booted;
  const LIMIT = 64 * 1024;

  beforeAll(async () => {
    upstream = await startMockUpstream({ catchAll: 'echo' });
    gw = await bootRest(YAML, { upstream: upstream.url, gateway: { maxRestBodyBytes: LIMIT } });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('answers 413 while a chunked upload is still being sent, and closes the connection', async () => {
    const answer = await new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: gw.port,
        method: 'POST',
        path: '/fwd/upload',
        headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
        agent: false,
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      });
      req.on('error', reject);
      // Twice the limit, and the request is never ended: a server that buffers the whole body never answers.
      req.write(Buffer.alloc(2 * LIMIT, 0x62));
      setTimeout(() => reject(new Error('no answer while the upload was still open')), 4000).unref();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'INPUT_TOO_LARGE', limit: LIMIT });
    expect(answer.connection).toBe('close');
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses a declared Content-Length over the limit at once; bodies within it still pass', async () => {
    const big = await fetch(`${gw.rest}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'z'.repeat(LIMIT) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(upstream.requests).toHaveLength(0);
    const ok = await fetch(`${gw.rest}/fwd/upload`, { method: 'PUT', body: 'q'.repeat(LIMIT) });
    expect(ok.status).toBe(200);
    expect(upstream.last().body.length).toBe(LIMIT);
  });
});
