#!/usr/bin/env node
// Hot reload of a large capability folder: how long one changed file among many takes to be served, and whether
// requests fail while reloads happen under load.
//
//   node bench/reload.mjs                                   # 1,000 files, 20 runs per way, 30 s per load phase (~5 min)
//   node bench/reload.mjs --files 200 --runs 5 --duration 8 # a quick look (~1 min)
//   node bench/reload.mjs --out bench/results/reload        # also write results.json and summary.md there
//
// Options: --files 1000   --runs 20 (edits per reload way)   --duration 30 (s per load phase)
//          --reloads 50 (reloads during the loaded phase)    --conc 16 (load connections, split over 4 clients)
//          --timeout 10 (s: a load request unanswered this long counts as failed)
//          --broken-every 10 (every n-th edit under load writes a file with an error, kept out by the gateway;
//          0: never)   --no-sighup   --no-load   --no-pin   --keep (keep the generated folder)   --out <dir>
//          --capgate <path> (the bin/capgate.js of another checkout, built; default this one's)
//
// What it does. An upstream stub (fixtures/upstream.mjs) and N generated capability files, each its own namespace
// with a consumed operation on the stub, a REST adapter (two routes) and an MCP adapter (two tools), all merged on
// one REST and one MCP port (`--rest-port 0 --mcp-port 0 --control-port 0`), compiled build (bin/capgate.js).
// 1. Latency. An edit replaces one file's "generation": a REST route /cNNNN/gK/operations/{id} and an MCP tool
//    op-NNNN-gK appear (the previous generation's go). From just before the write, the new route and the new tool
//    are polled every 2 ms (one request at a time each) until both answer 200 with a result: that is "served".
//    (a) the file watcher; on a gateway started with --no-watch, (b) POST /reload on the control port (its answer
//    time, and until served) and (c) SIGHUP. Also: POST /reload with nothing changed, and the cold start (spawn to
//    the REST, MCP and control "listening on" lines). The edited file rotates over the folder.
// 2. Failures under load. A fresh gateway (watching) gets closed-loop load (lib/client.mjs, 4 processes of conc/4
//    connections: REST and MCP tools/call, each on a file never edited and on the routes of the edited file that
//    stay) for --duration s without reloads, then --duration s while --reloads reloads happen, cycling: an edit
//    (watcher), POST /reload with nothing changed, an edit followed at once by POST /reload (the watcher's reload
//    follows and merges), SIGHUP. Every answer that is not 200 with a result, every connection error or reset and
//    every request unanswered after --timeout counts as failed. Target: 0.
// Layout as in run.mjs: with taskset and >= 2 cores the stub and capgate run on core 1, this driver and the load
// clients on core 0. Every process started here is killed by pid (its process group) on exit.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

