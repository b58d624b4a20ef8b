#!/usr/bin/env node
// Where one request's time goes at a given concurrency (default c = 1), per target: throughput, the
// gateway's, the stub's and the load generator's CPU per request, and how long the server core sat idle
// per request. At c = 1 a closed loop is one round trip after another, so these add up to the wall time
// per request; they show whether the server core, the client or waiting bounds MCP ÷ REST there.
//
//   node bench/mcp/anatomy.mjs [--client node,node-cold,wrk] [--conc 1] [--rounds 6] [--duration 3]
//        [--target noop-get,noop-post,floor-rest,floor-mcp,capgate-rest,capgate-mcp]
//
// Clients: `node` is load.mjs, warmed up for 1 s in the same process (it measures its own CPU, the
// servers' and the core's idle time over the measured phase); `node-cold` is load.mjs as run.mjs's MCP
// suite runs it (a separate 1-s warm-up run, then a fresh process); `wrk` is wrk -t1 (C), with a Lua
// script for the MCP POST, a separate 1-s warm-up run, and its CPU from /usr/bin/time. noop-get / noop-post are
// the floor's /noop route: a fixed reply with no upstream, so their ratio is what a POST with a body
// costs over a GET by itself. Layout as in run.mjs: servers on core 1, the client on core 0; each
// gateway process is settled (8 s at c = 64 per target) before the first measured run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLK_TCK, coreTicks } from '../proc.mjs';
import { TARGETS, cpuSeconds, freePort, load, root, startPinned } from './targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const C = Number(opt('--conc', 1));
const ROUNDS = Number(opt('--rounds', 6));
const SECONDS = Number(opt('--duration', 3));
const CLIENTS = opt('--client', 'node,node-cold,wrk').split(',');
const NAMES = opt('--target', 'noop-get,noop-post,floor-rest,floor-mcp,capgate-rest,capgate-mcp').split(',');
for (const n of NAMES) if (!TARGETS[n]) throw new Error(`unknown target ${n}`);
for (const c of CLIENTS) if (!['node', 'node-cold', 'wrk'].includes(c)) throw new Error(`--client takes node, node-cold and wrk, not ${c}`);
const ARGS = '{"id":"job-20c1e5d7"}';
const SERVER_CORE = '1';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'capgate-anatomy-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const LUA = path.join(tmp, 'mcp.lua');
writeFileSync(LUA, [
  'wrk.method = "POST"',
  `wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-operation","arguments":${ARGS}}}'`,
  'wrk.headers["Content-Type"] = "application/json"',
  'wrk.headers["Accept"] = "application/json, text/event-stream"',
  'wrk.headers["Mcp-Protocol-Version"] = "2025-11-25"',
].join('\n'));

function collect(cmd) {
  const k = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  k.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => k.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd.join(' ')} exited ${code}`)))));
}

/** One wrk run on core 0: requests, rps and wrk's own CPU per request (GNU time). */
async function wrk(url, kind, seconds) {
  const cpuFile = path.join(tmp, 'wrk-time');
  const out = await collect(['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, 'taskset', '-c', '0', 'wrk', '-t1', `-c${C}`, `-d${seconds}s`, ...(kind === 'mcp' ? ['-s', LUA] : []), url]);
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`${url}: wrk saw failures:\n${out}`);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { requests, rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), client_cpu_us: ((user + sys) * 1e6) / requests };
}

// One stub, one floor (noop and floor targets) and one capgate, all on the server core.
const stubPort = await freePort();
const stub = await startPinned(`env PORT=${stubPort} ${process.execPath} bench/rest/upstream.mjs`, /listening/);
const up = `http://127.0.0.1:${stubPort}`;
const gateways = {};
async function gatewayOf(name) {
  const who = name.startsWith('capgate') ? 'capgate' : 'floor';
  if (!gateways[who]) {
    const rp = await freePort();
    const mp = who === 'capgate' ? await freePort() : rp;
    const p = await startPinned(TARGETS[`${who}-rest`].cmd([process.execPath], rp, mp, up).join(' '), who === 'capgate' ? /MCP listening/ : /floor listening/);
    gateways[who] = { pid: p.pid, rp, mp };
  }
  return gateways[who];
}
const targets = [];
for (const name of NAMES) {
  const g = await gatewayOf(name);
  targets.push({ name, pid: g.pid, url: TARGETS[name].url(g.rp, g.mp), kind: TARGETS[name].kind });
}
console.error(`settling ${NAMES.length} targets (8 s each at c=64) …`);
for (const t of targets) await load(t.url, t.kind, 0, 64, 8, 0);

