/**
 * @module gateway/gateway — composition only: from a Plan and its deps, one REST app per REST port and one MCP
 * server per MCP port, listening. `update` serves a new plan in place: new ports open, every port's handler is
 * swapped at once (requests in flight finish on the plan they started with), ports nothing uses close, and MCP
 * clients listening hear which lists changed. Protocol work belongs to the exposers.
 */
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Plan, RestRoutePlan, RestServerPlan, McpServerPlan, AdapterRef } from '../plan/types.ts';
import type { InvokeDeps } from '../invoke/deps.ts';
import { invoke } from '../invoke/invoke.ts';
import { createRestApp } from '../expose/rest/app.ts';
import {
  createEndpointBuilder,
  createLiveRegistry,
  createMcpHttp,
  serverNameOf,
  setRequestStateKey,
  type McpHttp,
  type LiveRegistry,
} from '../expose/mcp/index.ts';
import { adapterAuth, type AdapterAuth } from './adapter-auth.ts';
import type { Observer } from '../common/observe.ts';
import { Listeners, portKey, type Listener, type PortWish, type SyncReport } from './listeners.ts';
import { createTaskSigner } from '../invoke/task-handle.ts';
import type { RestTasks } from '../expose/rest/tasks.ts';
import { createRestTasks } from './tasks.ts';

export type { Listener } from './listeners.ts';

export interface GatewayOptions {
  /** Move every REST adapter to this port (merging them). */
  readonly restPort?: number;
  readonly mcpPort?: number;
  /** Bind address when an adapter declares none. */
  readonly host?: string;
  /**
   * Host names (`name` or `name:port`) the REST and MCP ports answer besides the loopback names a
   * loopback-bound port always answers; when set, also checked on ports bound to other addresses.
   */
  readonly allowedHosts?: string[];
  /** Browser origins allowed to call (both ports); REST sends CORS headers to these origins only. */
  readonly allowedOrigins?: string[];
  /** The largest REST request body, in bytes (default 10 MiB, DEFAULT_MAX_BODY_BYTES); larger ones get 413. */
  readonly maxRestBodyBytes?: number;
  /** Reports problems found while building the servers (e.g. a malformed MCP tool). */
  readonly log?: (line: string) => void;
  /**
   * Key signing the Digest nonces of adapters that authenticate callers with Digest, and (derived from it) the
   * requestState of MCP questions (x-capgate-ask). Give every replica the same key (CAPGATE_DIGEST_KEY) so a
   * challenge or a requestState from one is accepted by another; default: random per process.
   */
  readonly digestKey?: string;
  /** Told about every answered request (metrics, request log); the deps carry the one for upstream calls. */
  readonly observer?: Observer;
  /**
   * Key signing task ids and REST task status URLs. Give every replica the same key (CAPGATE_TASK_KEY) so a task
   * started on one is read, waited for and cancelled on any other; default: random per process.
   */
  readonly taskKey?: string;
  /**
   * Give 2025-era MCP clients a session (Mcp-Session-Id) that holds their log level and resource subscriptions;
   * default off (stateless: every replica answers every request the same).
   */
  readonly mcpSessions?: boolean;
  /** The control listener to keep open for a plan (health, metrics, status), if any. */
  readonly control?: (plan: Plan) => PortWish | undefined;
}

export interface Gateway {
  /** Listen for the plan the gateway was created with. */
  start(): Promise<Listener[]>;
  /** Serve a new plan (its deps already refreshed): open, swap and close ports; tell MCP listeners what changed. */
  update(plan: Plan): Promise<SyncReport>;
  /** Stop accepting, let requests in flight finish for at most `graceMs`, end MCP streams, close. */
  stop(graceMs?: number): Promise<void>;
  /** The listeners open now. */
  listeners(): Listener[];
  /** The Hono apps by kind and port, for in-process tests (`app.request`). */
  apps(): Array<{ kind: 'rest' | 'mcp'; port: number; app: Hono }>;
}

export const DEFAULT_HOST = '127.0.0.1';

interface Served {
  readonly kind: 'rest' | 'mcp';
  readonly key: string;
  readonly port: number;
  readonly host: string;
  readonly app: Hono;
  readonly handler: PortWish['handler'];
  /** MCP: the endpoints to put in the port's registry when the new plan takes over. */
  readonly swap?: () => void;
}

