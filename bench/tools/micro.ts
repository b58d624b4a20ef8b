/**
 * In-process cost of capgate's own request path, without sockets: the REST and MCP Hono apps of
 * bench/fixtures/capability.yaml are called with `app.fetch(new Request(...))` while the upstream is a
 * fake HTTP client answering the stub's ~1 KB body at once. A bare Hono route doing the same
 * (param → fake upstream → body passed through) is the baseline. Much less sensitive to noisy
 * neighbours than the socket benchmarks, so use it to check one hot-path change.
 *
 *   node --import tsx bench/tools/micro.ts [--ms 1500] [--samples 5]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { loadCapabilities } from '../../src/documents/index.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';
import type { HttpClient, UpstreamRequest, UpstreamResponse } from '../../src/consume/http.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (n: string, d: number) => {
  const i = args.indexOf(n);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const MS = opt('--ms', 1500);
const SAMPLES = opt('--samples', 5);

// The same document the stub serves (roughly): fetched once from a real stub would need a socket.
const body = Buffer.from(
  JSON.stringify({
    id: 'job-20c1e5d7',
    status: 'in_progress',
    type: 'database.migrate',
    progress: { percent: 61, phase: 4, phases: 9, detail: 'copying table invoices (chunk 118 of 193)' },
    target: { kind: 'database', name: 'billing-primary', region: 'us-east-2', zone: 'us-east-2b' },
    metadata: { labels: { team: 'payments', env: 'staging' }, comment: 'lorem ipsum '.repeat(60) },
  }),
);
const fake: HttpClient = {
  async request(_req: UpstreamRequest): Promise<UpstreamResponse> {
    return { status: 200, headers: { 'content-type': 'application/json' }, contentType: 'application/json', body };
  },
  async close() {},
};

const { documents } = await loadCapabilities([path.join(here, '..', 'fixtures', 'capability.yaml')]);
const plan = buildPlan(documents, {});
const rt = await createDeps(plan, { http: fake, overrides: new Map([['bench-upstream', 'http://127.0.0.1:9']]) });
const gw = createGateway(plan, rt, { restPort: 18480, mcpPort: 18490 });
const rest = gw.apps().find((a) => a.kind === 'rest')!.app;
const mcp = gw.apps().find((a) => a.kind === 'mcp')!.app;

const floor = new Hono();
floor.get('/v1/operations/:id', async (c) => {
  const r = await fake.request({
    url: new URL(`http://127.0.0.1:9/v1/operations/${encodeURIComponent(c.req.param('id'))}`),
    method: 'GET',
    headers: {},
  });
  return c.body(r.body as unknown as ArrayBuffer, 200, { 'content-type': r.contentType });
});

const mcpBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'get-operation', arguments: { id: 'job-20c1e5d7' } },
});
const mcpHeaders = {
  host: '127.0.0.1:18490',
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};
const cases: Array<[string, () => Response | Promise<Response>]> = [
  ['bare Hono route (baseline)', () => floor.fetch(new Request('http://127.0.0.1:18480/v1/operations/job-20c1e5d7'))],
  [
    'capgate REST, mapping $',
    () =>
      rest.fetch(
        new Request('http://127.0.0.1:18480/v1/operations/job-20c1e5d7', { headers: { host: '127.0.0.1:18480' } }),
      ),
  ],
  [
    'capgate REST, 5-field mapping',
    () =>
      rest.fetch(
        new Request('http://127.0.0.1:18480/v1/operations/job-20c1e5d7/summary', {
          headers: { host: '127.0.0.1:18480' },
        }),
      ),
  ],
  [
    'capgate MCP tools/call',
    () => mcp.fetch(new Request('http://127.0.0.1:18490/mcp', { method: 'POST', headers: mcpHeaders, body: mcpBody })),
  ],
];

for (const [name, fn] of cases) {
  const first = await fn();
  const text = await first.text();
  if (first.status !== 200 || !text.length) throw new Error(`${name}: ${first.status} ${text.slice(0, 200)}`);
}
console.log('| case | µs/request (median of samples) |\n|---|---:|');
for (const [name, fn] of cases) {
  const per: number[] = [];
  for (let s = 0; s < SAMPLES + 1; s++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < MS) {
      for (let i = 0; i < 50; i++) await (await fn()).arrayBuffer();
      n += 50;
    }
    if (s > 0) per.push(((performance.now() - t0) * 1000) / n); // first sample = warm-up
  }
  per.sort((a, b) => a - b);
  console.log(`| ${name} | ${per[per.length >> 1].toFixed(1)} |`);
}
