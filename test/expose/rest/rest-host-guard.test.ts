/**
 * The REST port applies the Host allow-list the MCP port applies (DNS rebinding: a page on
 * evil.example whose name now resolves to 127.0.0.1 must not read what the gateway's credentials
 * fetch), refuses a foreign Origin (a cross-site form post must not run an upstream write), and
 * sends CORS headers only to origins configured in allowedOrigins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestApp } from '../../../src/expose/rest/app.ts';
import { planFrom } from '../../helpers/plan.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { bootRest, rawRequest, type Booted } from '../../helpers/rest-gateway.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://up.example.test"
      resources:
        - name: ships
          path: "/ships"
          operations:
            - { name: list, method: GET }
            - { name: add, method: POST, inputParameters: [ { name: body, in: body } ] }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/ships"
          operations:
            - { method: GET, call: up.list }
            - { method: POST, call: up.add, with: { body: api.body } }
    - type: rest
      port: 8080
      namespace: locked
      authentication: { type: bearer, token: "door" }
      resources:
        - path: "/locked"
          operations:
            - method: GET
              outputParameters: [{ name: message, type: string, value: hi }]
`;

let upstream: MockUpstream;
let gw: Booted;

beforeAll(async () => {
  upstream = await startMockUpstream({ catchAll: { json: [{ name: 'Star' }] } });
  gw = await bootRest(YAML, { upstream: upstream.url });
});
afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

const get = (path: string, headers: Record<string, string>) => rawRequest(gw.port, 'GET', path, headers);

describe('REST Host allow-list (a gateway bound to 127.0.0.1)', () => {
  it('refuses a foreign Host with a 403 problem and never calls the upstream', async () => {
    upstream.clear();
    const res = await get('/ships', { host: 'evil.example.com' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.text)).toMatchObject({ code: 'FORBIDDEN', reason: 'host' });
    expect(res.text).not.toContain('Star');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers loopback names on any port', async () => {
    for (const host of [`127.0.0.1:${gw.port}`, `localhost:${gw.port}`, 'localhost', `[::1]:${gw.port}`]) {
      const res = await get('/ships', { host });
      expect(res.status, host).toBe(200);
      expect(JSON.parse(res.text), host).toEqual([{ name: 'Star' }]);
    }
  });

  it('refuses before anything else: unknown paths, undeclared methods, OPTIONS and protected routes', async () => {
    const host = 'evil.example.com';
    expect((await get('/nowhere', { host })).status).toBe(403);
    expect((await rawRequest(gw.port, 'DELETE', '/ships', { host })).status).toBe(403);
    expect((await rawRequest(gw.port, 'OPTIONS', '/ships', { host })).status).toBe(403);
    expect((await get('/locked', { host, authorization: 'Bearer door' })).status).toBe(403);
    expect((await get('/locked', { host })).status).toBe(403);
  });

  it('judges each Host on its own when good and bad ones alternate', async () => {
    for (const [host, status] of [
      [`127.0.0.1:${gw.port}`, 200],
      ['evil.example.com', 403],
      ['evil.example.com', 403],
      [`127.0.0.1:${gw.port}`, 200],
      ['127.0.0.1.evil.example.com', 403],
      ['localhost', 200],
    ] as const) {
      expect((await get('/ships', { host })).status, host).toBe(status);
    }
  });

  it('sends no CORS headers when no origin is configured, and refuses a foreign Origin', async () => {
    const local = await get('/ships', { host: `127.0.0.1:${gw.port}`, origin: 'http://localhost:3000' });
    expect(local.status).toBe(200);
    expect(Object.keys(local.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    upstream.clear();
    const cross = await rawRequest(
      gw.port,
      'POST',
      '/ships',
      {
        host: `127.0.0.1:${gw.port}`,
        origin: 'http://evil.example.com',
        'content-type': 'application/x-www-form-urlencoded',
      },
      'name=x',
    );
    expect(cross.status).toBe(403);
    expect(JSON.parse(cross.text)).toMatchObject({ code: 'FORBIDDEN', reason: 'origin' });
    expect(upstream.requests).toHaveLength(0);
    const preflight = await rawRequest(gw.port, 'OPTIONS', '/ships', {
      host: `127.0.0.1:${gw.port}`,
      origin: 'http://localhost:3000',
      'access-control-request-method': 'POST',
    });
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('REST Host allow-list configured through GatewayOptions', () => {
  it('lets the configured hosts in as well', async () => {
    const up = await startMockUpstream({ catchAll: { json: [] } });
    const g = await bootRest(YAML, { upstream: up.url, gateway: { allowedHosts: ['api.example.com'] } });
    try {
      expect((await rawRequest(g.port, 'GET', '/ships', { host: 'api.example.com' })).status).toBe(200);
      expect((await rawRequest(g.port, 'GET', '/ships', { host: `api.example.com:${g.port}` })).status).toBe(200);
      expect((await rawRequest(g.port, 'GET', '/ships', { host: `localhost:${g.port}` })).status).toBe(200);
      expect((await rawRequest(g.port, 'GET', '/ships', { host: 'other.example.com' })).status).toBe(403);
    } finally {
      await g.stop();
      await up.close();
    }
  });
});

describe('REST Host and Origin checks (in process)', () => {
  const plan = planFrom(YAML);
  const ok = async () => ({ status: 200, body: { kind: 'json' as const, value: { ok: true } } });

  it('bound to all interfaces, checks Host only when hosts are configured', async () => {
    const open = createRestApp(plan.rest[0], { invoke: ok, bindAddress: '0.0.0.0' });
    expect((await open.request('http://anything.example/ships')).status).toBe(200);
    const listed = createRestApp(plan.rest[0], {
      invoke: ok,
      bindAddress: '0.0.0.0',
      allowedHosts: ['api.example.com'],
    });
    expect((await listed.request('http://api.example.com/ships')).status).toBe(200);
    expect((await listed.request('http://localhost/ships')).status).toBe(403);
  });

  it('refuses a foreign Host before reading the body', async () => {
    const a = createRestApp(plan.rest[0], { invoke: ok, bindAddress: '127.0.0.1' });
    const state = { pulled: false };
    const body = new ReadableStream(
      {
        pull(c) {
          state.pulled = true;
          c.enqueue(new TextEncoder().encode('{"a":1}'));
          c.close();
        },
      },
      { highWaterMark: 0 },
    );
    const res = await a.request('http://evil.example.com/ships', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(403);
    expect(state.pulled).toBe(false);
  });

  it('configured origins get CORS headers; a preflight is answered alike for every path', async () => {
    const a = createRestApp(plan.rest[0], {
      invoke: ok,
      bindAddress: '127.0.0.1',
      allowedOrigins: ['https://app.example.com'],
    });
    const origin = 'https://app.example.com';
    const res = await a.request('/ships', { headers: { origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('vary')).toContain('Origin');
    const preflights = await Promise.all(
      ['/ships', '/locked', '/nowhere'].map((p) =>
        a.request(p, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        }),
      ),
    );
    for (const p of preflights) {
      expect(p.status).toBe(204);
      expect(p.headers.get('access-control-allow-origin')).toBe(origin);
      expect(p.headers.get('access-control-allow-methods')).toContain('POST');
      expect(p.headers.get('access-control-allow-headers')).toBe('content-type');
      expect(p.headers.get('allow')).toBeNull();
    }
    const other = await a.request('/ships', { headers: { origin: 'https://other.example.com' } });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
