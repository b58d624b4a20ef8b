#!/usr/bin/env node
// A/B of gateway builds serving REST and MCP from ONE process (as capgate runs), with a fresh
// process per variant per round. Why fresh processes: on these machines two processes running the
// same code differ by up to ~25 % in CPU per request (JIT and GC luck of each process), so one
// process per variant measures luck; medians over restarted rounds measure the code.
//
//   node bench/tools/ab.mjs --rounds 6 --duration 2 --conc 64 \
//     --v 'new=node bin/capgate.js serve bench/fixtures/capability.yaml --upstream bench-upstream=$UP --rest-port $RP --mcp-port $MP' \
//     --v 'old=node /path/to/other/checkout/bin/capgate.js serve … (same flags)' \
//     --v 'floor=env PORT=$RP UPSTREAM=$UP node bench/fixtures/floor.mjs'
// (a variant whose name starts with "floor" serves MCP on the REST port)
//
// Per round and variant: start it (pinned to core 1, the stub too), warm REST and MCP (--settle s each,
// at c=64) and the mapped route (1 s), then measure REST and MCP (order alternating) with
// bench/lib/client.mjs on core 0; CPU µs per request from /proc. Prints per-round lines on stderr and medians (rps,
// µs/req, MCP ÷ REST) on stdout.
import { cpuSeconds, freePort, load, startPinned } from '../lib/targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : d;
};
const variants = argv
  .flatMap((a, i) => (a === '--v' ? [argv[i + 1]] : []))
  .map((v) => ({ name: v.slice(0, v.indexOf('=')), cmd: v.slice(v.indexOf('=') + 1), rows: [] }));
const C = Number(opt('--conc', 64));
const ROUNDS = Number(opt('--rounds', 6));
const D = Number(opt('--duration', 2));
const SETTLE = Number(opt('--settle', 8)); // s of REST and of MCP load after each start, before measuring
const OP = '/v1/operations/job-20c1e5d7';
if (!variants.length) throw new Error("give at least one --v 'name=command'");

/** D seconds (or `d`) of load at --conc (or `c`) from core 0: requests/s and how many were answered. */
async function measure(url, kind, d, c = C) {
  const j = await load(url, kind, 0, c, d, 0);
  return { rps: j.rps, n: j.requests };
}

const stubPort = await freePort();
await startPinned(`env PORT=${stubPort} ${process.execPath} bench/fixtures/upstream.mjs`, /listening/);
const UP = `http://127.0.0.1:${stubPort}`;

async function fresh(v) {
  if (v.proc) {
    v.proc.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
  }
  const rp = await freePort();
  const mp = v.name.startsWith('floor') ? rp : await freePort();
  v.proc = await startPinned(
    v.cmd.replaceAll('$RP', rp).replaceAll('$MP', mp).replaceAll('$UP', UP),
    /MCP listening|floor listening/i,
  );
  v.rest = `http://127.0.0.1:${rp}${OP}`;
  v.mcp = `http://127.0.0.1:${mp}/mcp`;
  // Toward steady state, at c=64 whatever --conc is measured: a new capgate process needs some 30-50 k
  // MCP calls before its CPU per call stops falling (see run.mjs --settle).
  await measure(v.rest, 'get', SETTLE, 64);
  if (!v.name.startsWith('floor')) await measure(`${v.rest}/summary`, 'get', 1, 64);
  await measure(v.mcp, 'mcp', SETTLE, 64);
}

for (let r = 0; r < ROUNDS; r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    await fresh(v);
    const out = {};
    for (const k of r % 2 ? ['mcp', 'rest'] : ['rest', 'mcp']) {
      const t0 = cpuSeconds(v.proc.pid);
      const res = await measure(k === 'rest' ? v.rest : v.mcp, k === 'rest' ? 'get' : 'mcp', D);
      out[k] = res.rps;
      out[`${k}Us`] = ((cpuSeconds(v.proc.pid) - t0) * 1e6) / res.n;
    }
    v.rows.push(out);
    console.error(
      `r${r} ${v.name.padEnd(8)} rest ${out.rest.toFixed(0)} rps (${out.restUs.toFixed(0)} µs)  mcp ${out.mcp.toFixed(0)} rps (${out.mcpUs.toFixed(0)} µs)  mcp÷rest ${(out.mcp / out.rest).toFixed(2)}`,
    );
  }
}
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`c=${C}, ${ROUNDS} rounds × ${D} s, fresh process per variant per round; medians:`);
for (const v of variants) {
  const m = (f) => med(v.rows.map(f));
  console.log(
    `${v.name.padEnd(8)} REST ${m((x) => x.rest).toFixed(0)} rps ${m((x) => x.restUs).toFixed(0)} µs/req | MCP ${m((x) => x.mcp).toFixed(0)} rps ${m((x) => x.mcpUs).toFixed(0)} µs/req | MCP ÷ REST ${m((x) => x.mcp / x.rest).toFixed(2)}`,
  );
}
process.exit(0); // lib/targets.mjs kills every process it started
