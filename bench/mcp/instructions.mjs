#!/usr/bin/env node
// Instructions per request executed by a gateway's main thread, counted by valgrind's callgrind.
// Wall-clock CPU per request on these VMs moves by 10–25 % between processes of the same code; an
// instruction count does not depend on the neighbours, so it prices a code path (e.g. what putting the
// upstream body into the MCP text content costs) where timing runs cannot. It ignores cache misses
// and the kernel, so it complements the throughput runs of run.mjs, it does not replace them.
//
//   node bench/mcp/instructions.mjs                       # all targets, 2,000 measured requests each
//   node bench/mcp/instructions.mjs --target floor-mcp,floor-mcp-short -n 3000
//
// Per target: start the stub and the gateway (the gateway under callgrind), send 3,000 warm-up
// requests over 8 connections with load.mjs, zero the counters, send n requests, dump, read the
// main thread's total. Needs valgrind (apt-get install valgrind); ~2 min per target.
// Caveat found while using it: the floors repeat to within 2 % run to run; capgate's own count does
// not (216 k and 295 k per REST request in two runs of one build: V8 optimises its larger code at
// different moments under valgrind), so use it to price pieces of the floors, not to compare capgate runs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const N = Number(opt('-n', 2000));
const WARM = Number(opt('--warm', 3000));
const OP = '/v1/operations/job-20c1e5d7';

const capgate = (rp, mp, up) => ['node', 'bin/capgate.js', 'serve', 'bench/rest/capability.yaml', '--upstream', `bench-upstream=${up}`, '--rest-port', String(rp), '--mcp-port', String(mp)];
const floor = (rp, up, extra = {}) => ['env', `PORT=${rp}`, `UPSTREAM=${up}`, ...Object.entries(extra).map(([k, v]) => `${k}=${v}`), 'node', 'bench/rest/floor.mjs'];
const TARGETS = {
  'floor-rest': { cmd: (rp, _mp, up) => floor(rp, up), url: (rp) => `http://127.0.0.1:${rp}${OP}`, kind: 'get' },
  'floor-mcp': { cmd: (rp, _mp, up) => floor(rp, up), url: (rp) => `http://127.0.0.1:${rp}/mcp`, kind: 'mcp' },
  'floor-mcp-short': { cmd: (rp, _mp, up) => floor(rp, up, { FLOOR_MCP_TEXT: 'short' }), url: (rp) => `http://127.0.0.1:${rp}/mcp`, kind: 'mcp' },
  'capgate-rest': { cmd: capgate, url: (rp) => `http://127.0.0.1:${rp}${OP}`, kind: 'get' },
  'capgate-mcp': { cmd: capgate, url: (_rp, mp) => `http://127.0.0.1:${mp}/mcp`, kind: 'mcp' },
};
const names = (opt('--target', Object.keys(TARGETS).join(','))).split(',');
for (const n of names) if (!TARGETS[n]) throw new Error(`unknown target ${n}; known: ${Object.keys(TARGETS).join(', ')}`);
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not installed (apt-get install valgrind)');
  process.exit(2);
}

const kids = [];
process.on('exit', () => { for (const k of kids) if (k.exitCode === null) k.kill('SIGKILL'); });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

const freePort = () => new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
function start(cmd, ready, timeoutMs) {
  const k = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  kids.push(k);
  let log = '';
  return new Promise((resolve, reject) => {
    const on = (d) => { log += d; if (ready.test(log)) resolve(k); };
    k.stdout.on('data', on);
    k.stderr.on('data', on);
    k.on('exit', (code) => reject(new Error(`${cmd.join(' ')} exited ${code}: ${log.slice(-800)}`)));
    setTimeout(() => reject(new Error(`not ready after ${timeoutMs / 1000} s: ${log.slice(-800)}`)), timeoutMs);
  });
}
function load(url, kind, n) {
  const r = spawnSync(process.execPath, ['bench/mcp/load.mjs', '--url', url, '--kind', kind, '-c', '8', '-n', String(n), '--args', '{"id":"job-20c1e5d7"}'], { cwd: root, encoding: 'utf8' });
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  if (j.requests !== n) throw new Error(`${url}: ${j.requests} of ${n} requests answered (${j.first_error ?? 'no error text'})`);
}
const control = (pid, flag) => spawnSync('callgrind_control', [flag, String(pid)], { encoding: 'utf8' });

async function measure(name) {
  const t = TARGETS[name];
  const [up, rp, mp] = [await freePort(), await freePort(), await freePort()];
  const stub = await start(['env', `PORT=${up}`, 'node', 'bench/rest/upstream.mjs'], /listening/, 10_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capgate-cg-'));
  const vg = ['valgrind', '--tool=callgrind', '--separate-threads=yes', '--trace-children=yes', '--trace-children-skip=*esbuild*',
    `--callgrind-out-file=${dir}/cg.%p`, ...t.cmd(rp, mp, `http://127.0.0.1:${up}`)];
  const gw = await start(vg, name.startsWith('capgate') ? /MCP listening/ : /floor listening/, 300_000);
  try {
    load(t.url(rp, mp), t.kind, WARM);
    control(gw.pid, '-z');
    load(t.url(rp, mp), t.kind, N);
    control(gw.pid, '-d');
    const file = readdirSync(dir).find((f) => f.startsWith(`cg.${gw.pid}.`) && f.endsWith('-01'));
    if (!file) throw new Error(`no callgrind dump for pid ${gw.pid} in ${dir}`);
    const m = /^(?:summary|totals):\s+(\d+)/m.exec(readFileSync(path.join(dir, file), 'utf8'));
    return Number(m[1]) / N;
  } finally {
    gw.kill('SIGKILL');
    stub.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`main-thread instructions per request (callgrind; ${WARM} warm-up + ${N} measured requests, 8 connections)`);
for (const name of names) console.log(`${name.padEnd(16)} ${Math.round(await measure(name)).toLocaleString('en-US').padStart(9)}`);
process.exit(0);
