/**
 * @module gateway/stdio — `capgate serve --stdio`: every MCP adapter's tools over stdin/stdout.
 * stdout carries protocol only; every log line goes to stderr.
 */
import type { Plan } from '../plan/types.ts';
import type { Runtime } from '../invoke/deps.ts';
import { serveStdio } from '../expose/mcp/index.ts';
import { toEndpoint } from '../expose/mcp/endpoints.ts';

export async function startStdio(plan: Plan, rt: Runtime, log: (l: string) => void): Promise<number> {
  const adapters = [...plan.stdio, ...plan.mcp.flatMap((s) => s.adapters)];
  const endpoints = adapters.map((a) => toEndpoint(a, rt));
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
  await rt.http.close();
  return 0;
}
