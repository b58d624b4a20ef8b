#!/usr/bin/env node
// Start-up cost of a capgate command line: over N runs, the wall time from spawn until the first line
// matching "listening on" appears on the process's stderr, and the process's resident memory at that
// moment (VmRSS from /proc/<pid>/status; VmHWM, its peak so far, beside it). Each run starts the command
// in the repository root in a process group of its own and kills the group once it is measured.
//
//   node bench/startup.mjs                                   # 5 runs of the default command below
//   node bench/startup.mjs --runs 10
//   node bench/startup.mjs --cmd "node dist/bin/capgate.js serve --rest-port 0 --mcp-port 0 capabilities"
//
// Options: --cmd "<command line>" (run by /bin/sh with exec, so the measured pid is the command itself;
//          default: node bin/capgate.js serve --rest-port 0 --mcp-port 0 capabilities)
//          --runs 5   --ready "listening on" (a regular expression, matched per stderr line)
//          --timeout 60 (s to wait for the ready line)
// Per-run lines go to stderr, the min / median / max table to stdout. Needs Linux (/proc).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const CMD = opt('--cmd', 'node bin/capgate.js serve --rest-port 0 --mcp-port 0 capabilities');
const RUNS = Number(opt('--runs', 5));
const READY = new RegExp(opt('--ready', 'listening on'));
const TIMEOUT_MS = Number(opt('--timeout', 60)) * 1000;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, not ${opt('--runs')}`);

// Each command starts a process group of its own; killing the group also ends whatever the command
// has started. Groups still alive are killed when this script exits, however it exits.
const live = new Set();
const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group has already gone
  }
};
process.on('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

/** kB of one field of /proc/<pid>/status (VmRSS, VmHWM); NaN when the field or the process is gone. */
function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** SIGTERM to the group, SIGKILL after 3 s; resolves once the command has exited. */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** One run: ms from spawn to the ready line, and the memory figures read at that moment. */
function once() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/bin/sh', ['-c', `exec ${CMD}`], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    live.add(child);
    child.on('exit', () => live.delete(child));
    let log = '';
    let pending = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void stop(child).then(() => (err ? reject(err) : resolve(value)));
    };
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${READY} on stderr after ${TIMEOUT_MS / 1000} s:\n${log.slice(-2000)}`)),
      TIMEOUT_MS,
    );
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (done) return;
      log += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      if (lines.some((l) => READY.test(l))) {
        const ms = performance.now() - t0;
        finish(undefined, { ms, rssKb: statusKb(child.pid, 'VmRSS'), hwmKb: statusKb(child.pid, 'VmHWM') });
      }
    });
    child.on('error', (err) => finish(err));
    child.on('exit', (code, signal) =>
      finish(new Error(`exited (${signal ?? code}) before a line matching ${READY}:\n${log.slice(-2000)}`)),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (kb) => kb / 1024;

const rows = [];
console.error(`# ${CMD}  (cwd ${root}, node ${process.version})`);
for (let i = 0; i < RUNS; i++) {
  const r = await once();
  rows.push(r);
  console.error(
    `run ${i + 1}/${RUNS}: ${r.ms.toFixed(0)} ms to ready, RSS ${mb(r.rssKb).toFixed(1)} MB (peak ${mb(r.hwmKb).toFixed(1)} MB)`,
  );
}

const line = (label, xs, digits) =>
  `| ${label} | ${Math.min(...xs).toFixed(digits)} | ${median(xs).toFixed(digits)} | ${Math.max(...xs).toFixed(digits)} |`;
const out = [
  `Start-up of \`${CMD}\`, ${RUNS} runs (until a stderr line matches ${READY})`,
  '',
  '| measure | min | median | max |',
  '|---|---:|---:|---:|',
  line(
    'wall time to ready, ms',
    rows.map((r) => r.ms),
    0,
  ),
  line(
    'RSS at ready, MB',
    rows.map((r) => mb(r.rssKb)),
    1,
  ),
  line(
    'peak RSS at ready, MB',
    rows.map((r) => mb(r.hwmKb)),
    1,
  ),
];
console.log(out.join('\n'));
