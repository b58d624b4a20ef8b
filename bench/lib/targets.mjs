// Shared by ab.mjs, instructions.mjs, gc.mjs and warmup.mjs: the gateway targets (floor and capgate, REST and
// MCP) and the process helpers to start them beside the upstream stub on free ports, pinned or not.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './proc.mjs';

export { cpuSeconds };

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OP = '/v1/operations/job-20c1e5d7';

/** `node` is the interpreter prefix (e.g. ['node', '--trace-gc-nvp'] or a valgrind command line ending in 'node'). */
const capgate = (node, rp, mp, up) => [
  ...node,
  'bin/capgate.js',
  'serve',
  'bench/fixtures/capability.yaml',
  '--upstream',
  `bench-upstream=${up}`,
  '--rest-port',
  String(rp),
  '--mcp-port',
  String(mp),
];
const floor = (node, rp, up, extra = {}) => [
  'env',
  `PORT=${rp}`,
  `UPSTREAM=${up}`,
  ...Object.entries(extra).map(([k, v]) => `${k}=${v}`),
  ...node,
  'bench/fixtures/floor.mjs',
];
export const TARGETS = {
  'floor-rest': {
    cmd: (node, rp, _mp, up) => floor(node, rp, up),
    url: (rp) => `http://127.0.0.1:${rp}${OP}`,
    kind: 'get',
  },
  'floor-mcp': {
    cmd: (node, rp, _mp, up) => floor(node, rp, up),
    url: (rp) => `http://127.0.0.1:${rp}/mcp`,
    kind: 'mcp',
  },
  'floor-mcp-short': {
    cmd: (node, rp, _mp, up) => floor(node, rp, up, { FLOOR_MCP_TEXT: 'short' }),
    url: (rp) => `http://127.0.0.1:${rp}/mcp`,
    kind: 'mcp',
  },
  'capgate-rest': { cmd: capgate, url: (rp) => `http://127.0.0.1:${rp}${OP}`, kind: 'get' },
  'capgate-mcp': { cmd: capgate, url: (_rp, mp) => `http://127.0.0.1:${mp}/mcp`, kind: 'mcp' },
};
export const readyLine = (name) => (name.startsWith('capgate') ? /MCP listening/ : /floor listening/);

/** Target names from `--target a,b` (default: every target), checked. */
export function targetNames(argv, all = Object.keys(TARGETS)) {
  const i = argv.indexOf('--target');
  const names = (i >= 0 ? argv[i + 1] : all.join(',')).split(',');
  for (const n of names)
    if (!TARGETS[n]) throw new Error(`unknown target ${n}; known: ${Object.keys(TARGETS).join(', ')}`);
  return names;
}

const kids = [];
process.on('exit', () => {
  for (const k of kids) if (k.exitCode === null) k.kill('SIGKILL');
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

export const freePort = () =>
  new Promise((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });

/**
 * Start a command in the repository root; resolves once its output matches `ready`. `log()` returns all output so
 * far.
 */
export function start(cmd, ready, timeoutMs) {
  const k = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  kids.push(k);
  let log = '';
  k.log = () => log;
  return new Promise((resolve, reject) => {
    const on = (d) => {
      log += d;
      if (ready.test(log)) resolve(k);
    };
    k.stdout.on('data', on);
    k.stderr.on('data', on);
    k.on('exit', (code) => reject(new Error(`${cmd.join(' ')} exited ${code}: ${log.slice(-800)}`)));
    setTimeout(() => reject(new Error(`not ready after ${timeoutMs / 1000} s: ${log.slice(-800)}`)), timeoutMs);
  });
}

/** A shell command line (`env X=… node …` allowed) started on core 1, where run.mjs puts every server. */
export const startPinned = (cmdline, ready) =>
  start(['taskset', '-c', '1', 'sh', '-c', `exec ${cmdline}`], ready, 20_000);

/**
 * Exactly n requests (or -d seconds when n is 0) over c connections with client.mjs, on core `cpu` when
 * given; throws unless every request was answered. Asynchronous on purpose: a blocking spawnSync
 * would stop this process from reading the gateway's output, and a gateway printing GC traces
 * blocks once its pipe is full. `warmup` (s) runs first in the same client process; `watch` (pids) and
 * `watchCore` make client.mjs report their CPU and that core's idle time per request over the measured phase.
 */
export function load(url, kind, n, c = 8, seconds = 0, cpu = undefined, { warmup = 0, watch = [], watchCore } = {}) {
  const args = [
    'bench/lib/client.mjs',
    '--url',
    url,
    '--kind',
    kind,
    '-c',
    String(c),
    '--args',
    '{"id":"job-20c1e5d7"}',
    ...(n > 0 ? ['-n', String(n)] : ['-d', String(seconds)]),
  ];
  if (warmup > 0) args.push('--warmup', String(warmup));
  if (watch.length) args.push('--watch', watch.join(','));
  if (watchCore !== undefined) args.push('--watch-core', String(watchCore));
  const cmd =
    cpu === undefined ? [process.execPath, ...args] : ['taskset', '-c', String(cpu), process.execPath, ...args];
  const k = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  k.stdout.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    k.on('error', reject);
    k.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`client.mjs exited ${code} (${url})`);
        const j = JSON.parse(out.trim().split('\n').pop());
        if (n > 0 && j.requests !== n)
          throw new Error(`${url}: ${j.requests} of ${n} requests answered (${j.first_error ?? 'no error text'})`);
        if (j.requests === 0 || j.errors + j.non_ok > 0)
          throw new Error(
            `${url}: ${j.requests} answered, ${j.errors + j.non_ok} failed (${j.first_error ?? 'no error text'})`,
          );
        resolve(j);
      } catch (err) {
        reject(err);
      }
    });
  });
}

export const startStub = async (port) =>
  start(['env', `PORT=${port}`, 'node', 'bench/fixtures/upstream.mjs'], /listening/, 10_000);
