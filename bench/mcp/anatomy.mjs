#!/usr/bin/env node
// Where one request's time goes at a given concurrency (default c = 1), per target: throughput, the
// gateway's, the stub's and the load generator's CPU per request, and how long the server core sat idle
// per request. On the server core, gateway + stub + idle (+ kernel time charged to neither) ≈ the wall
// time per request; the client runs on the other core, and at c = 1 its CPU falls inside that idle time.
// Together they show whether the server core, the client or waiting bounds MCP ÷ REST there.
//
//   node bench/mcp/anatomy.mjs [--client node,node-cold,wrk] [--conc 1] [--rounds 6] [--duration 3]
//        [--target noop-get,noop-post,floor-rest,floor-mcp,capgate-rest,capgate-mcp]
//
// Clients: `node` is load.mjs, warmed up for 1 s in the same process (as run.mjs's MCP suite runs it);
// `node-cold` is load.mjs as run.mjs ran it before session 6 (a separate 1-s warm-up run, then a fresh
// process that measures); with both, load.mjs reads its own CPU, the servers' and the core's idle time
// over its measured phase. `wrk` is wrk -t1 (C) with run.mjs's Lua scripts (the MCP POST; every answer
// checked), a separate 1-s warm-up run, its CPU from /usr/bin/time and the rest read around the run. noop-get / noop-post are
// the floor's /noop route: a fixed reply with no upstream, so their ratio is what a POST with a body
// costs over a GET by itself. Layout as in run.mjs: servers on core 1, the client on core 0; each
// gateway process is settled (8 s at c = 64 per target) before the first measured run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLK_TCK, coreTicks } from '../proc.mjs';
import { parseWrk, wrkScripts } from '../wrk.mjs';
import { TARGETS, cpuSeconds, freePort, load, root, startPinned } from './targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const C = Number(opt('--conc', 1));
const ROUNDS = Number(opt('--rounds', 6));
const SECONDS = Number(opt('--duration', 3));
const CLIENTS = opt('--client', 'node,node-cold,wrk').split(',');
const NAMES = opt('--target', 'noop-get,noop-post,floor-rest,floor-mcp,capgate-rest,capgate-mcp').split(',');
// One floor process serves noop-* and floor-*, one capgate process capgate-* (both as started for *-rest).
const KNOWN = ['noop-get', 'noop-post', 'floor-rest', 'floor-mcp', 'capgate-rest', 'capgate-mcp'];
for (const n of NAMES) if (!KNOWN.includes(n)) throw new Error(`unknown target ${n}; known: ${KNOWN.join(', ')}`);
for (const c of CLIENTS) if (!['node', 'node-cold', 'wrk'].includes(c)) throw new Error(`--client takes node, node-cold and wrk, not ${c}`);
const ARGS = '{"id":"job-20c1e5d7"}';
const SERVER_CORE = '1';

const LUA = wrkScripts('get-operation', JSON.parse(ARGS));

function collect(cmd) {
  const k = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  k.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => k.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd.join(' ')} exited ${code}`)))));
}

/** One wrk run on core 0: requests, rps and wrk's own CPU per request (GNU time). */
async function wrk(url, kind, seconds) {
  const cpuFile = `${LUA.get}.time`;
  const out = await collect(['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, 'taskset', '-c', '0', 'wrk', '-t1', `-c${C}`, `-d${seconds}s`, '-s', LUA[kind], url]);
  const r = parseWrk(out);
  if (r.non_ok + r.errors > 0) throw new Error(`${url}: wrk saw failures:\n${out}`);
  const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { requests: r.requests, rps: r.rps, client_cpu_us: ((user + sys) * 1e6) / r.requests };
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
  if (client !== 'wrk') {
    if (client === 'node-cold') await load(t.url, t.kind, 0, C, 1, 0); // warm-up in a process of its own
    const r = await load(t.url, t.kind, 0, C, SECONDS, 0, { warmup: client === 'node' ? 1 : 0, watch: [t.pid, stub.pid], watchCore: SERVER_CORE });
    return { rps: r.rps, wall_us: 1e6 / r.rps, gw_us: r.watched_cpu_us[t.pid], stub_us: stubbed ? r.watched_cpu_us[stub.pid] : NaN, client_us: r.client_cpu_us, idle_us: r.core_idle_us };
  }
  await wrk(t.url, t.kind, 1); // warm-up run
  const g0 = cpuSeconds(t.pid), s0 = cpuSeconds(stub.pid), k0 = coreTicks()[SERVER_CORE];
  const r = await wrk(t.url, t.kind, SECONDS);
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
  const label = { wrk: 'wrk -t1 (C)', node: 'load.mjs (Node, undici), warm', 'node-cold': 'load.mjs, a fresh process per run (as run.mjs before session 6)' }[client];
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
