#!/usr/bin/env node
// How a new gateway process warms up: one process (capgate or the floor) loaded with alternating slices
// of REST and MCP, printing each slice's throughput and CPU µs per request, so one can see when V8 has
// optimised the path and the cost stops falling (this is what run.mjs --settle is sized from).
//
//   node bench/mcp/warmup.mjs [--who capgate|floor] [--conc 64] [--slices 10] [--slice 2]
//
// Layout as in run.mjs: the stub and the gateway pinned to core 1, the load generator (load.mjs) on core 0.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, root, start } from './targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const WHO = opt('--who', 'capgate');
const C = Number(opt('--conc', 64));
const SLICES = Number(opt('--slices', 10));
const SLICE = Number(opt('--slice', 2));
if (!['capgate', 'floor'].includes(WHO)) throw new Error(`--who must be capgate or floor, not ${WHO}`);

const pinned = (cmdline, ready) => start(['taskset', '-c', '1', 'sh', '-c', `exec ${cmdline}`], ready, 20_000);
const ticks = (pid) => { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return Number(f[11]) + Number(f[12]); };
function load(url, kind) {
  const r = spawnSync('taskset', ['-c', '0', process.execPath, path.join(root, 'bench/mcp/load.mjs'), '--url', url, '--kind', kind,
    '-c', String(C), '-d', String(SLICE), '--args', '{"id":"job-20c1e5d7"}'], { encoding: 'utf8' });
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  if (j.errors + j.non_ok > 0) throw new Error(`${kind}: ${j.errors + j.non_ok} failed requests`);
  return j;
}

const stubPort = await freePort();
await pinned(`env PORT=${stubPort} ${process.execPath} bench/rest/upstream.mjs`, /listening/);
const up = `http://127.0.0.1:${stubPort}`;
const rp = await freePort();
const mp = WHO === 'floor' ? rp : await freePort();
const cmd = WHO === 'floor'
  ? `env PORT=${rp} UPSTREAM=${up} ${process.execPath} bench/rest/floor.mjs`
  : `${process.execPath} bin/capgate.js serve bench/rest/capability.yaml --upstream bench-upstream=${up} --rest-port ${rp} --mcp-port ${mp}`;
const gw = await pinned(cmd, /MCP listening|floor listening/);
const targets = [[`http://127.0.0.1:${rp}/v1/operations/job-20c1e5d7`, 'get'], [`http://127.0.0.1:${mp}/mcp`, 'mcp']];

console.log(`${WHO}, c=${C}, ${SLICE}-s slices of REST then MCP; gateway CPU µs per request in brackets`);
const t0 = Date.now();
for (let i = 0; i < SLICES; i++) {
  const [rest, mcp] = targets.map(([url, kind]) => {
    const before = ticks(gw.pid);
    const j = load(url, kind);
    return { rps: j.rps, us: ((ticks(gw.pid) - before) / 100) * 1e6 / j.requests };
  });
  const t = ((Date.now() - t0) / 1000).toFixed(0).padStart(3);
  console.log(`t=${t} s  REST ${rest.rps.toFixed(0).padStart(5)} (${rest.us.toFixed(0)} µs)  MCP ${mcp.rps.toFixed(0).padStart(5)} (${mcp.us.toFixed(0)} µs)  MCP ÷ REST ${(mcp.rps / rest.rps).toFixed(2)}`);
}
process.exit(0); // targets.mjs kills every process it started
