#!/usr/bin/env node
// capgate throughput benchmarks, self-contained: starts an upstream stub, the hand-written Hono
// floor and capgate, drives them with one load generator per suite, and prints markdown tables.
//
//   node bench/run.mjs                      # both suites, 3 rounds × c=1,16,64 × 5 s (~15 min)
//   node bench/run.mjs --suite rest --rounds 1 --duration 2 --conc 64    # quick look
//
// Options: --suite rest,mcp   --rounds 3   --duration 5 (s)   --warmup 1 (s, before every run)
//          --settle 8 (s per gateway target at c=64 after each start, before the first measured run)
//          --conc 1,16,64     --out <dir> (writes machine.json, rest.jsonl, mcp.jsonl, summary.md;
//          nothing is written without it)   --no-pin   --foreign-max 0.2   --attempts 3
//          --no-fresh (keep one floor and one capgate process for all rounds; default: fresh ones per round)
//          --loadgen wrk|autocannon (REST suite; default wrk, autocannon when wrk is not installed)
//          --mcp-loadgen wrk|node (MCP suite; default wrk, bench/lib/client.mjs when wrk is not installed)
//          When wrk is missing the script says how to install it and falls back; it installs nothing.
//          --cpu-prof <dir> (run capgate under --cpu-prof)
//
// Layout: every server (stub, floor, capgate) pinned to core 1, the load generator to
// core 0, servers and load generator at nice -10 when allowed. "direct" = the stub alone on core 1,
// "via X" = X and the stub sharing core 1. Everything listens on 127.0.0.1 on free ports; every run
// is bounded in time; every process started here is killed by pid on exit.
//
// Suites (interleaved: for each round, for each concurrency, each target in a rotated order):
//   rest: direct | floor (bench/fixtures/floor.mjs) | capgate-raw (mapping `$.`) | capgate-mapped
//         (5-field JSONPath) — loaded with wrk (C) or autocannon.
//   mcp:  direct | floor | floor-mcp (the floor's hand-written POST /mcp) | capgate-rest (same route as
//         capgate-raw) | capgate-mcp (tools/call of the
//         same consumed operation) — all loaded with one client, so that MCP ÷ REST uses one client:
//         wrk with Lua scripts (the POST body; every answer checked as client.mjs does), or
//         bench/lib/client.mjs (Node, undici; warmed up in the same process before each measured run).
// CPU µs/request: utime+stime from /proc/<pid>/stat of the gateway process (floor or capgate) and of
// the stub, before/after each measured run, divided by completed requests. "foreign" = CPU time on
// the server core not explained by our processes (other tenants); runs above --foreign-max are
// retried and, if still contended, kept in the raw data but left out of the medians.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLK_TCK, coreTicks, cpuSeconds } from './lib/proc.mjs';
import { parseWrk, wrkScripts } from './lib/wrk.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

// ---------- options ----------
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const has = (name) => argv.includes(name);
const SUITES = opt('--suite', 'rest,mcp').split(',').filter(Boolean);
const ROUNDS = Number(opt('--rounds', 3));
const DURATION = Number(opt('--duration', 5));
const WARMUP = Number(opt('--warmup', 1));
// A new capgate process needs some 30-50 k MCP calls before its CPU per call stops falling, as V8
// optimises the path (docs/performance.md, bench/tools/warmup.mjs; 8 s at c=64 is 30-45 k of them); the
// floor needs far fewer. With a shorter warm-up, c=16 (measured second) saw a half-warm capgate MCP path.
const SETTLE = Number(opt('--settle', 8));
const CONC = opt('--conc', '1,16,64').split(',').map(Number);
const OUT = opt('--out', undefined);
const FOREIGN_MAX = Number(opt('--foreign-max', 0.2));
const ATTEMPTS = Number(opt('--attempts', 3));
const CPU_PROF = opt('--cpu-prof', undefined);
// wrk by default, as for the REST suite: a Node client spends 17-61 us more per tools/call than per GET
// (the most at c=1; docs/performance.md), which is the client's cost, not the gateway's.
let MCP_LOADGEN = opt('--mcp-loadgen', 'wrk');
if (!['node', 'wrk'].includes(MCP_LOADGEN)) throw new Error(`--mcp-loadgen must be node or wrk, not ${MCP_LOADGEN}`);
// A fresh floor and capgate process per round (default): two processes of the same code differ by
// up to ~25 % in CPU per request, so one process for the whole run is one draw of JIT/GC luck.
const FRESH = !has('--no-fresh');
const OP_ID = 'job-20c1e5d7';

