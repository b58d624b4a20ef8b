#!/usr/bin/env node
// Closed-loop load client used for the MCP suite (and its REST baselines, so that MCP ÷ REST
// compares like with like). Exactly `-c` keep-alive connections (undici Pool, no pipelining);
// each of the c workers sends a request, reads the whole body, checks it, records the latency,
// and starts again until the deadline. One JSON line on stdout.
//
//   node bench/lib/client.mjs --url http://127.0.0.1:8080/v1/operations/x --kind get -c 16 -d 5
//   node bench/lib/client.mjs --url … --kind get -c 8 -n 2000      # exactly 2,000 requests (instructions.mjs)
//   node bench/lib/client.mjs --url http://127.0.0.1:8090/mcp --kind mcp --tool get-operation \
//        --args '{"id":"x"}' -c 16 -d 5 [--warmup 1] [--watch <pid>,<pid>] [--watch-core 1] [--timeout 10]
//
// --kind mcp sends a stateless Streamable HTTP `tools/call` (no initialize handshake first), with
// content-type application/json, accept "application/json, text/event-stream" and
// mcp-protocol-version (default 2025-11-25).
// --timeout s: a request without its answer headers, or a body that stalls, for this long fails (an error);
// default: undici's own (300 s). Failures are counted by status (non_ok_by_status) and error code (errors_by_code).
// --warmup runs first in this same process, so the client's own code is warm when measured (a fresh
// Node client spends 1.5-2x the CPU per request for its first seconds, and at c = 1 that CPU is part of
// every round trip). --watch / --watch-core report the CPU per request of those processes and the idle
// time per request of that core over exactly the measured phase (Linux /proc).
import { Pool } from 'undici';
import { coreTicks, cpuSeconds, CLK_TCK } from './proc.mjs';

const argv = process.argv.slice(2);
function flag(names, fallback) {
  for (const n of names) {
    const i = argv.indexOf(n);
    if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
  }
  return fallback;
}

const target = new URL(flag(['--url'], 'http://127.0.0.1:8080/'));
const kind = flag(['--kind'], 'get');
const connections = Number(flag(['-c', '--connections'], 16));
const seconds = Number(flag(['-d', '--duration'], 5));
const warmup = Number(flag(['--warmup'], 0));
const requests = Number(flag(['-n', '--requests'], 0)); // > 0: send exactly this many (after the warm-up), -d ignored
const tool = flag(['--tool'], 'get-operation');
const toolArgs = JSON.parse(flag(['--args'], '{}'));
const protocolVersion = flag(['--protocol-version'], '2025-11-25');
const watched = flag(['--watch'], '').split(',').filter(Boolean).map(Number);
const watchCore = flag(['--watch-core'], '');
const timeoutMs = Number(flag(['--timeout'], 0)) * 1000;
if (!['get', 'mcp'].includes(kind)) throw new Error(`--kind must be get or mcp, not ${kind}`);

const pool = new Pool(target.origin, {
  connections,
  pipelining: 1,
  keepAliveTimeout: 120_000,
  ...(timeoutMs > 0 ? { headersTimeout: timeoutMs, bodyTimeout: timeoutMs } : {}),
});
const path = target.pathname + target.search;
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': protocolVersion,
};
let rpcId = 0;

async function send() {
  if (kind === 'get') {
    const r = await pool.request({ method: 'GET', path });
    return { status: r.statusCode, text: await r.body.text() };
  }
  const body = `{"jsonrpc":"2.0","id":${++rpcId},"method":"tools/call","params":{"name":${JSON.stringify(tool)},"arguments":${JSON.stringify(toolArgs)}}}`;
  const r = await pool.request({ method: 'POST', path, headers, body });
  return { status: r.statusCode, text: await r.body.text() };
}