// ---------- options ----------
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const has = (name) => argv.includes(name);
const FILES = Number(opt('--files', 1000));
const RUNS = Number(opt('--runs', 20));
const DURATION = Number(opt('--duration', 30));
const RELOADS = Number(opt('--reloads', 50));
const CONC = Number(opt('--conc', 16));
const TIMEOUT_S = Number(opt('--timeout', 10));
const BROKEN_EVERY = Number(opt('--broken-every', 10));
const OUT = opt('--out', undefined);
const SIGHUP = !has('--no-sighup');
const LOAD = !has('--no-load');
const KEEP = has('--keep');
// Another build to measure (an A/B of two checkouts): the path of its bin/capgate.js.
const CAPGATE = path.resolve(root, opt('--capgate', 'bin/capgate.js'));
const POLL_MS = 2;
const SERVED_TIMEOUT_MS = 30_000;
for (const [k, v] of Object.entries({ FILES, RUNS, DURATION, RELOADS, CONC }))
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k.toLowerCase()} must be a positive integer`);
if (CONC < 4) throw new Error('--conc must be at least 4 (one connection per load client)');

const NCPU = os.cpus().length;
const canPin = !has('--no-pin') && NCPU >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const SERVER_CPU = 1;
const DRIVER_CPU = 0;
if (canPin) spawnSync('taskset', ['-pc', String(DRIVER_CPU), String(process.pid)]);

// ---------- processes ----------
const live = new Set();
const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
process.on('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function start(cmd, args, cpu) {
  const full = canPin ? ['taskset', '-c', String(cpu), cmd, ...args] : [cmd, ...args];
  const child = spawn(full[0], full.slice(1), { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Call `onLine` for each line of a stream. */
function lines(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop();
    for (const l of parts) onLine(l);
  });
}

async function startUpstream() {
  const child = start(process.execPath, [path.join(here, 'fixtures/upstream.mjs')], SERVER_CPU);
  return new Promise((resolve, reject) => {
    lines(child.stdout, (l) => {
      const m = /listening on (\S+)/.exec(l);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`upstream stub exited (${code})`)));
  });
}

/** capgate on the folder; resolves when the REST, MCP and control listeners are logged. */
async function startGateway(dir, { watch }) {
  const args = [CAPGATE, 'serve', '--rest-port', '0', '--mcp-port', '0', '--control-port', '0'];
  args.push('--log-format', 'json', '--log-level', 'info', ...(watch ? [] : ['--no-watch']), dir);
  const t0 = performance.now();
  const child = start(process.execPath, args, SERVER_CPU);
  const gw = { child, pid: child.pid, urls: {}, errors: [], warnings: 0, reloadLines: [] };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('capgate did not listen within 120 s')), 120_000);
    lines(child.stderr, (l) => {
      let rec;
      try {
        rec = JSON.parse(l);
      } catch {
        gw.errors.push(l);
        return;
      }
      if (rec.level === 'error') gw.errors.push(rec.msg);
      if (rec.level === 'warn') gw.warnings++;
      if (rec.msg?.startsWith('reload')) gw.reloadLines.push(rec);
      if (rec.kind && rec.url && /listening on/.test(rec.msg)) {
        gw.urls[rec.kind] = rec.url;
        if (gw.urls.rest && gw.urls.mcp && gw.urls.control && gw.coldMs === undefined) {
          gw.coldMs = performance.now() - t0;
          gw.rssAtStartMb = rssMb(child.pid);
          clearTimeout(timer);
          gw.rest = new Pool(gw.urls.rest, { connections: 1 });
          gw.mcp = new Pool(new URL(gw.urls.mcp).origin, { connections: 1 });
          gw.control = new Pool(gw.urls.control, { connections: 1 });
          resolve(gw);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`capgate exited (${code}):\n${gw.errors.slice(-10).join('\n')}`));
    });
  });
}

async function stopGateway(gw) {
  await Promise.all([gw.rest, gw.mcp, gw.control].map((p) => p.close()));
  await stop(gw.child);
}

function rssMb(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? +(Number(m[1]) / 1024).toFixed(1) : NaN;
  } catch {
    return NaN;
  }
}

// ---------- capability files ----------
const pad = (i) => String(i).padStart(4, '0');

/** One capability: namespace up-NNNN on the stub; REST rest-NNNN and MCP mcp-NNNN, with the edited generation. */
function capability(i, upstream, gen, broken = false) {
  const n = pad(i);
  const at = (indent, text) => text.replace(/^/gm, ' '.repeat(indent));
  const whole = `- type: object\n  mapping: '$.'`;
  const summary = `- type: object
  properties:
    id:
      type: string
      mapping: '$.id'
    state:
      type: string
      mapping: '$.status'`;
  const route = (p, name, output) => `        - path: ${p}
          name: ${name}
          operations:
            - method: GET
              name: ${name}
              inputParameters:
                - name: id
                  in: path
                  type: string
                  description: Operation id.
                  required: true
              call: up-${n}.get-operation
              with:
                id: rest-${n}.id
              outputParameters:
${at(16, output)}`;
  // A broken generation calls an operation nobody declares: a load error, so the file's new version is refused.
  const tool = (name, output, bad = false) => `        - name: ${name}
          description: Fetch one operation by id.
          inputParameters:
            - name: id
              type: string
              description: Operation id.
              required: true
          call: up-${n}.${bad ? 'no-such-operation' : 'get-operation'}
          with:
            id: mcp-${n}.id
          outputParameters:
${at(12, output)}`;
  const routes = [route(`/c${n}/operations/{id}`, 'get-operation', whole)];
  routes.push(route(`/c${n}/operations/{id}/summary`, 'get-summary', summary));
  const tools = [tool(`op-${n}`, whole), tool(`op-${n}-summary`, summary)];
  if (gen !== undefined) {
    routes.push(route(`/c${n}/g${gen}/operations/{id}`, `get-g${gen}`, whole));
    tools.push(tool(`op-${n}-g${gen}`, whole, broken));
  }
  return `naftiko: '1.0.0-alpha2'