const NCPU = os.cpus().length;
const canPin = !has('--no-pin') && NCPU >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const canNice = spawnSync('nice', ['-n', '-10', 'true']).status === 0 && process.getuid?.() === 0;
const SERVER_CPU = 1;
const LOADGEN_CPU = 0;

function wrapped(cmd, args, cpu) {
  let full = [cmd, ...args];
  if (canPin) full = ['taskset', '-c', String(cpu), ...full];
  if (canNice) full = ['nice', '-n', '-10', ...full];
  return full;
}

// ---------- process management ----------
const started = new Set();
function startServer(name, args, env, readyPattern) {
  const [cmd, ...rest] = wrapped(process.execPath, args, SERVER_CPU);
  const child = spawn(cmd, rest, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.on('exit', () => started.delete(child));
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 20 s:\n${log}`)), 20_000);
    const onData = (d) => {
      log += d;
      const m = readyPattern.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ name, child, pid: child.pid, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${log}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the child has exited. */
function stopChild(c) {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 3000);
    c.once('exit', () => {
      clearTimeout(t);
      res();
    });
    c.kill('SIGTERM');
  });
}

const stopServer = (server) => stopChild(server.child);

async function stopAll() {
  await Promise.all([...started].map(stopChild));
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    void stopAll().then(() => process.exit(130));
  });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      started.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err || out}`));
    });
  });
}

// ---------- /proc accounting ----------
/** CPU seconds of one of our processes; 0 once it has gone (a crash shows up in the run's errors). */
function procSeconds(pid) {
  try {
    return cpuSeconds(pid);
  } catch {
    return 0;
  }
}
// ---------- load generators ----------
let restLoadgen = opt('--loadgen', 'wrk');
const WRK_HINT =
  'install wrk to load with it: `apt-get install wrk` (Debian, Ubuntu), `dnf install wrk` (Fedora), `brew install wrk` (macOS)';
let wrkFound;
/** Whether wrk is on the PATH; the first time it is not, says how to install it (the caller falls back). */
function haveWrk() {
  if (wrkFound === undefined) {
    wrkFound = spawnSync('wrk', ['--version']).error === undefined;
    if (!wrkFound) console.error(`# wrk not found; ${WRK_HINT}`);
  }
  return wrkFound;
}

async function wrk(url, c, d, script) {
  const out = await run(
    ...split(
      wrapped(
        'wrk',
        ['-t1', `-c${c}`, `-d${Math.max(1, Math.round(d))}s`, '--latency', ...(script ? ['-s', script] : []), url],
        LOADGEN_CPU,
      ),
    ),
    (d + 30) * 1000,
  );
  return parseWrk(out);
}

async function autocannon(url, c, d) {
  const bin = path.join(root, 'node_modules', 'autocannon', 'autocannon.js');
  const out = await run(
    ...split(wrapped(process.execPath, [bin, '-c', String(c), '-d', String(d), '-p', '1', '-j', url], LOADGEN_CPU)),
    (d + 30) * 1000,
  );
  const j = JSON.parse(out);
  const ok = j['2xx'];
  return {
    requests: ok,
    non_ok: j.non2xx,
    errors: j.errors + j.timeouts,
    rps: ok / (j.duration || d),
    p50_ms: j.latency.p50,
    p99_ms: j.latency.p99,
  };
}

/**
 * `warm` (s) warms the client up in the same process first; `watch` pids get their CPU measured over the measured
 * phase only.
 */
