#!/usr/bin/env node
// A/B comparison of capgate checkouts on one route: every variant serves bench/rest/capability.yaml
// in front of the same stub, pinned to the same core; short runs alternate between the variants
// (so a noisy neighbour hits all of them alike) and the medians of req/s and of the gateway's CPU
// µs/request are printed. Use it to measure one hot-path change: copy the tree before the change,
// e.g. `git worktree add /tmp/cg-base` or `cp -r`, and compare.
//
//   node bench/rest/ab.mjs --variant base=/tmp/cg-base --variant new=. [--route raw|mapped|mcp]
//        [--conc 64] [--rounds 6] [--duration 3]
// A variant directory must contain bin/capgate.js and resolve node_modules (a symlink is fine).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const variants = argv.flatMap((a, i) => (a === '--variant' ? [argv[i + 1]] : [])).map((v) => {
  const [name, dir] = v.split('=');
  return { name, dir: path.resolve(dir) };
});
if (variants.length < 2) throw new Error('give at least two --variant name=dir');
const ROUTE = opt('--route', 'raw');
const C = Number(opt('--conc', 64));
const ROUNDS = Number(opt('--rounds', 6));
const D = Number(opt('--duration', 3));
const CLK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const pin = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const wrap = (cpu, cmd, args) => (pin ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args]);

const kids = [];
const cleanup = () => { for (const k of kids) if (k.exitCode === null) k.kill('SIGTERM'); };
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

const freePort = () => new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
function start(cwd, args, env, re) {
  const [cmd, a] = wrap(1, process.execPath, args);
  const k = spawn(cmd, a, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  kids.push(k);
  let log = '';
  return new Promise((res, rej) => {
    const on = (d) => { log += d; const m = re.exec(log); if (m) res({ pid: k.pid, url: m[1] }); };
    k.stdout.on('data', on);
    k.stderr.on('data', on);
    k.on('exit', (c) => rej(new Error(`exited ${c}: ${log}`)));
    setTimeout(() => rej(new Error(`no start: ${log}`)), 20_000);
  });
}
const ticks = (pid) => { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return Number(f[11]) + Number(f[12]); };
function load(url) {
  const args = [path.join(root, 'bench', 'mcp', 'load.mjs'), '--url', url, '--kind', ROUTE === 'mcp' ? 'mcp' : 'get', '-c', String(C), '-d', String(D), '--args', '{"id":"job-20c1e5d7"}'];
  const [cmd, a] = wrap(0, process.execPath, args);
  const r = spawnSync(cmd, a, { encoding: 'utf8', timeout: (D + 30) * 1000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const stubPort = await freePort();
const stub = await start(root, [path.join(here, 'upstream.mjs')], { PORT: String(stubPort) }, /listening on (\S+)/);
for (const v of variants) {
  const [rp, mp] = [await freePort(), await freePort()];
  v.srv = await start(v.dir, [path.join(v.dir, 'bin', 'capgate.js'), 'serve', path.join(here, 'capability.yaml'), '--upstream', `bench-upstream=${stub.url}`, '--rest-port', String(rp), '--mcp-port', String(mp)], {}, /REST listening on (\S+)/);
  v.url = ROUTE === 'mcp' ? `http://127.0.0.1:${mp}/mcp` : `${v.srv.url}/v1/operations/job-20c1e5d7${ROUTE === 'mapped' ? '/summary' : ''}`;
  v.rows = [];
  await new Promise((r) => setTimeout(r, 500));
  load(v.url); // warm-up
}
for (let r = 0; r < ROUNDS; r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    const t0 = ticks(v.srv.pid);
    const res = load(v.url);
    const us = ((ticks(v.srv.pid) - t0) / CLK) * 1e6 / res.requests;
    v.rows.push({ rps: res.rps, us, p50: res.p50_ms });
    console.error(`r${r} ${v.name.padEnd(8)} ${res.rps.toFixed(0).padStart(6)} rps  ${us.toFixed(0).padStart(4)} µs/req  p50 ${res.p50_ms} ms  errors ${res.errors + res.non_ok}`);
  }
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(`route=${ROUTE} c=${C} rounds=${ROUNDS} × ${D}s${pin ? ' (pinned: servers core 1, client core 0)' : ' (unpinned)'}`);
console.log('| variant | req/s | gateway CPU µs/req | p50 ms |\n|---|---:|---:|---:|');
for (const v of variants) console.log(`| ${v.name} | ${med(v.rows.map((x) => x.rps)).toFixed(0)} | ${med(v.rows.map((x) => x.us)).toFixed(0)} | ${med(v.rows.map((x) => x.p50)).toFixed(2)} |`);
cleanup();
