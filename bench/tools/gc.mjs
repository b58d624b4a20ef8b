#!/usr/bin/env node
// Garbage-collection cost per request of each gateway target, from V8's own trace (--trace-gc-nvp):
// bytes allocated, bytes promoted to the old generation, scavenge and full-GC pause per request.
// It is how the in-flight registry's promotion of ~1.5 KB per MCP call was found (docs/performance.md).
//
//   node bench/tools/gc.mjs                                   # all targets, 30,000 requests at c=64
//   node bench/tools/gc.mjs --target capgate-mcp,floor-mcp -n 50000
//
// Per target: start the stub and the gateway (pinned to core 1 when taskset exists), 3 s of warm-up
// load, then n requests at c = 64 with client.mjs; only GC lines printed during those n are counted.
import { spawnSync } from 'node:child_process';
import { TARGETS, freePort, load, readyLine, start, startStub, targetNames } from '../lib/targets.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : d;
};
const N = Number(opt('-n', 30000));
const names = targetNames(argv, ['floor-rest', 'floor-mcp', 'capgate-rest', 'capgate-mcp']);
const pin = spawnSync('taskset', ['-c', '1', 'true']).status === 0 ? ['taskset', '-c', '1'] : [];

/** Sum the main isolate's scavenge (gc=s) and full-GC lines of a --trace-gc-nvp log. */
function summarise(lines, n) {
  const field = (l, k) => Number(new RegExp(`\\b${k}=([0-9.]+)`).exec(l)?.[1] ?? 0);
  const isolate = (l) => /^\[\d+:(0x[0-9a-f]+)\]/.exec(l)?.[1];
  const main = isolate(lines.find((l) => /gc=s\b/.test(l)) ?? '');
  const t = { allocated: 0, promoted: 0, scavengeMs: 0, fullMs: 0, scavenges: 0, full: 0 };
  for (const l of lines) {
    if (isolate(l) !== main) continue; // e.g. the module loader's own thread
    if (/gc=s\b/.test(l)) {
      t.scavenges++;
      t.scavengeMs += field(l, 'pause');
      t.allocated += field(l, 'allocated');
      t.promoted += field(l, 'promoted');
    } else if (/gc=(mc|ms)\b/.test(l)) {
      t.full++;
      t.fullMs += field(l, 'pause');
      t.allocated += field(l, 'allocated');
    }
  }
  return {
    ...t,
    perReq: {
      allocated: t.allocated / n,
      promoted: t.promoted / n,
      scavengeUs: (t.scavengeMs * 1000) / n,
      fullUs: (t.fullMs * 1000) / n,
    },
  };
}

async function measure(name) {
  const t = TARGETS[name];
  const [up, rp, mp] = [await freePort(), await freePort(), await freePort()];
  const stub = await startStub(up);
  const gw = await start(
    [...pin, ...t.cmd(['node', '--trace-gc-nvp'], rp, mp, `http://127.0.0.1:${up}`)],
    readyLine(name),
    30_000,
  );
  try {
    const url = t.url(rp, mp);
    await load(url, t.kind, 0, 64, 3); // warm-up
    await new Promise((r) => setTimeout(r, 300)); // let its last GC lines arrive before the mark
    const before = gw.log().length;
    await load(url, t.kind, N, 64);
    await new Promise((r) => setTimeout(r, 300));
    return summarise(gw.log().slice(before).split('\n'), N);
  } finally {
    gw.kill('SIGKILL');
    stub.kill('SIGKILL');
  }
}

console.log(`GC per request (--trace-gc-nvp; ${N} requests at c=64 after 3 s of warm-up)`);
console.log('target            allocated B  promoted B  scavenge µs  full-GC µs  (scavenges / full GCs)');
for (const name of names) {
  const r = await measure(name);
  const p = r.perReq;
  console.log(
    `${name.padEnd(16)} ${p.allocated.toFixed(0).padStart(12)} ${p.promoted.toFixed(0).padStart(11)} ${p.scavengeUs.toFixed(2).padStart(12)} ${p.fullUs.toFixed(2).padStart(11)}  (${r.scavenges} / ${r.full})`,
  );
}
process.exit(0);
