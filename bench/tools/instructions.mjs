#!/usr/bin/env node
// Instructions per request executed by a gateway's main thread, counted by valgrind's callgrind.
// Wall-clock CPU per request on these VMs moves by 10–25 % between processes of the same code; an
// instruction count does not depend on the neighbours, so it prices a code path (e.g. what putting the
// upstream body into the MCP text content costs) where timing runs cannot. It ignores cache misses
// and the kernel, so it complements the throughput runs of run.mjs, it does not replace them.
//
//   node bench/tools/instructions.mjs                       # all targets, 2,000 measured requests each
//   node bench/tools/instructions.mjs --target floor-mcp,floor-mcp-short -n 3000
//   node bench/tools/instructions.mjs --target capgate-mcp --node-flags=--single-threaded   # flags for the gateway's node
//
// Per target: start the stub and the gateway (the gateway under callgrind), send 3,000 warm-up
// requests over 8 connections with client.mjs, zero the counters, send n requests, dump, read the
// main thread's total. Needs valgrind (apt-get install valgrind); ~2 min per target.
// Caveat found while using it: the floors repeat to within 2 % run to run; capgate's own count does
// not (216 k and 295 k per REST request in two runs of one build: V8 optimises its larger code at
// different moments under valgrind), so use it to price pieces of the floors, not to compare capgate runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TARGETS, freePort, load, readyLine, start, startStub, targetNames } from '../lib/targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : d;
};
const N = Number(opt('-n', 2000));
const WARM = Number(opt('--warm', 3000));
// Extra node flags for the gateway, e.g. --node-flags=--single-threaded (V8 compiles and collects on the
// main thread). Tried against the caveat above: capgate MCP still measured 382 k to 423 k in six runs
// of one build, so it does not make capgate's counts comparable either.
const NODE_FLAGS = (argv.find((a) => a.startsWith('--node-flags=')) ?? '--node-flags=')
  .slice('--node-flags='.length)
  .split(' ')
  .filter(Boolean);
const names = targetNames(argv);
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not installed (apt-get install valgrind)');
  process.exit(2);
}

const control = (pid, flag) => spawnSync('callgrind_control', [flag, String(pid)], { encoding: 'utf8' });

async function measure(name) {
  const t = TARGETS[name];
  const [up, rp, mp] = [await freePort(), await freePort(), await freePort()];
  const stub = await startStub(up);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capgate-cg-'));
  const vg = [
    'valgrind',
    '--tool=callgrind',
    '--separate-threads=yes',
    '--trace-children=yes',
    '--trace-children-skip=*esbuild*',
    `--callgrind-out-file=${dir}/cg.%p`,
  ];
  // The floors start through `env`; --trace-children makes valgrind follow its exec into node.
  const gw = await start(
    [...vg, ...t.cmd(['node', ...NODE_FLAGS], rp, mp, `http://127.0.0.1:${up}`)],
    readyLine(name),
    300_000,
  );
  try {
    await load(t.url(rp, mp), t.kind, WARM);
    control(gw.pid, '-z');
    await load(t.url(rp, mp), t.kind, N);
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

console.log(
  `main-thread instructions per request (callgrind; ${WARM} warm-up + ${N} measured requests, 8 connections${NODE_FLAGS.length ? `; node ${NODE_FLAGS.join(' ')}` : ''})`,
);
for (const name of names)
  console.log(
    `${name.padEnd(16)} ${Math.round(await measure(name))
      .toLocaleString('en-US')
      .padStart(9)}`,
  );
process.exit(0);