info:
  label: reload bench ${n}
  description: Generated by bench/reload.mjs.
capability:
  consumes:
    - namespace: up-${n}
      type: http
      baseUri: '${upstream}'
      resources:
        - name: operations
          path: /v1/operations/{id}
          operations:
            - name: get-operation
              method: GET
              outputRawFormat: json
              inputParameters:
                - name: id
                  in: path
                  required: true
  exposes:
    - type: rest
      port: 18480
      namespace: rest-${n}
      resources:
${routes.join('\n')}
    - type: mcp
      port: 18490
      namespace: mcp-${n}
      description: Reload bench adapter ${n}.
      tools:
${tools.join('\n')}
`;
}

// ---------- requests ----------
const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};
let rpcId = 0;

async function restOk(gw, p) {
  const r = await gw.rest.request({ method: 'GET', path: p });
  const text = await r.body.text();
  return r.statusCode === 200 && text.length > 0;
}

async function toolOk(gw, name) {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: ++rpcId,
    method: 'tools/call',
    params: { name, arguments: { id: 'job-1' } },
  });
  const r = await gw.mcp.request({ method: 'POST', path: new URL(gw.urls.mcp).pathname, headers: MCP_HEADERS, body });
  const text = await r.body.text();
  return r.statusCode === 200 && text.includes('"result"') && !text.includes('"isError":true');
}

async function control(gw, method, p) {
  const t0 = performance.now();
  const r = await gw.control.request({ method, path: p });
  const text = await r.body.text();
  return { status: r.statusCode, ms: performance.now() - t0, text };
}

async function reloadsTotal(gw) {
  const { text } = await control(gw, 'GET', '/metrics');
  let ok = 0;
  let failed = 0;
  for (const m of text.matchAll(/^capgate_reloads_total\{result="(ok|failed)"\} (\d+)/gm))
    if (m[1] === 'ok') ok = Number(m[2]);
    else failed = Number(m[2]);
  return { ok, failed };
}

/** ms from `t0` until `check` first succeeds, polled every POLL_MS, one request at a time. */
async function until(t0, check) {
  for (;;) {
    try {
      if (await check()) return performance.now() - t0;
    } catch {
      // not served yet, or a connection hiccup: poll again
    }
    if (performance.now() - t0 > SERVED_TIMEOUT_MS) throw new Error(`not served after ${SERVED_TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

/** ms from `t0` until file i's generation `gen` is served on REST and on MCP (and each separately). */
async function served(gw, t0, i, gen) {
  const [rest, mcp] = await Promise.all([
    until(t0, () => restOk(gw, `/c${pad(i)}/g${gen}/operations/job-1`)),
    until(t0, () => toolOk(gw, `op-${pad(i)}-g${gen}`)),
  ]);
  return { rest, mcp, both: Math.max(rest, mcp) };
}

// ---------- statistics ----------
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : NaN;
};
const stats = (xs) => ({ n: xs.length, median: q(xs, 0.5), p95: q(xs, 0.95), max: Math.max(...xs) });
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const row = (label, xs) => {
  const s = stats(xs);
  return `| ${label} | ${s.n} | ${f1(s.median)} | ${f1(s.p95)} | ${f1(s.max)} |`;
};

// ---------- the run ----------
const dir = mkdtempSync(path.join(os.tmpdir(), 'capgate-reload-'));
const capDir = path.join(dir, 'capabilities');
mkdirSync(capDir);
if (!KEEP) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const machine = {
  node: process.version,
  cpus: NCPU,
  model: os.cpus()[0]?.model,
  pinned: canPin,
  loadavgBefore: os.loadavg().map((x) => +x.toFixed(2)),
};
console.error(`# ${FILES} files in ${capDir}; node ${process.version}, ${NCPU} cores, load ${machine.loadavgBefore}`);

