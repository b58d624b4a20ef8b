// wrk for run.mjs: the Lua scripts of MCP-shaped load, and reading wrk's report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes get.lua and mcp.lua to a temporary directory (removed on exit) and returns their paths. The MCP
 * script sends the stateless `tools/call` that client.mjs sends. Both check every answer as client.mjs does
 * (a JSON-RPC result that is not an error for MCP, a non-empty 200 for GET), so GET and MCP both pay for a
 * Lua callback per response (the MCP check also scans the body), and print the failures as "BAD n".
 */
export function wrkScripts(tool, args) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capgate-wrk-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const collect = [
    'bad = 0',
    'local threads = {}',
    'function setup(thread) table.insert(threads, thread) end',
    'function done(summary, latency, requests)',
    '  local n = 0',
    '  for _, t in ipairs(threads) do n = n + t:get("bad") end',
    '  io.write("BAD " .. n .. "\\n")',
    'end',
  ];
  const get = [
    ...collect,
    'function response(status, headers, body)',
    '  if status ~= 200 or #body == 0 then bad = bad + 1 end',
    'end',
  ];
  const rpc = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } });
  if (/['\\\n]/.test(rpc))
    throw new Error('the tools/call body must not contain quotes, backslashes or newlines (it goes into a Lua string)');
  const mcp = [
    ...collect,
    'wrk.method = "POST"',
    `wrk.body = '${rpc}'`,
    'wrk.headers["Content-Type"] = "application/json"',
    'wrk.headers["Accept"] = "application/json, text/event-stream"',
    'wrk.headers["Mcp-Protocol-Version"] = "2025-11-25"',
    'function response(status, headers, body)',
    `  if status ~= 200 or body:sub(1, 16) ~= '{"jsonrpc":"2.0"' or not body:find('"result"', 1, true) or body:find('"isError":true', 1, true) then bad = bad + 1 end`,
    'end',
  ];
  const files = { get: path.join(dir, 'get.lua'), mcp: path.join(dir, 'mcp.lua') };
  writeFileSync(files.get, get.join('\n') + '\n');
  writeFileSync(files.mcp, mcp.join('\n') + '\n');
  return files;
}

/**
 * Requests wrk counted as failed: the scripts' "BAD n" when present (it covers every non-200), else wrk's own
 * non-2xx/3xx count.
 */
function failures(out) {
  const bad = /^BAD (\d+)$/m.exec(out);
  if (bad) return Number(bad[1]);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return non2xx ? Number(non2xx[1]) : 0;
}

/** "12.5us", "1.2ms", "3.01s" → milliseconds. */
function toMs(s) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(s ?? '');
  if (!m) return NaN;
  return Number(m[1]) * { us: 1e-3, ms: 1, s: 1e3, m: 60e3 }[m[2]];
}

/**
 * wrk's report (run with --latency for the percentiles): answered requests (failures left out), failures, socket
 * errors, rate.
 */
export function parseWrk(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? m[1] : undefined;
  };
  const all = Number(num(/(\d+) requests in/));
  const secs = toMs(num(/requests in ([\d.]+\w+),/)) / 1000;
  const nonOk = failures(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock
    ? sock
        .slice(1)
        .map(Number)
        .reduce((a, b) => a + b, 0)
    : 0;
  return {
    requests: all - nonOk,
    non_ok: nonOk,
    errors,
    rps: (all - nonOk) / secs,
    p50_ms: toMs(num(/\s50%\s+(\S+)/)),
    p99_ms: toMs(num(/\s99%\s+(\S+)/)),
  };
}
