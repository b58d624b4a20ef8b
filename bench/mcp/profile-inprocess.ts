/**
 * CPU profile of capgate's MCP `tools/call` path in process (fake upstream, no sockets), to find
 * what the MCP layer adds on top of the shared execution path.
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/p bench/mcp/profile-inprocess.ts [--n 20000]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCapabilities } from '../../src/documents/index.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';
import type { HttpClient } from '../../src/consume/http.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const n = Number(process.argv[process.argv.indexOf('--n') + 1] || 20000);
const body = Buffer.from(JSON.stringify({ id: 'job-1', status: 'in_progress', comment: 'lorem ipsum '.repeat(80) }));
const fake: HttpClient = { request: async () => ({ status: 200, headers: {}, contentType: 'application/json', body }), close: async () => {} };
const { documents } = await loadCapabilities([path.join(here, '../rest/capability.yaml')]);
const plan = buildPlan(documents, {});
const rt = await createDeps(plan, { http: fake, overrides: new Map([['bench-upstream', 'http://127.0.0.1:9']]) });
const mcp = createGateway(plan, rt, { mcpPort: 18490 }).apps().find((a) => a.kind === 'mcp')!.app;
const payload = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get-operation', arguments: { id: 'job-1' } } });
const headers = { host: '127.0.0.1:18490', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const res = await mcp.fetch(new Request('http://127.0.0.1:18490/mcp', { method: 'POST', headers, body: payload }));
  await res.text();
}
console.log(`${((performance.now() - t0) * 1000 / n).toFixed(1)} µs per tools/call in process`);