const upstream = await startUpstream();
const gens = new Map(); // file index -> generation written last
const write = (i, gen, broken = false) => {
  gens.set(i, gen);
  writeFileSync(path.join(capDir, `cap-${pad(i)}.yaml`), capability(i, upstream.url, gen, broken));
};
for (let i = 0; i < FILES; i++) write(i, undefined);
let nextGen = 1;
const fileOfRun = (r) => (1 + r * 397) % FILES; // spread over the folder; file 0 is the one edited under load
const results = {
  machine,
  capgate: CAPGATE,
  options: { FILES, RUNS, DURATION, RELOADS, CONC, TIMEOUT_S, BROKEN_EVERY },
  cold: [],
};

// 1a. the file watcher
{
  const gw = await startGateway(capDir, { watch: true });
  results.cold.push(gw.coldMs);
  console.error(`cold start (watching): ${gw.coldMs.toFixed(0)} ms, RSS ${gw.rssAtStartMb} MB`);
  // The watcher says nothing when its first scan is done: edit until an edit is served (that warms the path too).
  for (let tries = 0; ; tries++) {
    const i = fileOfRun(RUNS);
    const gen = nextGen++;
    write(i, gen);
    try {
      await served(gw, performance.now(), i, gen);
      break;
    } catch (err) {
      if (tries >= 3) throw err;
    }
  }
  const watched = [];
  for (let r = 0; r < RUNS; r++) {
    const i = fileOfRun(r);
    const gen = nextGen++;
    const t0 = performance.now();
    write(i, gen);
    const s = await served(gw, t0, i, gen);
    const status = JSON.parse((await control(gw, 'GET', '/status')).text);
    watched.push({
      ...s,
      serverMs: status.lastReload?.durationMs,
      reloaded: status.lastReload?.reloaded?.length,
      rssMb: rssMb(gw.pid),
    });
    await sleep(300); // the watcher's quiet period, so each edit is a reload of its own
  }
  results.watch = watched;
  results.rssAfterWatchRunsMb = rssMb(gw.pid);
  results.watchErrors = gw.errors.length;
  await stopGateway(gw);
}

// 1b, 1c. POST /reload and SIGHUP, nothing changed
{
  const gw = await startGateway(capDir, { watch: false });
  results.cold.push(gw.coldMs);
  console.error(`cold start (--no-watch): ${gw.coldMs.toFixed(0)} ms, RSS ${gw.rssAtStartMb} MB`);
  const post = [];
  const hup = [];
  const noop = [];
  for (let r = 0; r < RUNS; r++) {
    const i = fileOfRun(r);
    const gen = nextGen++;
    write(i, gen);
    const t0 = performance.now();
    const res = await control(gw, 'POST', '/reload');
    if (res.status !== 200) throw new Error(`POST /reload answered ${res.status}: ${res.text.slice(0, 300)}`);
    const rep = JSON.parse(res.text);
    const s = await served(gw, t0, i, gen);
    post.push({ answerMs: res.ms, serverMs: rep.durationMs, reloaded: rep.reloaded.length, ...s });
  }
  for (let r = 0; SIGHUP && r < RUNS; r++) {
    const i = fileOfRun(r);
    const gen = nextGen++;
    write(i, gen);
    const t0 = performance.now();
    process.kill(gw.pid, 'SIGHUP');
    hup.push(await served(gw, t0, i, gen));
  }
  for (let r = 0; r < RUNS; r++) {
    const res = await control(gw, 'POST', '/reload');
    const rep = JSON.parse(res.text);
    noop.push({ answerMs: res.ms, serverMs: rep.durationMs, reloaded: rep.reloaded.length });
  }
  results.post = post;
  results.sighup = hup;
  results.noop = noop;
  results.rssAfterPostRunsMb = rssMb(gw.pid);
  results.postErrors = gw.errors.length;
  await stopGateway(gw);
}