/** µs per request of one measured run: the gateway's, the stub's and the client's CPU, and the server core's idle time. */
async function measure(client, t) {
  const stubbed = !t.name.startsWith('noop');
  if (client === 'node') {
    const r = await load(t.url, t.kind, 0, C, SECONDS, 0, { warmup: 1, watch: [t.pid, stub.pid], watchCore: SERVER_CORE });
    return { rps: r.rps, wall_us: 1e6 / r.rps, gw_us: r.watched_cpu_us[t.pid], stub_us: stubbed ? r.watched_cpu_us[stub.pid] : NaN, client_us: r.client_cpu_us, idle_us: r.core_idle_us };
  }
  const go = (s) => (client === 'wrk' ? wrk(t.url, t.kind, s) : load(t.url, t.kind, 0, C, s, 0));
  await go(1); // warm-up run
  const g0 = cpuSeconds(t.pid), s0 = cpuSeconds(stub.pid), k0 = coreTicks()[SERVER_CORE];
  const r = await go(SECONDS);
  const g1 = cpuSeconds(t.pid), s1 = cpuSeconds(stub.pid), k1 = coreTicks()[SERVER_CORE];
  const idleS = ((k1.total - k1.busy) - (k0.total - k0.busy)) / CLK_TCK;
  return { rps: r.rps, wall_us: 1e6 / r.rps, gw_us: ((g1 - g0) * 1e6) / r.requests, stub_us: stubbed ? ((s1 - s0) * 1e6) / r.requests : NaN, client_us: r.client_cpu_us, idle_us: (idleS * 1e6) / r.requests };
}

const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const client of CLIENTS) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length];
      rows.push({ round, client, target: t.name, ...(await measure(client, t)) });
    }
  }
  console.error(`round ${round + 1}/${ROUNDS} done`);
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const pairs = [['noop-post', 'noop-get'], ['floor-mcp', 'floor-rest'], ['capgate-mcp', 'capgate-rest']];
for (const client of CLIENTS) {
  const label = { wrk: 'wrk -t1 (C)', node: 'load.mjs (Node, undici), warm', 'node-cold': 'load.mjs, a fresh process per run (as run.mjs)' }[client];
  console.log(`\n### c=${C}, client ${label}; medians of ${ROUNDS} rounds, µs per request\n`);
  console.log('| target | req/s | wall | gateway CPU | stub CPU | client CPU | server core idle |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const name of NAMES) {
    const rs = rows.filter((r) => r.client === client && r.target === name);
    const m = (k) => median(rs.map((r) => r[k]));
    console.log(`| ${name} | ${m('rps').toFixed(0)} | ${m('wall_us').toFixed(0)} | ${m('gw_us').toFixed(0)} | ${Number.isNaN(m('stub_us')) ? '–' : m('stub_us').toFixed(0)} | ${m('client_us').toFixed(0)} | ${m('idle_us').toFixed(0)} |`);
  }
  const ratios = pairs.filter(([a, b]) => NAMES.includes(a) && NAMES.includes(b)).map(([a, b]) => {
    const per = Array.from({ length: ROUNDS }, (_, round) => {
      const x = rows.find((r) => r.client === client && r.round === round && r.target === a);
      const y = rows.find((r) => r.client === client && r.round === round && r.target === b);
      return x.rps / y.rps;
    });
    return `${a} ÷ ${b} ${median(per).toFixed(2)}`;
  });
  console.log(`\nThroughput ratios (median of per-round ratios): ${ratios.join('; ')}.`);
}
process.exit(0); // targets.mjs kills every process it started
