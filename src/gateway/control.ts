/**
 * @module gateway/control — the control listener: health (`/health/live`, `/health/ready`), Prometheus `/metrics`,
 * `/status` (what is loaded and served, the last reload and its problems) and `POST /reload`. Served from a `type:
 * control` adapter a capability file declares (what it declares), or by default on 127.0.0.1:9091. The same Host
 * guard as the business ports keeps a DNS-rebinding page away from it; a declared adapter's authentication applies.
 */
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { createHostGuard } from '../expose/http/host-guard.ts';
import type { ControlPlan, Plan } from '../plan/types.ts';
import type { Problem } from '../documents/problems.ts';
import { VERSION } from '../common/version.ts';
import type { AdapterAuth } from './adapter-auth.ts';
import type { Listener, NodeHandler } from './listeners.ts';

/** The default control port when no file declares a control adapter. */
export const DEFAULT_CONTROL_PORT = 9091;

/** What the control endpoints read from the running service. */
export interface ControlSource {
  plan(): Plan;
  /** True once the plan is served (ports open), false while starting or stopping. */
  ready(): boolean;
  listeners(): readonly Listener[];
  status(): object;
  metrics(): Promise<{ contentType: string; text: string }>;
  reload(): Promise<{ ok: boolean }>;
}

export type ControlEndpoints = ControlPlan['endpoints'];

/** Every group on: the default listener of `capgate serve`. */
export const ALL_CONTROL_ENDPOINTS: ControlEndpoints = { health: true, status: true, metrics: true, reload: true };

export interface ControlAppOptions {
  readonly bindAddress: string;
  readonly allowedHosts?: readonly string[];
  readonly endpoints: ControlEndpoints;
  readonly auth?: AdapterAuth;
}

export function createControlApp(source: ControlSource, opts: ControlAppOptions): { app: Hono; handler: NodeHandler } {
  const app = new Hono();
  const guard = createHostGuard({ bindAddress: opts.bindAddress, allowedHosts: opts.allowedHosts });
  const e = opts.endpoints;
  app.use('*', async (c, next) => {
    const refused = guard.check(c.req.header('host') ?? new URL(c.req.url).host, c.req.header('origin'));
    if (refused) return c.json({ error: refused.message }, 403);
    // Liveness answers without credentials: an orchestrator's probe carries none.
    if (opts.auth && c.req.path !== '/health/live') {
      const denied = await opts.auth
        .authenticate(c.req.raw)
        .catch(() => c.json({ error: 'control authentication is not configured' }, 503));
      if (denied) return denied;
    }
    await next();
  });
  if (e.health) {
    app.get('/health/live', (c) => c.json({ status: 'UP' }));
    app.get('/health/ready', (c) => ready(c, source));
  }
  if (e.metrics) {
    app.get('/metrics', async (c) => {
      const { contentType, text } = await source.metrics();
      return c.body(text, 200, { 'content-type': contentType });
    });
  }
  if (e.status) app.get('/status', (c) => c.json(source.status()));
  if (e.reload) {
    app.post('/reload', async (c) => {
      try {
        const report = await source.reload();
        return c.json(report, report.ok ? 200 : 422);
      } catch {
        return c.json({ ok: false, error: 'the reload failed; the plan being served is unchanged (see the log)' }, 500);
      }
    });
  }
  app.notFound((c) => c.json({ error: 'not found', endpoints: paths(e) }, 404));
  return { app, handler: getRequestListener(app.fetch) };
}

function ready(c: Context, source: ControlSource): Response {
  const adapters = source
    .listeners()
    .filter((l) => l.kind !== 'control')
    .map((l) => ({ type: l.kind, port: l.port, url: l.url, state: 'started' }));
  const up = source.ready();
  return c.json({ status: up ? 'UP' : 'DOWN', version: VERSION, adapters }, up ? 200 : 503);
}

function paths(e: ControlEndpoints): string[] {
  return [
    ...(e.health ? ['GET /health/live', 'GET /health/ready'] : []),
    ...(e.metrics ? ['GET /metrics'] : []),
    ...(e.status ? ['GET /status'] : []),
    ...(e.reload ? ['POST /reload'] : []),
  ];
}

/** The `/status` document: capabilities with their files, ports, routes and tools, problems, the last reload. */
export function statusDocument(
  plan: Plan,
  files: ReadonlyArray<{ file: string; problems: readonly Problem[] }>,
  extra: object,
): object {
  const problems = new Map(files.map((f) => [f.file, f.problems]));
  return {
    version: VERSION,
    ...extra,
    capabilities: plan.capabilities.map((cap) => ({
      name: cap.name,
      file: cap.file,
      label: cap.label,
      rest: plan.rest.flatMap((s) =>
        s.routes
          .filter((r) => r.operation.capability === cap)
          .map((r) => ({ port: s.port, method: r.method, path: r.specPath })),
      ),
      tools: plan.mcp.flatMap((s) =>
        s.adapters
          .filter((a) => a.adapter.capability === cap)
          .flatMap((a) => a.tools.map((t) => ({ port: s.port, name: t.name }))),
      ),
      problems: (problems.get(cap.file) ?? []).map(summary),
    })),
    files: files
      .filter((f) => !plan.capabilities.some((c) => c.file === f.file))
      .map((f) => ({ file: f.file, problems: f.problems.map(summary) })),
  };
}

function summary(p: Problem): object {
  return {
    severity: p.severity,
    code: p.code,
    line: p.line,
    column: p.column,
    pointer: p.pointer,
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  };
}
