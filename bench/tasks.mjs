#!/usr/bin/env node
// Cost of one task status read beside a plain call of the same upstream operation. capgate serves
// bench/fixtures/tasks.yaml against the bench stub (whose operation stays "in_progress", so every status read is a
// full poll: open and verify the signed task id, one upstream GET, map the vendor state). Pairs, each measured with
// the same closed-loop client, interleaved and rotated per round, medians over rounds:
//
//   mcp-2026   tools/call get-operation (2026-07-28 wire)  vs  tasks/get of a watch-operation task (extension)
//   mcp-2025   tools/call get-operation (2025-11-25 wire)  vs  tasks/get of a task created with params.task
//   rest       GET /v1/operations/{id}                      vs  GET of the task status URL (Prefer: respond-async)
//
// Requests per second, p50 / p99 latency (ms) and gateway CPU per request (µs, utime + stime from /proc).
//
//   node bench/tasks.mjs [--rounds 3] [--duration 3] [--warmup 1] [--conc 1,16] [--no-pin]
import os from 'node:os';
import { Pool } from 'undici';
import { cpuSeconds } from './lib/proc.mjs';
import { freePort, start } from './lib/targets.mjs';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const ROUNDS = Number(flag('--rounds', 3));
const DURATION = Number(flag('--duration', 3));
const WARMUP = Number(flag('--warmup', 1));
const CONC = flag('--conc', '1,16').split(',').map(Number);
const PIN = !argv.includes('--no-pin') && os.cpus().length >= 2;
const OP_ID = 'job-20c1e5d7';
const V2026 = '2026-07-28';
const TASKS = 'io.modelcontextprotocol/tasks';
// A bench-only key: every process of the run shares it, as replicas would.
process.env.CAPGATE_TASK_KEY = 'bench-task-key-0123456789abcdef0123456789';

const pinned = (cmd) => (PIN ? ['taskset', '-c', '1', ...cmd] : cmd);

async function startServers() {
  const up = await start(
    pinned(['env', 'PORT=0', process.execPath, 'bench/fixtures/upstream.mjs']),
    /upstream listening on (\S+)/,
    20_000,
  );
  const upUrl = /upstream listening on (\S+)/.exec(up.log())[1];
  const [rp, mp] = [await freePort(), await freePort()];
  const gw = await start(
    pinned([
      process.execPath,
      'bin/capgate.js',
      'serve',
      'bench/fixtures/tasks.yaml',
      '--upstream',
      `bench-upstream=${upUrl}`,
      '--rest-port',
      String(rp),
      '--mcp-port',
      String(mp),
      '--no-watch',
      '--no-control',
    ]),
    /MCP listening/,
    20_000,
  );
  return { up, gw, rest: `http://127.0.0.1:${rp}`, mcp: `http://127.0.0.1:${mp}/mcp` };
}

function modernBody(id, method, params, caps = { extensions: { [TASKS]: {} } }) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method,
    params: {
      ...params,
      _meta: { 'io.modelcontextprotocol/protocolVersion': V2026, 'io.modelcontextprotocol/clientCapabilities': caps },
    },
  });
}

const modernHeaders = (method, name) => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': V2026,
  'mcp-method': method,
  'mcp-name': name,
});
const legacyHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};

async function post(url, headers, body) {
  const res = await fetch(url, { method: 'POST', headers, body });
  const msg = await res.json();
  if (msg.error) throw new Error(`${url}: ${JSON.stringify(msg.error)}`);
  return msg.result;
}