// 2. failures under load
if (LOAD) {
  const gw = await startGateway(capDir, { watch: true });
  results.cold.push(gw.coldMs);
  console.error(`cold start (watching, load phase): ${gw.coldMs.toFixed(0)} ms`);
  const EDITED = 0;
  const STABLE = Math.floor(FILES / 2) || 0;
  write(EDITED, nextGen++);
  await served(gw, performance.now(), EDITED, gens.get(EDITED)); // the watcher is up
  const mcpUrl = gw.urls.mcp;
  const per = Math.floor(CONC / 4);
  const targets = [
    { name: 'rest-stable', args: ['--url', `${gw.urls.rest}/c${pad(STABLE)}/operations/job-1`, '--kind', 'get'] },
    { name: 'rest-edited', args: ['--url', `${gw.urls.rest}/c${pad(EDITED)}/operations/job-1`, '--kind', 'get'] },
    { name: 'mcp-stable', args: ['--url', mcpUrl, '--kind', 'mcp', '--tool', `op-${pad(STABLE)}`] },
    { name: 'mcp-edited', args: ['--url', mcpUrl, '--kind', 'mcp', '--tool', `op-${pad(EDITED)}-summary`] },
  ];
  const WARMUP_S = 2;
  const load = (seconds, warmup) =>
    Promise.all(
      targets.map(
        (t) =>
          new Promise((resolve, reject) => {
            const c = start(
              process.execPath,
              [
                path.join(here, 'lib/client.mjs'),
                ...t.args,
                '--args',
                '{"id":"job-1"}',
                '-c',
                String(per),
                '-d',
                String(seconds),
                '--warmup',
                String(warmup),
                '--timeout',
                String(TIMEOUT_S),
              ],
              DRIVER_CPU,
            );
            let out = '';
            let err = '';
            c.stdout.on('data', (d) => (out += d));
            c.stderr.on('data', (d) => (err += d));
            c.on('exit', (code) => {
              try {
                resolve({ target: t.name, ...JSON.parse(out.trim().split('\n').pop()) });
              } catch {
                reject(new Error(`load client ${t.name} exited (${code}): ${err.slice(-500)}`));
              }
            });
          }),
      ),
    );

  await load(5, 0); // settle: the gateway's request path warm before anything is measured
  const before = await reloadsTotal(gw);
  results.baseline = await load(DURATION, WARMUP_S);
  const driver = [];
  const loaded = load(DURATION, WARMUP_S);
  const slot = ((DURATION - 1.5) * 1000) / RELOADS;
  const tStart = performance.now() + (WARMUP_S + 0.5) * 1000;
  await sleep(tStart - performance.now());
  let edits = 0;
  for (let k = 0; k < RELOADS; k++) {
    await sleep(Math.max(0, tStart + k * slot - performance.now()));
    const way = ['edit', 'post', 'edit+post', 'sighup'][k % 4];
    const t0 = performance.now();
    const entry = { way };
    if (way === 'edit' || way === 'edit+post') {
      edits++;
      const broken = BROKEN_EVERY > 0 && edits % BROKEN_EVERY === 0;
      const gen = nextGen++;
      write(EDITED, gen, broken);
      entry.broken = broken;
      if (way === 'edit+post') {
        const res = await control(gw, 'POST', '/reload');
        entry.status = res.status;
        entry.answerMs = res.ms;
      }
      // A broken version is kept out (the last good one serves): nothing new to see.
      if (!broken) Object.assign(entry, await served(gw, t0, EDITED, gen));
    } else if (way === 'post') {
      const res = await control(gw, 'POST', '/reload');
      entry.status = res.status;
      entry.answerMs = res.ms;
    } else {
      process.kill(gw.pid, 'SIGHUP');
    }
    driver.push(entry);
  }
  results.loaded = await loaded;
  await sleep(500); // the last watcher batch
  const after = await reloadsTotal(gw);
  results.reloadsDuringLoad = { ok: after.ok - before.ok, failed: after.failed - before.failed };
  results.driver = driver;
  results.rssAfterLoadMb = rssMb(gw.pid);
  results.loadErrors = gw.errors;
  await stopGateway(gw);
}
await stop(upstream.child);
machine.loadavgAfter = os.loadavg().map((x) => +x.toFixed(2));