async function nodeLoad(url, c, d, kind, { warm = 0, watch = [] } = {}) {
  const args = [path.join(here, 'lib', 'client.mjs'), '--url', url, '--kind', kind, '-c', String(c), '-d', String(d)];
  if (kind === 'mcp') args.push('--tool', 'get-operation', '--args', JSON.stringify({ id: OP_ID }));
  if (warm > 0) args.push('--warmup', String(warm));
  if (watch.length) args.push('--watch', watch.join(','));
  const out = await run(...split(wrapped(process.execPath, args, LOADGEN_CPU)), (warm + d + 30) * 1000);
  return JSON.parse(out.trim().split('\n').pop());
}

function split(full) {
  return [full[0], full.slice(1)];
}

// ---------- helpers ----------
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtMs = (n) => (!Number.isFinite(n) ? '–' : n >= 10 ? n.toFixed(1) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
const fmtX = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
const fmtUs = (n) => (Number.isFinite(n) ? n.toFixed(0) : '–');

async function fetchText(url, init) {
  const r = await fetch(url, init);
  return { status: r.status, text: await r.text() };
}

// ---------- main ----------
async function main() {
  if (SUITES.includes('rest') && restLoadgen === 'wrk' && !haveWrk()) {
    console.error('# REST suite: falling back to autocannon');
    restLoadgen = 'autocannon';
  }
  if (SUITES.includes('mcp') && MCP_LOADGEN === 'wrk' && !haveWrk()) {
    if (has('--mcp-loadgen')) throw new Error(`--mcp-loadgen wrk needs wrk; ${WRK_HINT}`);
    console.error('# MCP suite: falling back to bench/lib/client.mjs');
    MCP_LOADGEN = 'node';
  }

  const [stubPort, floorPort, restPort, mcpPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const stub = await startServer(
    'stub',
    [path.join(here, 'fixtures', 'upstream.mjs')],
    { PORT: String(stubPort) },
    /upstream listening on (\S+)/,
  );
  const startFloor = () =>
    startServer(
      'floor',
      [path.join(here, 'fixtures', 'floor.mjs')],
      { PORT: String(floorPort), UPSTREAM: stub.url },
      /floor listening on (\S+)/,
    );
  const startCapgate = async () => {
    const cgArgs = [
      ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(CPU_PROF)] : []),
      path.join(root, 'bin', 'capgate.js'),
      'serve',
      path.join(here, 'fixtures', 'capability.yaml'),
      '--upstream',
      `bench-upstream=${stub.url}`,
      '--rest-port',
      String(restPort),
      '--mcp-port',
      String(mcpPort),
    ];
    const cg = await startServer('capgate', cgArgs, {}, /capgate REST listening on (http[^\s"]+)/);
    // the MCP listener line may come right after the REST one
    for (let i = 0; i < 50; i++) {
      if (
        await fetchText(`http://127.0.0.1:${mcpPort}/mcp`, { method: 'DELETE' }).then(
          () => true,
          () => false,
        )
      )
        break;
      await sleep(100);
    }
    return cg;
  };
  // servers[0] is the stub; [1] the floor and [2] capgate, replaced when --fresh restarts them.
  const servers = [stub, await startFloor(), await startCapgate()];
  const GW = { floor: 1, capgate: 2 };
  /** A new floor and capgate process on the same ports: each process is one draw of JIT/GC luck. */
  const restartGateways = async () => {
    for (const i of [GW.floor, GW.capgate]) await stopServer(servers[i]);
    servers[GW.floor] = await startFloor();
    servers[GW.capgate] = await startCapgate();
  };

  const U = {
    direct: `${stub.url}/v1/operations/${OP_ID}`,
    floor: `http://127.0.0.1:${floorPort}/v1/operations/${OP_ID}`,
    raw: `http://127.0.0.1:${restPort}/v1/operations/${OP_ID}`,
    mapped: `http://127.0.0.1:${restPort}/v1/operations/${OP_ID}/summary`,
    mcp: `http://127.0.0.1:${mcpPort}/mcp`,
    floorMcp: `http://127.0.0.1:${floorPort}/mcp`,
  };

  // Correctness check before measuring anything.
  const want = (await fetchText(U.direct)).text;
  const check = (cond, what) => {
    if (!cond) throw new Error(`pre-check failed: ${what}`);
  };
  check((await fetchText(U.floor)).text === want, 'floor does not pass the body through');
  check((await fetchText(U.raw)).text === want, 'capgate pass-through differs from the upstream body');
  const mapped = JSON.parse((await fetchText(U.mapped)).text);
  check(
    Object.keys(mapped).length === 5 && mapped.team === 'payments' && mapped.percent === 61,
    `mapped route: ${JSON.stringify(mapped)}`,
  );
  const toolsCall = (url) =>
    fetchText(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get-operation', arguments: { id: OP_ID } },
      }),
    });
  for (const [url, what] of [
    [U.mcp, 'capgate'],
    [U.floorMcp, 'floor'],
  ]) {
    const mcpRes = await toolsCall(url);
    const rpc = JSON.parse(mcpRes.text);
    check(
      mcpRes.status === 200 && rpc.result?.content?.[0]?.text === want,
      `${what}: stateless tools/call without initialize: ${mcpRes.status} ${mcpRes.text.slice(0, 200)}`,
    );
  }

  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: NCPU,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    loadavg: os.loadavg().map((x) => +x.toFixed(2)),
    pinned: canPin,
    nice: canNice,
    restLoadgen,
    mcpLoadgen: MCP_LOADGEN,
    bodyBytes: Buffer.byteLength(want),
    rounds: ROUNDS,
    duration: DURATION,
    warmup: WARMUP,
    settle: SETTLE,
    conc: CONC,
    fresh: FRESH,
  };
  console.error(`# ${JSON.stringify(machine)}`);
  if (OUT) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(path.join(OUT, 'machine.json'), JSON.stringify(machine, null, 2) + '\n');
  }

  const scripts =
    MCP_LOADGEN === 'wrk' && SUITES.includes('mcp') ? wrkScripts('get-operation', { id: OP_ID }) : undefined;
  const mcpLoad = (t, c, d, measured) =>
    scripts
      ? wrk(t.url, c, d, scripts[t.kind])
      : nodeLoad(t.url, c, d, t.kind, measured ? { warm: WARMUP, watch: servers.map((x) => x.pid) } : {});
  const suites = {
    rest: {
      targets: [
        { name: 'direct', url: U.direct, gw: undefined },
        { name: 'floor', url: U.floor, gw: GW.floor },
        { name: 'capgate-raw', url: U.raw, gw: GW.capgate },
        { name: 'capgate-mapped', url: U.mapped, gw: GW.capgate },
      ],
      load: (t, c, d) => (restLoadgen === 'wrk' ? wrk(t.url, c, d) : autocannon(t.url, c, d)),
    },
    mcp: {
      targets: [
        { name: 'direct', url: U.direct, gw: undefined, kind: 'get' },
        { name: 'floor', url: U.floor, gw: GW.floor, kind: 'get' },
        { name: 'floor-mcp', url: U.floorMcp, gw: GW.floor, kind: 'mcp' },
        { name: 'capgate-rest', url: U.raw, gw: GW.capgate, kind: 'get' },
        { name: 'capgate-mcp', url: U.mcp, gw: GW.capgate, kind: 'mcp' },
      ],
      load: mcpLoad,
      // client.mjs warms itself up in the process it measures with: a fresh Node client spends 1.5-2x
      // the CPU per request for its first seconds, and at c = 1 that is part of every round trip.
      warmsItself: MCP_LOADGEN === 'node',
    },
  };

  /**
   * Load every gateway target for --settle s after a start, toward steady state (JIT, pools); the stub alone needs
   * little.
   */
  const settle = async (targets, load) => {
    for (const t of targets) {
      if (t.gw === undefined) await load(t, 16, 2);
      else if (SETTLE > 0) await load(t, 64, SETTLE);
    }
  };
  // With fresh processes, every suite after the first restarts the gateways (and settles them) first.
  for (const s of FRESH ? SUITES.slice(0, 1) : SUITES) await settle(suites[s].targets, suites[s].load);

  const results = {};
  for (const s of SUITES) {
    const { targets, load, warmsItself } = suites[s];
    const rows = (results[s] = []);
    for (let round = 0; round < ROUNDS; round++) {
      if (FRESH && (round > 0 || s !== SUITES[0])) {
        await restartGateways();
        await settle(targets, load);
      }
      for (const c of CONC) {
        const order = targets.map((_, i) => targets[(i + round) % targets.length]);
        for (const t of order) {
          let row;
          for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (WARMUP > 0 && !warmsItself) await load(t, c, WARMUP);
            const p0 = servers.map((x) => procSeconds(x.pid));
            const k0 = coreTicks();
            const t0 = performance.now();
            const r = await load(t, c, DURATION, true);
            const wall = (performance.now() - t0) / 1000;
            const p1 = servers.map((x) => procSeconds(x.pid));
            const k1 = coreTicks();
            const d = servers.map((_, i) => p1[i] - p0[i]);
            const ours = d.reduce((a, b) => a + b, 0);
            const core = (n) => (k1[n] && k0[n] ? (k1[n].busy - k0[n].busy) / CLK_TCK : NaN);
            const serverBusy = core(SERVER_CPU) / wall;
            const foreign = canPin ? Math.max(0, core(SERVER_CPU) - ours) / wall : NaN;
            const gwIdx = t.gw ?? -1;
            // CPU per request over the measured phase: from client.mjs when it warmed up in-process (the
            // window here then also holds the warm-up), else from the window around the run.
            const cpuUs = (i) => r.watched_cpu_us?.[servers[i].pid] ?? (r.requests ? (d[i] * 1e6) / r.requests : NaN);
            row = {
              suite: s,
              round,
              c,
              target: t.name,
              attempt,
              ...r,
              gw_cpu_us: gwIdx >= 0 ? cpuUs(gwIdx) : NaN,
              up_cpu_us: cpuUs(0),
              server_core_busy: +serverBusy.toFixed(3),
              loadgen_core_busy: +(core(LOADGEN_CPU) / wall).toFixed(3),
              foreign: +foreign.toFixed(3),
              contended: canPin && foreign > FOREIGN_MAX,
            };
            const tag = row.contended ? ` CONTENDED (foreign ${(foreign * 100).toFixed(0)}%)` : '';
            console.error(
              `${s} r${round} c=${c} ${t.name.padEnd(15)} ${fmtInt(row.rps).padStart(7)} rps  p50 ${fmtMs(row.p50_ms)} ms  p99 ${fmtMs(row.p99_ms)} ms  gw ${fmtUs(row.gw_cpu_us)} µs/req  err ${row.errors + row.non_ok}${tag}`,
            );
            if (OUT) appendFileSync(path.join(OUT, `${s}.jsonl`), JSON.stringify(row) + '\n');
            if (!row.contended) break;
            await sleep(2000 * attempt);
          }
          rows.push(row);
        }
      }
    }
  }

  await stopAll();
  const md = report(machine, results);
  if (OUT) writeFileSync(path.join(OUT, 'summary.md'), md);
  process.stdout.write(md);
}

