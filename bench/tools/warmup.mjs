#!/usr/bin/env node
// How a new gateway process warms up: one process (capgate or the floor) loaded with alternating slices
// of REST and MCP, printing each slice's throughput and CPU µs per request and the MCP calls served so
// far, so one can see when the cost stops falling (what run.mjs --settle is sized from).
//
//   node bench/tools/warmup.mjs [--who capgate|floor] [--conc 64] [--slices 10] [--slice 2]
//
// Layout as in run.mjs: the stub and the gateway pinned to core 1, the load generator (client.mjs) on core 0.
import { TARGETS, cpuSeconds, freePort, load, startPinned } from '../lib/targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : d;
};
const WHO = opt('--who', 'capgate');
const C = Number(opt('--conc', 64));
const SLICES = Number(opt('--slices', 10));
const SLICE = Number(opt('--slice', 2));
if (!['capgate', 'floor'].includes(WHO)) throw new Error(`--who must be capgate or floor, not ${WHO}`);

const stubPort = await freePort();
await startPinned(`env PORT=${stubPort} ${process.execPath} bench/fixtures/upstream.mjs`, /listening/);
const rp = await freePort();
const mp = WHO === 'floor' ? rp : await freePort();
const rest = TARGETS[`${WHO}-rest`];
const mcp = TARGETS[`${WHO}-mcp`];
const gw = await startPinned(
  rest.cmd([process.execPath], rp, mp, `http://127.0.0.1:${stubPort}`).join(' '),
  /MCP listening|floor listening/,
);

async function slice(t) {
  const before = cpuSeconds(gw.pid);
  const j = await load(t.url(rp, mp), t.kind, 0, C, SLICE, 0);
  return { rps: j.rps, n: j.requests, us: ((cpuSeconds(gw.pid) - before) * 1e6) / j.requests };
}

console.log(`${WHO}, c=${C}, ${SLICE}-s slices of REST then MCP; gateway CPU µs per request in brackets`);
const t0 = Date.now();
let mcpCalls = 0;
for (let i = 0; i < SLICES; i++) {
  const r = await slice(rest);
  const m = await slice(mcp);
  mcpCalls += m.n;
  const t = ((Date.now() - t0) / 1000).toFixed(0).padStart(3);
  console.log(
    `t=${t} s  REST ${r.rps.toFixed(0).padStart(5)} (${r.us.toFixed(0)} µs)  MCP ${m.rps.toFixed(0).padStart(5)} (${m.us.toFixed(0)} µs)  MCP ÷ REST ${(m.rps / r.rps).toFixed(2)}  MCP calls so far ${(mcpCalls / 1000).toFixed(1)} k`,
  );
}
process.exit(0); // lib/targets.mjs kills every process it started
