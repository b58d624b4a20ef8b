// The "floor": the least a Node REST gateway can do for this route — Hono + @hono/node-server,
// an undici Pool with keep-alive to the upstream, and the upstream body passed through as bytes
// (no JSON parse). capgate's pass-through route is compared with this in the same run.
// Usage: PORT=0 UPSTREAM=http://127.0.0.1:9001 node bench/rest/floor.mjs
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { Pool } from 'undici';

const PORT = Number(process.env.PORT ?? 0);
const UPSTREAM = process.env.UPSTREAM;
if (!UPSTREAM) throw new Error('UPSTREAM is required');
const CONNECTIONS = Number(process.env.POOL_CONNECTIONS ?? 256);

const pool = new Pool(UPSTREAM, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 });
const app = new Hono();

app.get('/v1/operations/:id', async (c) => {
  const res = await pool.request({ method: 'GET', path: `/v1/operations/${encodeURIComponent(c.req.param('id'))}` });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return c.body(bytes, res.statusCode, { 'content-type': res.headers['content-type'] ?? 'application/json' });
});

const server = serve({ fetch: app.fetch, port: PORT, hostname: '127.0.0.1' }, (info) => {
  console.log(`floor listening on http://127.0.0.1:${info.port} -> ${UPSTREAM}`);
});
server.keepAliveTimeout = 120_000;
process.on('SIGTERM', () => { server.close(); void pool.close(); process.exit(0); });
