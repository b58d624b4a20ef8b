// The "floors": the least a Node gateway can do for this route, measured beside capgate in the same run.
//  - REST: Hono + @hono/node-server, an undici Pool with keep-alive to the upstream, and the upstream
//    body passed through as bytes (no JSON parse).
//  - MCP: `POST /mcp` on the same server, answered by a hand-written handler on Node's own
//    request/response objects: read the JSON-RPC body, parse it, fetch the operation named by
//    `params.arguments.id` through the same Pool, and return the body as the text content of a
//    `tools/call` result. No protocol checks, no validation, no era handling: it is what any MCP
//    gateway on Node must at least pay (POST body, JSON parse, escaping the upstream body into a
//    JSON string), so capgate's MCP ÷ REST ratio can be read against the platform's own.
// Usage: PORT=0 UPSTREAM=http://127.0.0.1:9001 node bench/rest/floor.mjs
// FLOOR_MCP_TEXT=short answers tools/call with a 1-character text instead of the upstream body: an
// analysis variant (bench/mcp/instructions.mjs) that prices putting the body into the text content.
import http from 'node:http';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { Pool } from 'undici';

const PORT = Number(process.env.PORT ?? 0);
const UPSTREAM = process.env.UPSTREAM;
if (!UPSTREAM) throw new Error('UPSTREAM is required');
const CONNECTIONS = Number(process.env.POOL_CONNECTIONS ?? 256);
const SHORT_TEXT = process.env.FLOOR_MCP_TEXT === 'short';

const pool = new Pool(UPSTREAM, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 });
const app = new Hono();

async function fetchOperation(id) {
  const res = await pool.request({ method: 'GET', path: `/v1/operations/${encodeURIComponent(id)}` });
  return { status: res.statusCode, contentType: res.headers['content-type'], bytes: Buffer.from(await res.body.arrayBuffer()) };
}

app.get('/v1/operations/:id', async (c) => {
  const r = await fetchOperation(c.req.param('id'));
  return c.body(r.bytes, r.status, { 'content-type': r.contentType ?? 'application/json' });
});

function mcpFloor(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const r = await fetchOperation(String(msg.params.arguments.id));
      const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: SHORT_TEXT ? 'x' : r.bytes.toString('utf8') }] } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch {
      res.writeHead(400).end();
    }
  });
}

const hono = getRequestListener(app.fetch);
const server = http.createServer((req, res) => {
  return req.method === 'POST' && req.url === '/mcp' ? mcpFloor(req, res) : hono(req, res);
});
server.keepAliveTimeout = 120_000;
server.listen(PORT, '127.0.0.1', () => {
  console.log(`floor listening on http://127.0.0.1:${server.address().port} -> ${UPSTREAM}`);
});
process.on('SIGTERM', () => { server.close(); void pool.close(); process.exit(0); });
