/**
 * @module gateway/gateway — composition only: from a Plan and its deps, build one REST app per REST port
 * and one MCP server per MCP port, and listen. Everything an app needs is derived from the
 * frozen Plan at construction; protocol work belongs to the exposers.
 */
import http from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Plan, RestRoutePlan, RestServerPlan, McpServerPlan, AdapterRef } from '../plan/types.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
import { invoke } from '../invoke/invoke.ts';
import { createRestApp } from '../expose/rest/app.ts';
import { buildEndpoints, createMcpHttp, serverNameOf, type NodeHandler } from '../expose/mcp/index.ts';
import { adapterAuth, type AdapterAuth } from './adapter-auth.ts';

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
  /**
   * Key signing the Digest nonces of adapters that authenticate callers with Digest. Give every replica the same
   * key (CAPGATE_DIGEST_KEY) so a challenge from one is accepted by another; default: random per process.
   */
  readonly digestKey?: string;
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

interface Built {
  readonly kind: 'rest' | 'mcp';
  readonly port: number;
  readonly host: string;
  readonly app: Hono;
  /** Node's own request handler, when the exposer has one (MCP): served instead of the Hono app. */
  readonly handler?: NodeHandler;
}

export function createGateway(plan: Plan, deps: InvokeDeps, opts: GatewayOptions = {}): Gateway {
  const auths = new Map<AdapterRef, AdapterAuth | undefined>();
  const authOf = (a: AdapterRef) => {
    if (!auths.has(a)) auths.set(a, adapterAuth(a, deps, { digestKey: opts.digestKey }));
    return auths.get(a);
  };
  const hostOf = (s: { address?: string }) => s.address ?? opts.host ?? DEFAULT_HOST;
  const built: Built[] = [
    ...mergeRestPorts(plan.rest, opts.restPort).map((s) => ({
      kind: 'rest' as const,
      port: s.port,
      host: hostOf(s),
      app: restApp(s, deps, authOf),
    })),
    ...mergeMcpPorts(plan.mcp, opts.mcpPort).map((s) => ({
      kind: 'mcp' as const,
      port: s.port,
      host: hostOf(s),
      ...mcpServer(s, deps, authOf, opts, hostOf(s)),
    })),
  ];
  const servers: ServerType[] = [];
  return {
    apps: () => built.map(({ kind, port, app }) => ({ kind, port, app })),
    async start() {
      const out: Listener[] = [];
      for (const b of built) {
        const { server, port } = await listen(b);
        servers.push(server);
        out.push({
          kind: b.kind,
          port,
          host: b.host,
          url: `http://${b.host.includes(':') ? `[${b.host}]` : b.host}:${port}${b.kind === 'mcp' ? '/mcp' : ''}`,
        });
      }
      return out;
    },
    async stop() {
      await Promise.all(
        servers.splice(0).map(
          (s) =>
            new Promise<void>((resolve) => {
              (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

function listen(b: Built): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server: ServerType = b.handler
      ? http
          .createServer(b.handler)
          .listen(b.port, b.host, () => resolve({ server, port: (server.address() as { port: number }).port }))
      : serve({ fetch: b.app.fetch, port: b.port, hostname: b.host }, (info) => resolve({ server, port: info.port }));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${b.port} on ${b.host} is already in use`
            : `cannot listen on ${b.host}:${b.port} (${err.code ?? err.message})`,
        ),
      );
    });
  });
}

function restApp(s: RestServerPlan, deps: InvokeDeps, authOf: (a: AdapterRef) => AdapterAuth | undefined): Hono {
  return createRestApp(s, {
    invoke: (route: RestRoutePlan, req) => invoke(route.operation, req, deps),
    guard: async (route, req) => authOf(route.adapter)?.authenticate(req),
  });
}

function mcpServer(
  s: McpServerPlan,
  deps: InvokeDeps,
  authOf: (a: AdapterRef) => AdapterAuth | undefined,
  opts: GatewayOptions,
  host: string,
): { app: Hono; handler: NodeHandler } {
  const endpoints = buildEndpoints(s.adapters, deps, { authOf, log: opts.log });
  // A port serving one adapter is named after its namespace (as the reference engine does); merged ports are 'capgate'.
  const mcp = createMcpHttp(
    { current: () => endpoints },
    {
      bindAddress: host,
      allowedHosts: opts.allowedHosts,
      allowedOrigins: opts.allowedOrigins,
      serverName: serverNameOf(endpoints),
    },
  );
  return { app: mcp.app, handler: mcp.handler };
}

/** REST servers per port; with a port override every REST adapter shares that one port. */
function mergeRestPorts(servers: readonly RestServerPlan[], override?: number): RestServerPlan[] {
  if (override === undefined) return [...servers];
  if (!servers.length) return [];
  return [
    {
      port: override,
      address: servers[0].address,
      adapters: servers.flatMap((s) => s.adapters),
      routes: servers.flatMap((s) => s.routes),
    },
  ];
}

function mergeMcpPorts(servers: readonly McpServerPlan[], override?: number): McpServerPlan[] {
  if (override === undefined) return [...servers];
  if (!servers.length) return [];
  return [{ port: override, address: servers[0].address, adapters: servers.flatMap((s) => s.adapters) }];
}
