/**
 * The control listener as an operator meets it: health and readiness, a Prometheus scrape (parsed with a Prometheus
 * text parser) with the series for requests, upstream calls, plan size and reloads, `/status`, `POST /reload`; a
 * request id that travels upstream and comes back; a foreign Host refused; a declared control adapter served as
 * declared. Secrets never appear in metrics or status.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the parser ships no types
import parsePrometheus from 'parse-prometheus-text-format';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startServe, type Started } from '../../src/cli/serve.ts';
import { parseServeArgs } from '../../src/cli/serve-options.ts';
import { testLogger } from '../helpers/test-log.ts';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';

const SECRET = 'ctl-secret-token-5c9e1';

const capability = `naftiko: "1.0.0-alpha3"
info: { label: Fleet, description: Fleet }
binds:
  - namespace: env
    keys: { FLEET_TOKEN: FLEET_TOKEN }
capability:
  consumes:
    - namespace: fleet
      type: http
      baseUri: https://fleet.example.test
      authentication: { type: bearer, token: "{{FLEET_TOKEN}}" }
      resources:
        - name: ships
          path: /ships/{{imo}}
          operations:
            - { name: get-ship, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /ships/{imo}
          operations:
            - { method: GET, call: fleet.get-ship, with: { imo: api.imo } }
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: get-ship
          description: A ship
          call: fleet.get-ship
          with: { imo: tools.imo }
          inputParameters: [{ name: imo, type: string, description: IMO }]
`;

interface Sample {
  labels?: Record<string, string>;
  value?: string;
  buckets?: Record<string, string>;
  count?: string;
}
type Family = { name: string; type: string; metrics: Sample[] };

let dir = '';
let upstream: MockUpstream;
let started: Started;
let rest = '';
let mcp = '';
let control = '';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [{ method: 'GET', path: '/ships/:imo', reply: { json: { name: 'Northern Star' } } }],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-control-'));
  await writeFile(path.join(dir, 'fleet.yaml'), capability);
  const controlPort = await freePort();
  const args = parseServeArgs(
    [
      dir,
      '--rest-port',
      '0',
      '--mcp-port',
      '0',
      '--control-port',
      String(controlPort),
      '--upstream',
      `fleet=${upstream.url}`,
    ],
    {},
  );
  if ('error' in args) throw new Error(args.error);
  const s = await startServe(args, { FLEET_TOKEN: SECRET }, { log: testLogger() });
  if (typeof s === 'number') throw new Error(`serve exited ${s}`);
  started = s;
  rest = started.urls.find((u) => !u.endsWith('/mcp'))!;
  mcp = started.urls.find((u) => u.endsWith('/mcp'))!;
  control = `http://127.0.0.1:${controlPort}`;
});
afterAll(async () => {
  await started?.stop();
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

let lastText = '';

async function scrape(): Promise<Family[]> {
  const res = await fetch(`${control}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  expect(text).not.toContain(SECRET);
  lastText = text;
  return parsePrometheus(text) as Family[];
}

const family = (fams: Family[], name: string) => fams.find((f) => f.name === name);
const sample = (f: Family | undefined, labels: Record<string, string>) =>
  f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));

describe('control listener', () => {
  it('answers liveness and readiness with the served adapters', async () => {
    expect(await (await fetch(`${control}/health/live`)).json()).toEqual({ status: 'UP' });
    const ready = await fetch(`${control}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; adapters: Array<{ type: string; url: string }> };
    expect(body.status).toBe('UP');
    expect(body.adapters.map((a) => a.type).sort()).toEqual(['mcp', 'rest']);
  });

  it('counts and times requests and upstream calls, by route, tool, namespace and operation', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${rest}/ships/IMO-${i}`)).status).toBe(200);
    expect((await fetch(`${rest}/nowhere`)).status).toBe(404);
    const client = new Client({ name: 'metrics', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp)));
    await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9' } });
    await client.close();
    const fams = await scrape();
    const requests = family(fams, 'capgate_requests_total');
    expect(requests?.type).toBe('COUNTER');
    expect(sample(requests, { adapter: 'rest', route: 'GET /ships/{imo}', status: '200' })?.value).toBe('3');
    expect(sample(requests, { adapter: 'mcp', route: 'tools/call get-ship', status: 'ok' })?.value).toBe('1');
    expect(family(fams, 'capgate_request_duration_seconds')?.type).toBe('HISTOGRAM');
    // The parser folds labelled histograms away; their count line is read as written.
    expect(lastText).toContain('capgate_request_duration_seconds_count{adapter="rest",route="GET /ships/{imo}"} 3');
    const calls = family(fams, 'capgate_upstream_requests_total');
    expect(sample(calls, { namespace: 'fleet', operation: 'get-ship', status: '200' })?.value).toBe('4');
    expect(family(fams, 'capgate_upstream_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(sample(family(fams, 'capgate_plan_size'), { kind: 'rest_routes' })?.value).toBe('1');
    expect(sample(family(fams, 'capgate_plan_size'), { kind: 'mcp_tools' })?.value).toBe('1');
    expect(family(fams, 'capgate_waits_in_progress')?.metrics[0]?.value).toBe('0');
    expect(family(fams, 'capgate_process_cpu_seconds_total')).toBeDefined();
    // Raw paths never become labels: the unmatched request is not a series of its own.
    expect(requests?.metrics.some((m) => m.labels?.route?.includes('nowhere'))).toBe(false);
  });

  it('passes the caller’s request id and trace context upstream and returns the id', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await fetch(`${rest}/ships/IMO-7`, { headers: { 'x-request-id': 'req-abc-123', traceparent } });
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    expect(upstream.last().headers['x-request-id']).toBe('req-abc-123');
    expect(upstream.last().headers.traceparent).toBe(traceparent);
    const generated = await fetch(`${rest}/ships/IMO-8`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = generated.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstream.last().headers['x-request-id']).toBe(id);
  });

  it('reloads on POST /reload and shows it in /status and the metrics', async () => {
    const res = await fetch(`${control}/reload`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    const status = (await (await fetch(`${control}/status`)).json()) as {
      capabilities: Array<{ file: string; rest: Array<{ path: string }>; tools: Array<{ name: string }> }>;
      lastReload: { reason: string; ok: boolean };
      listeners: Array<{ kind: string }>;
    };
    expect(status.capabilities[0].file).toContain('fleet.yaml');
    expect(status.capabilities[0].rest.map((r) => r.path)).toEqual(['/ships/{imo}']);
    expect(status.capabilities[0].tools.map((t) => t.name)).toEqual(['get-ship']);
    expect(status.lastReload).toMatchObject({ reason: 'control', ok: true });
    expect(status.listeners.map((l) => l.kind).sort()).toEqual(['control', 'mcp', 'rest']);
    expect(JSON.stringify(status)).not.toContain(SECRET);
    expect(sample(family(await scrape(), 'capgate_reloads_total'), { result: 'ok' })?.value).toBe('1');
  });

  it('refuses a foreign Host (a DNS-rebinding page cannot reach it)', async () => {
    // fetch will not send another Host; Node's http client will.
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${control}/status`, { headers: { host: 'evil.example.com' } }, (r) =>
        resolve(r.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(res).toBe(403);
  });
});

describe('a declared control adapter', () => {
  it('is served as declared: its port, health and metrics, no status unless management.info', async () => {
    const port = await freePort();
    const own = await mkdtemp(path.join(tmpdir(), 'capgate-declared-'));
    await writeFile(
      path.join(own, 'ops.yaml'),
      `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: control
      port: ${port}
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /hello
          operations:
            - method: GET
              outputParameters: [{ name: v, type: string, value: hi }]
`,
    );
    const args = parseServeArgs([own, '--rest-port', '0'], {});
    if ('error' in args) throw new Error(args.error);
    const s = await startServe(args, {}, { log: testLogger() });
    if (typeof s === 'number') throw new Error(`serve exited ${s}`);
    try {
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      expect((await fetch(`${base}/status`)).status).toBe(404);
      expect((await fetch(`${base}/reload`, { method: 'POST' })).status).toBe(404);
    } finally {
      await s.stop();
      await rm(own, { recursive: true, force: true });
    }
  });
});