// ---------- report ----------
function report(machine, results) {
  const lines = [];
  const p = (s = '') => lines.push(s);
  p(`## capgate benchmark — ${machine.date.slice(0, 16).replace('T', ' ')} UTC`);
  p();
  p(
    `Node ${machine.node}, ${machine.cores} × ${machine.cpu}, ${machine.memGiB} GiB, Linux ${machine.kernel}; load average at start ${machine.loadavg.join(' / ')}.`,
  );
  p(
    `${machine.pinned ? 'Pinned: servers (stub, floor, capgate) on core 1, load generator on core 0' : 'NOT pinned (taskset unavailable, < 2 cores, or --no-pin): servers and load generator float over all cores'}${machine.nice ? ', nice -10' : ''}.`,
  );
  p(
    `Upstream body ${machine.bodyBytes} B, 0 ms delay. ${machine.rounds} interleaved rounds × ${machine.duration} s per run (+ ${machine.warmup} s warm-up each${machine.settle > 0 ? `; every gateway process first settled by ${machine.settle} s of load per target at c=64` : ''}), medians; ratios are taken per round, then the median.${machine.fresh ? ' A fresh floor and capgate process per round (each process is one draw of JIT/GC luck).' : ' One floor and one capgate process for the whole run (--no-fresh).'} Contended runs (foreign CPU on the server core > ${FOREIGN_MAX * 100} %) are retried and left out.`,
  );
  p();
  const med = (rows, f) => median(rows.filter((r) => !r.contended).map(f));
  const ratio = (rows, a, b, c, f) =>
    median(
      [...new Set(rows.map((r) => r.round))].map((round) => {
        const x = rows.find((r) => r.round === round && r.c === c && r.target === a && !r.contended);
        const y = rows.find((r) => r.round === round && r.c === c && r.target === b && !r.contended);
        return x && y ? f(x) / f(y) : NaN;
      }),
    );
  const table = (rows, targets, base, baseLabel) => {
    p(
      `| target | c | req/s | × direct | × ${baseLabel} | p50 ms | p99 ms | gateway CPU µs/req | stub CPU µs/req | errors |`,
    );
    p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of CONC) {
      for (const t of targets) {
        const rs = rows.filter((r) => r.c === c && r.target === t);
        if (!rs.length) continue;
        const errs = rs.reduce((a, r) => a + (r.errors || 0) + (r.non_ok || 0), 0);
        p(
          `| ${t} | ${c} | ${fmtInt(med(rs, (r) => r.rps))} | ${fmtX(ratio(rows, t, 'direct', c, (r) => r.rps))} | ${t === 'direct' ? '–' : fmtX(ratio(rows, t, base, c, (r) => r.rps))} | ${fmtMs(med(rs, (r) => r.p50_ms))} | ${fmtMs(med(rs, (r) => r.p99_ms))} | ${fmtUs(med(rs, (r) => r.gw_cpu_us))} | ${fmtUs(med(rs, (r) => r.up_cpu_us))} | ${errs} |`,
        );
      }
    }
    const dropped = rows.filter((r) => r.contended).length;
    p();
    p(`${rows.length} measured runs, ${dropped} contended and left out.`);
    p();
  };
  if (results.rest) {
    p(`### REST — load generator: ${machine.restLoadgen === 'wrk' ? 'wrk -t1 (C)' : 'autocannon (Node)'}`);
    p();
    table(results.rest, ['direct', 'floor', 'capgate-raw', 'capgate-mapped'], 'floor', 'floor');
    const hl = (c) =>
      `c=${c}: raw ${fmtX(ratio(results.rest, 'capgate-raw', 'floor', c, (r) => r.rps))} / mapped ${fmtX(ratio(results.rest, 'capgate-mapped', 'floor', c, (r) => r.rps))}`;
    p(`capgate ÷ floor throughput (target ≥ 0.9× for raw): ${CONC.map(hl).join('; ')}.`);
    p();
  }
  if (results.mcp) {
    p(
      `### MCP tools/call vs REST — load generator: ${machine.mcpLoadgen === 'wrk' ? 'wrk -t1 (C) with Lua scripts that check every answer' : 'bench/lib/client.mjs (Node, undici, closed loop, warmed up in the process it measures with)'}`,
    );
    p();
    table(results.mcp, ['direct', 'floor', 'floor-mcp', 'capgate-rest', 'capgate-mcp'], 'capgate-rest', 'capgate REST');
    const x = (a, b, c) => fmtX(ratio(results.mcp, a, b, c, (r) => r.rps));
    p(
      `capgate MCP ÷ capgate REST throughput (target ≥ 0.8×): ${CONC.map((c) => `c=${c}: ${x('capgate-mcp', 'capgate-rest', c)}`).join('; ')}.`,
    );
    p();
    p(
      `For reference, the same ratio for the hand-written floors (floor-mcp ÷ floor, what Node itself allows): ${CONC.map((c) => `c=${c}: ${x('floor-mcp', 'floor', c)}`).join('; ')}; capgate MCP ÷ floor-mcp: ${CONC.map((c) => `c=${c}: ${x('capgate-mcp', 'floor-mcp', c)}`).join('; ')}.`,
    );
    p();
  }
  return lines.join('\n') + '\n';
}

main().catch(async (err) => {
  console.error(err.stack ?? err);
  await stopAll();
  process.exit(1);
});