/** Create one task per form; each request below reads it. */
async function targets({ rest, mcp }) {
  const modern = await post(
    mcp,
    modernHeaders('tools/call', 'watch-operation'),
    modernBody(1, 'tools/call', { name: 'watch-operation', arguments: { id: OP_ID } }),
  );
  if (modern.resultType !== 'task') throw new Error(`no 2026 task: ${JSON.stringify(modern).slice(0, 200)}`);
  const legacy = await post(
    mcp,
    legacyHeaders,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'watch-operation', arguments: { id: OP_ID }, task: {} },
    }),
  );
  if (!legacy.task?.taskId) throw new Error(`no 2025 task: ${JSON.stringify(legacy).slice(0, 200)}`);
  const accepted = await fetch(`${rest}/v1/operations/${OP_ID}`, { headers: { prefer: 'respond-async' } });
  await accepted.arrayBuffer();
  if (accepted.status !== 202) throw new Error(`no REST task: ${accepted.status}`);
  const location = accepted.headers.get('location');
  const call2026 = modernBody(1, 'tools/call', { name: 'get-operation', arguments: { id: OP_ID } }, {});
  const get2026 = modernBody(1, 'tasks/get', { taskId: modern.taskId });
  const call2025 = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'get-operation', arguments: { id: OP_ID } },
  });
  const get2025 = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tasks/get',
    params: { taskId: legacy.task.taskId },
  });
  const rpcOk = (text) => text.includes('"result"') && !text.includes('"isError":true');
  return [
    {
      pair: 'mcp-2026',
      side: 'tools/call',
      url: mcp,
      req: { method: 'POST', headers: modernHeaders('tools/call', 'get-operation'), body: call2026 },
      ok: rpcOk,
    },
    {
      pair: 'mcp-2026',
      side: 'tasks/get',
      url: mcp,
      req: { method: 'POST', headers: modernHeaders('tasks/get', modern.taskId), body: get2026 },
      ok: (t) => rpcOk(t) && t.includes('"status":"working"'),
    },
    {
      pair: 'mcp-2025',
      side: 'tools/call',
      url: mcp,
      req: { method: 'POST', headers: legacyHeaders, body: call2025 },
      ok: rpcOk,
    },
    {
      pair: 'mcp-2025',
      side: 'tasks/get',
      url: mcp,
      req: { method: 'POST', headers: legacyHeaders, body: get2025 },
      ok: (t) => rpcOk(t) && t.includes('"status":"working"'),
    },
    { pair: 'rest', side: 'GET route', url: `${rest}/v1/operations/${OP_ID}`, req: { method: 'GET' }, ok: () => true },
    {
      pair: 'rest',
      side: 'GET status URL',
      url: `${rest}${location}`,
      req: { method: 'GET' },
      ok: (t) => t.includes('"status":"working"'),
    },
  ];
}

/** Closed loop over c keep-alive connections for `seconds`; every answer must be 200 and pass `ok`. */
async function measure(t, c, seconds, gwPid) {
  const u = new URL(t.url);
  const pool = new Pool(u.origin, { connections: c, pipelining: 1, keepAliveTimeout: 120_000 });
  const path = u.pathname + u.search;
  const lat = [];
  let bad = 0;
  const loop = async (until, keep) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const r = await pool.request({ ...t.req, path });
      const text = await r.body.text();
      if (r.statusCode !== 200 || !t.ok(text)) bad++;
      if (keep) lat.push(performance.now() - t0);
    }
  };
  const run = (s, keep) => {
    const until = performance.now() + s * 1000;
    return Promise.all(Array.from({ length: c }, () => loop(until, keep)));
  };
  await run(WARMUP, false);
  const cpu0 = cpuSeconds(gwPid);
  const t0 = performance.now();
  await run(seconds, true);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(gwPid) - cpu0;
  await pool.close();
  if (bad) throw new Error(`${t.pair} ${t.side}: ${bad} bad answers`);
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { rps: lat.length / elapsed, p50: q(0.5), p99: q(0.99), cpuUs: (cpu / lat.length) * 1e6 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const results = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    const servers = await startServers();
    try {
      // The gateway is a child of `taskset` when pinned: taskset execs, so the pid is the gateway's.
      const gwPid = servers.gw.pid;
      const list = await targets(servers);
      for (const c of CONC) {
        const order = list.map((_, i) => list[(i + round) % list.length]);
        for (const t of order) {
          const r = await measure(t, c, DURATION, gwPid);
          const key = `${t.pair}\u0000${t.side}\u0000${c}`;
          if (!results.has(key)) results.set(key, []);
          results.get(key).push(r);
          console.error(
            `round ${round + 1} c=${c} ${t.pair} ${t.side}: ${r.rps.toFixed(0)} req/s, cpu ${r.cpuUs.toFixed(0)} µs/req`,
          );
        }
      }
    } finally {
      servers.gw.kill('SIGTERM');
      servers.up.kill('SIGTERM');
    }
  }
  const lines = [
    `capgate tasks bench: ${ROUNDS} round(s) × ${DURATION} s, c = ${CONC.join(', ')}, ${PIN ? 'servers on core 1' : 'unpinned'}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}`,
    '',
    '| pair | request | c | req/s | p50 ms | p99 ms | gateway CPU µs/req | CPU × plain |',
    '| --- | --- | --: | --: | --: | --: | --: | --: |',
  ];
  const pairs = [...new Set([...results.keys()].map((k) => k.split('\u0000')[0]))];
  for (const pair of pairs) {
    for (const c of CONC) {
      const rows = [...results.entries()].filter(([k]) => k.startsWith(`${pair}\u0000`) && k.endsWith(`\u0000${c}`));
      const plainCpu = median(rows[0][1].map((r) => r.cpuUs));
      for (const [k, rs] of rows) {
        const cpu = median(rs.map((r) => r.cpuUs));
        lines.push(
          `| ${pair} | ${k.split('\u0000')[1]} | ${c} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.p50)).toFixed(2)} | ${median(rs.map((r) => r.p99)).toFixed(2)} | ${cpu.toFixed(0)} | ${(cpu / plainCpu).toFixed(2)} |`,
        );
      }
    }
  }
  console.log(lines.join('\n'));
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
