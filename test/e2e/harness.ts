/**
 * @module test/e2e/harness — the offline simulator plus the gateway on the bundled `capabilities/`
 * with the demo wiring (upstream overrides + simulator tokens), and an MCP SDK v1 client on it;
 * optionally with a test upstream between the gateway and the simulator (e.g. one that alters answers).
 */
import path from 'node:path';
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { startServe, type Started } from '../../src/cli/serve.ts';
import { createLogger } from '../../src/cli/logger.ts';
import { parseServeArgs } from '../../src/cli/serve-options.ts';
import { demoEnv, demoOverrides, DEMO_WIRING } from '../../src/cli/demo.ts';

export const CAPABILITIES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../capabilities');

/**
 * Live fixtures run pending 1 s → running 3 s → terminal, multiplied by this: 100 ms pending,
 * 300 ms running. A wait polling every second therefore sees pending first, then the terminal state.
 */
export const TIME_SCALE = 0.1;

export interface Stack {
  sim: RunningSimulator;
  gateway: Started;
  rest: string;
  mcpUrl: string;
  mcp: Client;
  urls(): string[];
  /** GET on the REST adapter: status, headers and parsed JSON body. */
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  /** tools/call through the SDK client (which validates structuredContent against the outputSchema). */
  call(
    name: string,
    args: Record<string, unknown>,
    onprogress?: (p: { progress: number; total?: number; message?: string }) => void,
  ): Promise<ToolResult>;
  close(): Promise<void>;
}

export interface ToolResult {
  isError?: boolean;
  structuredContent?: any;
  content: Array<{ type: string; text?: string }>;
}

export interface StackOptions {
  /** Start something in front of the simulator (given its URL); the gateway then calls it instead. */
  between?(simUrl: string): Promise<{ url: string; close(): Promise<void> }>;
}

export async function startStack(
  env: NodeJS.ProcessEnv = demoEnv(process.env),
  opts: StackOptions = {},
): Promise<Stack> {
  const sim = await startSimulator({ timeScale: TIME_SCALE });
  const front = opts.between ? await opts.between(sim.url) : undefined;
  const overrides = demoOverrides(front?.url ?? sim.url).flatMap((o) => ['--upstream', o]);
  const args = parseServeArgs([CAPABILITIES, '--rest-port', '0', '--mcp-port', '0', ...overrides], {});
  if ('error' in args) throw new Error(args.error);
  // Log lines go through process.stderr (not straight to its descriptor), so a test can read them.
  const gateway = await startServe(args, env, { log: createLogger({ format: 'json', destination: process.stderr }) });
  if (typeof gateway === 'number') {
    await front?.close();
    await sim.close();
    throw new Error(`gateway did not start (exit ${gateway})`);
  }
  const mcpUrl = gateway.urls.find((u) => u.endsWith('/mcp'))!;
  const rest = gateway.urls.find((u) => !u.endsWith('/mcp'))!;
  const mcp = new Client({ name: 'capgate-e2e', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
  // The SDK validates structuredContent only for tools whose outputSchema it has listed.
  await mcp.listTools();
  return {
    sim,
    gateway,
    rest,
    mcpUrl,
    mcp,
    urls: () => gateway.urls,
    async get(p, headers = {}) {
      const res = await fetch(rest + p, { headers });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body };
    },
    async call(name, args, onprogress) {
      const r = await mcp.callTool(
        { name, arguments: args },
        undefined,
        onprogress ? { onprogress, resetTimeoutOnProgress: true } : undefined,
      );
      return r as ToolResult;
    },
    async close() {
      await mcp.close().catch(() => undefined);
      await gateway.stop();
      await front?.close();
      await sim.close();
    },
  };
}

/** The text of a tool result's first text content. */
export function textOf(r: ToolResult): string {
  return r.content.find((c) => c.type === 'text')?.text ?? '';
}

/** Progress values must strictly increase (MCP); returns them for further checks. */
export function progressValues(seen: Array<{ progress: number }>): number[] {
  return seen.map((p) => p.progress);
}

export { DEMO_WIRING };

/**
 * Assert that a tool's typed structuredContent is the typed view of the vendor body a REST route passed
 * through: each field the tool reports equals the vendor's, and a field the vendor left out is null.
 */
export function expectTypedViewOf(typed: unknown, vendor: unknown, at = '$'): void {
  if (typed === null) {
    expect(vendor ?? null, at).toBeNull();
  } else if (Array.isArray(typed)) {
    expect(Array.isArray(vendor), `${at} is an array in the vendor body`).toBe(true);
    expect((vendor as unknown[]).length, `${at} length`).toBe(typed.length);
    typed.forEach((t, i) => expectTypedViewOf(t, (vendor as unknown[])[i], `${at}[${i}]`));
  } else if (typeof typed === 'object') {
    expect(vendor, `${at} is an object in the vendor body`).toBeTypeOf('object');
    for (const [k, v] of Object.entries(typed as Record<string, unknown>))
      expectTypedViewOf(v, (vendor as Record<string, unknown>)[k], `${at}.${k}`);
  } else {
    expect(typed, at).toEqual(vendor);
  }
}
