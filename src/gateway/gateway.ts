/**
 * @module gateway — composition only: from a Plan and a Runtime, build one Hono app per REST
 * port and per MCP port and listen. Everything an app needs is derived from the frozen Plan at
 * construction, so hot reload (not built yet) is "build a new gateway state from a new Plan and
 * point each port's listener at it"; the MCP layer already reads its endpoint list per request.
 */
import http from 'node:http';
import { getRequestListener, serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Plan, RestRoutePlan, RestServerPlan, McpServerPlan, AdapterRef } from '../plan/types.ts';
import type { Runtime } from '../invoke/deps.ts';
import { createRestApp } from '../expose/rest/app.ts';
import { problemResponse } from '../expose/rest/problem.ts';
import { createMcpApp, createMcpFastPath, createMcpState, validateToolList, type NodeHandler } from '../expose/mcp/index.ts';
import type { McpEndpoint } from '../expose/mcp/protocol/types.ts';
import { invoke } from '../invoke/invoke.ts';
import { adapterAuth, type AdapterAuth } from './adapter-auth.ts';
import { toEndpoint, VERSION } from '../expose/mcp/endpoints.ts';

export interface GatewayOptions {
  /** Move every REST adapter to this port (merging them). */
  readonly restPort?: number;
  readonly mcpPort?: number;
  /** Bind address when an adapter declares none. */
  readonly host?: string;
  readonly allowedHosts?: string[];
  readonly allowedOrigins?: string[];
  /** Reports start-up problems found while building the servers (e.g. a malformed MCP tool). */
  readonly log?: (line: string) => void;
}

export interface Listener {
  readonly kind: 'rest' | 'mcp';
  readonly port: number;
  readonly host: string;
  readonly url: string;
}

export interface Gateway {
  start(): Promise<Listener[]>;
  stop(): Promise<void>;
  /** The Hono apps by kind and port, for in-process tests (`app.request`). */
  apps(): Array<{ kind: 'rest' | 'mcp'; port: number; app: Hono }>;
}

export const DEFAULT_HOST = '127.0.0.1';

export function createGateway(plan: Plan, rt: Runtime, opts: GatewayOptions = {}): Gateway {
  const rest = mergePorts(plan.rest, opts.restPort);
  const mcp = mergeMcpPorts(plan.mcp, opts.mcpPort);
  const auths = new Map<AdapterRef, AdapterAuth | undefined>();
  const authOf = (a: AdapterRef) => {
    if (!auths.has(a)) auths.set(a, adapterAuth(a, rt, (err) => problemResponse(err)));
    return auths.get(a);
  };
  const built: Array<{ kind: 'rest' | 'mcp'; port: number; host: string; app: Hono; handler?: NodeHandler }> = [
    ...rest.map((s) => ({ kind: 'rest' as const, port: s.port, host: s.address ?? opts.host ?? DEFAULT_HOST, app: restApp(s, rt, authOf) })),
    ...mcp.map((s) => ({ kind: 'mcp' as const, port: s.port, host: s.address ?? opts.host ?? DEFAULT_HOST, ...mcpApp(s, rt, authOf, opts, s.address ?? opts.host ?? DEFAULT_HOST) })),
  ];
  const servers: ServerType[] = [];
  return {
    apps: () => built.map(({ kind, port, app }) => ({ kind, port, app })),
    async start() {
      const out: Listener[] = [];
      for (const b of built) {
        const { server, port } = await listen(b.app, b.port, b.host, b.handler);
        servers.push(server);
        out.push({ kind: b.kind, port, host: b.host, url: `http://${b.host.includes(':') ? `[${b.host}]` : b.host}:${port}${b.kind === 'mcp' ? '/mcp' : ''}` });
      }
      return out;
    },
    async stop() {
      await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => {
        (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        s.close(() => resolve());
      })));
    },
  };
}

function listen(app: Hono, port: number, host: string, handler?: NodeHandler): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server: ServerType = handler
      ? http.createServer(handler).listen(port, host, () => resolve({ server, port: (server.address() as { port: number }).port }))
      : serve({ fetch: app.fetch, port, hostname: host }, (info) => resolve({ server, port: info.port }));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : `cannot listen on ${host}:${port} (${err.code ?? err.message})`));
    });
  });
}

function restApp(s: RestServerPlan, rt: Runtime, authOf: (a: AdapterRef) => AdapterAuth | undefined): Hono {
  return createRestApp(s, {
    invoke: (route: RestRoutePlan, req) => invoke(route.operation, req, rt),
    guard: async (route, req) => authOf(route.adapter)?.guard(req),
  });
}

/** The MCP Hono app, and the Node handler that serves its hot path directly (node-fast.ts). */
function mcpApp(s: McpServerPlan, rt: Runtime, authOf: (a: AdapterRef) => AdapterAuth | undefined, opts: GatewayOptions, host: string): { app: Hono; handler: NodeHandler } {
  const endpoints: McpEndpoint[] = s.adapters.map((a) => {
    const auth = authOf(a.adapter);
    return dropMalformedTools(toEndpoint(a, rt, auth?.guard), a.adapter.source.file, opts.log);
  });
  const registry = { current: () => endpoints };
  const state = createMcpState(registry, { bindAddress: host, allowedHosts: opts.allowedHosts, allowedOrigins: opts.allowedOrigins, serverName: 'capgate', serverVersion: VERSION });
  const app = createMcpApp(registry, { bindAddress: host }, state);
  // OAuth 2.1 protected-resource metadata (RFC 9728) for adapters using oauth2.
  app.get('/.well-known/*', (c) => {
    for (const a of s.adapters) {
      const res = authOf(a.adapter)?.authenticator?.wellKnown?.(c.req.raw);
      if (res) return res;
    }
    return c.notFound();
  });
  return { app, handler: createMcpFastPath(state, getRequestListener(app.fetch)) };
}

/**
 * One tool that an SDK client would reject makes the whole tools/list unusable for it, so each
 * malformed tool is dropped with an error line and the others stay served.
 */
function dropMalformedTools(endpoint: McpEndpoint, file: string, log?: (line: string) => void): McpEndpoint {
  const problems = validateToolList(endpoint.tools);
  if (!problems.length) return endpoint;
  for (const p of problems) log?.(`${file}: error MCP_TOOL_INVALID tool '${p.tool}' is not served: ${p.problem}`);
  const bad = new Set(problems.map((p) => p.tool));
  return { ...endpoint, tools: endpoint.tools.filter((t) => !bad.has(t.name)) };
}

/** REST servers per port; with a port override every REST adapter shares that one port. */
function mergePorts(servers: readonly RestServerPlan[], override?: number): RestServerPlan[] {
  if (override === undefined) return [...servers];
  if (!servers.length) return [];
  return [{ port: override, address: servers[0].address, adapters: servers.flatMap((s) => s.adapters), routes: servers.flatMap((s) => s.routes) }];
}

function mergeMcpPorts(servers: readonly McpServerPlan[], override?: number): McpServerPlan[] {
  if (override === undefined) return [...servers];
  if (!servers.length) return [];
  return [{ port: override, address: servers[0].address, adapters: servers.flatMap((s) => s.adapters) }];
}