// Cheap check on every response; a full parse on the first few so a broken target is caught.
let deepChecks = 0;
function accept({ status, text }) {
  if (status !== 200 || text.length === 0) return false;
  if (kind === 'get') return true;
  if (!text.startsWith('{"jsonrpc":"2.0"') || !text.includes('"result"') || text.includes('"isError":true'))
    return false;
  if (deepChecks < 3) {
    deepChecks++;
    const msg = JSON.parse(text);
    const first = msg.result?.content?.[0];
    if (first?.type !== 'text' || typeof first.text !== 'string' || first.text.length === 0)
      throw new Error(`unexpected tools/call result: ${text.slice(0, 200)}`);
  }
  return true;
}

async function run(durationS, keep, limit = 0) {
  const latenciesUs = [];
  let issued = 0;
  let ok = 0;
  let bad = 0;
  let errors = 0;
  let firstError;
  const byStatus = {};
  const byCode = {};
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(durationS * 1e9));
  async function worker() {
    while (limit > 0 ? issued++ < limit : process.hrtime.bigint() < end) {
      const s = process.hrtime.bigint();
      try {
        const res = await send();
        const e = process.hrtime.bigint();
        if (accept(res)) {
          ok++;
          if (keep) latenciesUs.push(Number(e - s) / 1e3);
        } else {
          bad++;
          byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          firstError ??= `status ${res.status}: ${res.text.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        byCode[err.code ?? err.name] = (byCode[err.code ?? err.name] ?? 0) + 1;
        firstError ??= err.message;
        if (errors > 1000) throw err;
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  return {
    latenciesUs,
    ok,
    bad,
    errors,
    firstError,
    byStatus,
    byCode,
    elapsed: Number(process.hrtime.bigint() - t0) / 1e9,
  };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const warm = warmup > 0 ? await run(warmup, false) : { ok: 0 };
const cpu0 = process.cpuUsage();
// A watched process that has exited reads as NaN (null in the JSON line) instead of losing the run's results.
const cpuOf = (pid) => {
  try {
    return cpuSeconds(pid);
  } catch {
    return NaN;
  }
};
const pids0 = watched.map(cpuOf);
const core0 = watchCore ? coreTicks()[watchCore] : undefined;
const r = await run(seconds, true, requests);
const cpu = process.cpuUsage(cpu0);
const pids1 = watched.map(cpuOf);
const core1 = watchCore ? coreTicks()[watchCore] : undefined;
const perReq = (x) => (r.ok ? +((x * 1e6) / r.ok).toFixed(1) : null);
const sorted = Float64Array.from(r.latenciesUs).sort();
await pool.close();
const ms = (us) => +(us / 1e3).toFixed(3);
console.log(
  JSON.stringify({
    kind,
    url: target.href,
    connections,
    duration_s: +r.elapsed.toFixed(3),
    requests: r.ok,
    non_ok: r.bad,
    errors: r.errors,
    ...(r.firstError ? { first_error: r.firstError } : {}),
    ...(r.bad ? { non_ok_by_status: r.byStatus } : {}),
    ...(r.errors ? { errors_by_code: r.byCode } : {}),
    rps: +(r.ok / r.elapsed).toFixed(1),
    // This client's own CPU per answered request in the measured phase: at c = 1 it is part of every round trip.
    client_cpu_us: r.ok ? +((cpu.user + cpu.system) / r.ok).toFixed(1) : null,
    warmup_requests: warm.ok,
    ...(watched.length
      ? { watched_cpu_us: Object.fromEntries(watched.map((p, i) => [p, perReq(pids1[i] - pids0[i])])) }
      : {}),
    ...(core0 && core1
      ? { core_idle_us: perReq((core1.total - core1.busy - (core0.total - core0.busy)) / CLK_TCK) }
      : {}),
    p50_ms: ms(percentile(sorted, 50)),
    p90_ms: ms(percentile(sorted, 90)),
    p99_ms: ms(percentile(sorted, 99)),
    max_ms: ms(sorted[sorted.length - 1] ?? NaN),
  }),
);
