/**
 * @module gateway/stdio — `capgate serve --stdio`: every MCP adapter's tools over stdin/stdout,
 * the same endpoints HTTP serves. stdout carries protocol only; every log line goes to stderr.
 * When stdin ends the requests still running are answered first (bounded by `drainMs`); a signal
 * stops at once, answering what is still running with an error.
 */
import type { Plan } from '../plan/types.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
import { buildEndpoints, serveStdio, serverNameOf } from '../expose/mcp/index.ts';

export interface StdioServeOptions {
  /** How long requests still running when stdin ends may take (ms); default 30 s (DRAIN_MS). */
  readonly drainMs?: number;
}

export async function startStdio(
  plan: Plan,
  deps: InvokeDeps,
  log: (l: string) => void,
  opts: StdioServeOptions = {},
): Promise<number> {
  const endpoints = buildEndpoints([...plan.stdio, ...plan.mcp.flatMap((s) => s.adapters)], deps, { log });
  if (!endpoints.length) {
    log('nothing to serve over stdio: no valid MCP adapter was loaded');
    return 1;
  }
  log(`capgate MCP on stdio: ${endpoints.reduce((n, e) => n + e.tools.length, 0)} tools`);
  const server = serveStdio({ current: () => endpoints }, undefined, {
    serverName: serverNameOf(endpoints),
    drainMs: opts.drainMs,
  });
  let onSignal = () => {};
  const signalled = new Promise<void>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await Promise.race([server.ended, signalled]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await server.close();
  await deps.http.close();
  return 0;
}
