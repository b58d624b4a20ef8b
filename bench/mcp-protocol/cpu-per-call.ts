/** @module bench/mcp-protocol/cpu-per-call — in-process CPU µs per `tools/call` (no sockets, no upstream): capgate's hand-rolled layer vs the SDK v2 handler vs a bare Hono JSON route (the REST floor). Run: npx tsx bench/mcp-protocol/cpu-per-call.ts */
import { Hono } from 'hono';
import { createMcpHttp } from '../../src/expose/mcp/index.ts';
import type { McpEndpoint } from '../../src/expose/mcp/protocol/types.ts';
import { createSdkV2Handler } from './sdk-v2-reference.ts';

type Fetch = (r: Request) => Response | Promise<Response>;

const endpoint: McpEndpoint = {
  namespace: 'bench', version: '1', resources: [], prompts: [],
  tools: [{
    name: 'echo', description: 'Echo a message',
    inputSchema: { type: 'object', properties: { msg: { type: 'string' } }, required: ['msg'] },
    outputSchema: { type: 'object', properties: { msg: { type: 'string' } }, required: ['msg'] },
    async call(args) { return { ok: true, value: { msg: args.msg } }; },
  }],
};

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const legacyBody = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { msg: 'hi' } } });
const modernBody = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { msg: 'hi' }, _meta: META } });
const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: '127.0.0.1:9090' };
const legacyReq = () => new Request('http://127.0.0.1:9090/mcp', { method: 'POST', headers: { ...base, 'mcp-protocol-version': '2025-11-25' }, body: legacyBody });
const modernReq = () => new Request('http://127.0.0.1:9090/mcp', { method: 'POST', headers: { ...base, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, body: modernBody });

async function measure(label: string, fetch: Fetch, mk: () => Request, n: number): Promise<void> {
  for (let i = 0; i < Math.min(2000, n); i++) await (await fetch(mk())).text();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await (await fetch(mk())).text();
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  console.log(`${label.padEnd(34)} ${((c.user + c.system) / n).toFixed(1).padStart(8)} µs CPU/call ${(wall * 1000 / n).toFixed(1).padStart(8)} µs wall/call`);
}

const capgate = createMcpHttp({ current: () => [endpoint] }, { bindAddress: '127.0.0.1' }).app;
const sdk = createSdkV2Handler();
const floor = new Hono();
floor.post('/mcp', async (c) => { const b = await c.req.json(); return c.json({ msg: b.params.arguments.msg }); });

const N = Number(process.argv[2] ?? 20000);
await measure('REST floor (Hono JSON route)', (r) => floor.fetch(r), legacyReq, N);
await measure('capgate hand-rolled, 2025-11-25', (r) => capgate.fetch(r), legacyReq, N);
await measure('capgate hand-rolled, 2026-07-28', (r) => capgate.fetch(r), modernReq, N);
await measure('SDK v2 createMcpHandler, 2025', (r) => sdk.fetch(r), legacyReq, Math.ceil(N / 10));
await measure('SDK v2 createMcpHandler, 2026', (r) => sdk.fetch(r), modernReq, Math.ceil(N / 10));
