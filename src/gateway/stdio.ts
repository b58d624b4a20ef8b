/**
 * @module gateway/stdio — `capgate serve --stdio`: every MCP adapter's tools over stdin/stdout,
 * the same endpoints HTTP serves. stdout carries protocol only; every log line goes to stderr.
 */
import type { Plan } from '../plan/types.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
import { buildEndpoints, serveStdio } from '../expose/mcp/index.ts';

export async function startStdio(plan: Plan, deps: InvokeDeps, log: (l: string) => void): Promise<number> {
  const endpoints = buildEndpoints([...plan.stdio, ...plan.mcp.flatMap((s) => s.adapters)], deps, { log });
  if (!endpoints.length) {
    log('nothing to serve over stdio: no valid MCP adapter was loaded');
    return 1;
  }
  log(`capgate MCP on stdio: ${endpoints.reduce((n, e) => n + e.tools.length, 0)} tools`);
  const server = serveStdio({ current: () => endpoints });
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await deps.http.close();
  return 0;
}