export function createGateway(initial: Plan, deps: InvokeDeps, opts: GatewayOptions = {}): Gateway {
  // The requestState of an MCP question (x-capgate-ask) is signed too: with the shared key, a client's retry may
  // reach another replica. Derived, so the signatures of one never pass as the other's.
  if (opts.digestKey !== undefined) setRequestStateKey(`capgate mcp requestState\u0000${opts.digestKey}`);
  const auths = new WeakMap<AdapterRef, { secrets: unknown; auth: AdapterAuth | undefined }>();
  /** An adapter's authentication, rendered again only when its secrets changed. */
  const authOf = (a: AdapterRef): AdapterAuth | undefined => {
    const secrets = deps.secretsOf(a.capability);
    const hit = auths.get(a);
    if (hit && hit.secrets === secrets) return hit.auth;
    const auth = adapterAuth(a, deps, { digestKey: opts.digestKey });
    auths.set(a, { secrets, auth });
    return auth;
  };
  const signer = createTaskSigner(opts.taskKey);
  const restTasks = createRestTasks(deps, signer);
  const endpoints = createEndpointBuilder(deps, { authOf, log: opts.log, tasks: signer });
  /** MCP servers outlive plans (their clients' streams and requests in flight), one per port. */
  const mcpServers = new Map<string, { http: McpHttp; registry: LiveRegistry }>();
  const listeners = new Listeners();
  let served: Served[] = [];
  let plan = initial;
  const hostOf = (s: { address?: string }) => s.address ?? opts.host ?? DEFAULT_HOST;

  function build(p: Plan): Served[] {
    const rest = mergeRestPorts(p.rest, opts.restPort).map((s): Served => {
      const app = restApp(s, deps, authOf, opts, hostOf(s), restTasks);
      const host = hostOf(s);
      return {
        kind: 'rest',
        key: portKey({ kind: 'rest', host, port: s.port }),
        port: s.port,
        host,
        app,
        handler: getRequestListener(app.fetch),
      };
    });
    const mcp = mergeMcpPorts(p.mcp, opts.mcpPort).map((s): Served => {
      const host = hostOf(s);
      const key = portKey({ kind: 'mcp', host, port: s.port });
      const list = endpoints.build(s.adapters);
      let server = mcpServers.get(key);
      if (!server) {
        // A new port serves nobody yet: its endpoints can go in now.
        const registry = createLiveRegistry(list);
        const mcpHttp = createMcpHttp(registry, {
          bindAddress: host,
          allowedHosts: opts.allowedHosts,
          allowedOrigins: opts.allowedOrigins,
          serverName: serverNameOf(list),
          ...(opts.observer ? { observer: opts.observer } : {}),
          ...(opts.mcpSessions ? { issueSessionId: true } : {}),
        });
        server = { http: mcpHttp, registry };
        mcpServers.set(key, server);
      }
      const { registry, http } = server;
      return {
        kind: 'mcp',
        key,
        port: s.port,
        host,
        app: server.http.app,
        handler: server.http.handler,
        swap: () => {
          // One adapter on a port names the server; several merged are `capgate`.
          http.state.serverInfo.name = serverNameOf(list);
          registry.set(list);
        },
      };
    });
    return [...rest, ...mcp];
  }

  async function serve(next: Served[], p: Plan): Promise<SyncReport> {
    const wishes: PortWish[] = next.map((s) => ({ kind: s.kind, host: s.host, port: s.port, handler: s.handler }));
    const control = opts.control?.(p);
    if (control) wishes.push(control);
    // MCP ports take their new endpoints in the same step as every port takes its new handler.
    const report = await listeners.sync(wishes, () => {
      for (const s of next) s.swap?.();
    });
    served = next;
    // MCP servers of ports no longer served: their standing streams end, their state goes.
    for (const [key, server] of mcpServers) {
      if (next.some((s) => s.key === key)) continue;
      server.http.state.streams.endAll();
      mcpServers.delete(key);
    }
    return report;
  }

  return {
    async start() {
      const report = await serve(build(plan), plan);
      const fatal = report.failed.filter((f) => !f.wish.optional);
      if (fatal.length) {
        await listeners.close();
        throw new Error(fatal.map((f) => f.error).join('; '));
      }
      for (const f of report.failed) opts.log?.(`${f.error}: the ${f.wish.kind} listener is not served`);
      return listeners.list();
    },
    async update(next) {
      plan = next;
      return serve(build(next), next);
    },
    async stop(graceMs = 0) {
      for (const server of mcpServers.values()) server.http.state.streams.endAll();
      await listeners.close(graceMs);
    },
    listeners: () => listeners.list(),
    apps: () => {
      if (!served.length) {
        // Not listening (in-process tests): the apps of the current plan, endpoints in place.
        served = build(plan);
        for (const s of served) s.swap?.();
      }
      return served.map(({ kind, port, app }) => ({ kind, port, app }));
    },
  };
}

function restApp(
  s: RestServerPlan,
  deps: InvokeDeps,
  authOf: (a: AdapterRef) => AdapterAuth | undefined,
  opts: GatewayOptions,
  host: string,
  tasks: RestTasks,
): Hono {
  // Adapters whose authentication publishes documents (OAuth protected-resource metadata): the first that answers wins.
  const publishers = s.adapters.filter((a) => authOf(a)?.wellKnown);
  return createRestApp(s, {
    invoke: (route: RestRoutePlan, req) => invoke(route.operation, req, deps),
    guard: async (route, req) => authOf(route.adapter)?.authenticate(req),
    bindAddress: host,
    allowedHosts: opts.allowedHosts,
    allowedOrigins: opts.allowedOrigins,
    ...(opts.maxRestBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxRestBodyBytes }),
    ...(opts.observer ? { observer: opts.observer } : {}),
    tasks,
    baseOf: (u) => deps.overrideOf(u) ?? (u.baseUri?.constant ? u.baseUri.source : undefined),
    ...(publishers.length
      ? {
          wellKnown: (req: Request) => {
            for (const a of publishers) {
              const doc = authOf(a)!.wellKnown!(req);
              if (doc) return doc;
            }
            return undefined;
          },
        }
      : {}),
  });
}

/** REST servers per port; with a port override every REST adapter shares that one port. */
export function mergeRestPorts(servers: readonly RestServerPlan[], override?: number): RestServerPlan[] {
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

export function mergeMcpPorts(servers: readonly McpServerPlan[], override?: number): McpServerPlan[] {
  if (override === undefined) return [...servers];
  if (!servers.length) return [];
  return [{ port: override, address: servers[0].address, adapters: servers.flatMap((s) => s.adapters) }];
}