// ---------- report ----------
const md = [];
md.push(
  `Reload bench: ${FILES} capability files (each 2 REST routes + 2 MCP tools, merged on one port each), node ${machine.node}, ` +
    `${machine.cpus} × ${machine.model}, ${canPin ? 'stub and capgate pinned to core 1, driver and load on core 0' : 'not pinned'}; ` +
    `load average ${machine.loadavgBefore.join(' / ')} before, ${machine.loadavgAfter.join(' / ')} after.`,
  '',
  '| ms | n | median | p95 | max |',
  '|---|---:|---:|---:|---:|',
  row('cold start (spawn → REST, MCP and control listening)', results.cold),
  row(
    '(a) watcher: write → served (REST and MCP)',
    results.watch.map((r) => r.both),
  ),
  row(
    '(a) watcher: reload itself (server-side durationMs)',
    results.watch.map((r) => r.serverMs),
  ),
  row(
    '(b) POST /reload: answer (1 file changed)',
    results.post.map((r) => r.answerMs),
  ),
  row(
    '(b) POST /reload: reload itself (server-side)',
    results.post.map((r) => r.serverMs),
  ),
  row(
    '(b) POST /reload: sent → served (REST and MCP)',
    results.post.map((r) => r.both),
  ),
  row(
    '(b) POST /reload: sent → served, REST route',
    results.post.map((r) => r.rest),
  ),
  row(
    '(b) POST /reload: sent → served, MCP tool',
    results.post.map((r) => r.mcp),
  ),
  ...(SIGHUP
    ? [
        row(
          '(c) SIGHUP: sent → served',
          results.sighup.map((r) => r.both),
        ),
      ]
    : []),
  row(
    'POST /reload, nothing changed: answer',
    results.noop.map((r) => r.answerMs),
  ),
  row(
    'POST /reload, nothing changed: reload itself (server-side)',
    results.noop.map((r) => r.serverMs),
  ),
  '',
  `Files read again per reload: watcher ${[...new Set(results.watch.map((r) => r.reloaded))].join(', ')}; ` +
    `POST with one edit ${[...new Set(results.post.map((r) => r.reloaded))].join(', ')}; ` +
    `nothing changed ${[...new Set(results.noop.map((r) => r.reloaded))].join(', ')}. ` +
    `RSS: ${results.rssAfterWatchRunsMb} MB after the watcher runs, ${results.rssAfterPostRunsMb} MB after the POST/SIGHUP/no-op runs.`,
);
if (LOAD) {
  const sum = (rs, k) => rs.reduce((a, r) => a + (r[k] ?? 0), 0);
  md.push(
    '',
    `Under load (${CONC} connections: 4 clients × ${Math.floor(CONC / 4)}, ${DURATION} s per phase, request timeout ${TIMEOUT_S} s); ` +
      `reloads during the loaded phase: ${results.reloadsDuringLoad.ok} ok, ${results.reloadsDuringLoad.failed} refused ` +
      `(${results.driver.filter((d) => d.broken).length} edits wrote a file with an error on purpose, the last good version kept serving):`,
    '',
    '| phase | target | requests | failed (non-200 / errors incl. timeouts) | req/s | p50 ms | p99 ms | max ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [phase, rs] of [
    ['no reloads', results.baseline],
    ['reloading', results.loaded],
  ]) {
    for (const r of rs)
      md.push(
        `| ${phase} | ${r.target} | ${r.requests + r.non_ok + r.errors} | ${r.non_ok} / ${r.errors} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.max_ms} |`,
      );
    md.push(
      `| ${phase} | **all** | ${sum(rs, 'requests') + sum(rs, 'non_ok') + sum(rs, 'errors')} | **${sum(rs, 'non_ok')} / ${sum(rs, 'errors')}** | ${f1(sum(rs, 'rps'))} | | | |`,
    );
  }
  const firstErrors = [...results.baseline, ...results.loaded].filter((r) => r.first_error);
  for (const r of firstErrors) md.push('', `first failure (${r.target}): ${r.first_error}`);
  const servedUnderLoad = results.driver.filter((d) => d.both !== undefined).map((d) => d.both);
  md.push('', '| ms, under load | n | median | p95 | max |', '|---|---:|---:|---:|---:|');
  md.push(row('edit → served (watcher, or POST /reload at once)', servedUnderLoad));
  const answers = results.driver.filter((d) => d.answerMs !== undefined);
  md.push(
    row(
      'POST /reload answer',
      answers.map((d) => d.answerMs),
    ),
  );
  const bad = answers.filter((d) => d.status !== 200 && !(d.status === 422 && d.broken));
  if (bad.length) md.push('', `POST /reload answers other than 200: ${bad.map((d) => d.status).join(', ')}`);
  if (results.loadErrors.length)
    md.push('', `gateway error log lines during the load phase: ${results.loadErrors.length}`);
}
const summary = md.join('\n');
console.log(summary);
if (OUT) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  writeFileSync(path.join(OUT, 'summary.md'), summary + '\n');
  console.error(`# wrote ${path.join(OUT, 'results.json')} and summary.md`);
}
