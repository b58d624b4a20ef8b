/**
 * @module gateway/telemetry — what the gateway tells operators about itself: Prometheus metrics (prom-client, its own
 * registry) and one log line per request. It is the Observer the request path reports to. Label values come from
 * the plan (route templates, tool names, namespaces, operation names) or are fixed words, so their number is bounded
 * and none can carry a secret; labelled series are looked up once per label set and reused.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../common/log.ts';
import type { Observer, RequestReport, UpstreamReport } from '../common/observe.ts';
import type { Plan } from '../plan/types.ts';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface Telemetry extends Observer {
  readonly registry: Registry;
  /** Record a reload's outcome and the size of the plan now served. */
  reloaded(ok: boolean, plan: Plan): void;
  /** The plan being served (its size), at start. */
  serving(plan: Plan): void;
  /** Prometheus text exposition of every metric. */
  metrics(): Promise<string>;
}

export interface TelemetryOptions {
  readonly log?: Logger;
  /** Also collect Node's process metrics (CPU, memory, event loop, GC); default on. */
  readonly processMetrics?: boolean;
}

export function createTelemetry(opts: TelemetryOptions = {}): Telemetry {
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'capgate_' });
  const requests = new Counter({
    name: 'capgate_requests_total',
    help: 'Requests answered, by adapter (rest, mcp), route (REST method and path template; MCP method and tool) and status',
    labelNames: ['adapter', 'route', 'status'] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'capgate_request_duration_seconds',
    help: 'Time to answer a request, by adapter and route',
    labelNames: ['adapter', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamCalls = new Counter({
    name: 'capgate_upstream_requests_total',
    help: 'Upstream calls, by consumed namespace, operation and status (HTTP status, or the error code when none came)',
    labelNames: ['namespace', 'operation', 'status'] as const,
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'capgate_upstream_duration_seconds',
    help: 'Time of an upstream call, by consumed namespace and operation',
    labelNames: ['namespace', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const waits = new Gauge({
    name: 'capgate_waits_in_progress',
    help: 'Requests waiting for an operation to settle',
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'capgate_reloads_total',
    help: 'Reloads of the capability files, by result (ok, or failed: a file refused or a port that did not open)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const planSize = new Gauge({
    name: 'capgate_plan_size',
    help: 'What the served plan holds: capabilities, REST routes, MCP tools, upstream namespaces',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  // A labelled series per label set, found once (prom-client hashes the labels on every lookup otherwise).
  const series = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  const seriesOf = (key: string, make: () => { count: { inc(): void }; time: { observe(v: number): void } }) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = make()));
    return s;
  };
  const log = opts.log;

  return {
    registry,
    request(r: RequestReport) {
      seriesOf(`r\u0000${r.adapter}\u0000${r.route}\u0000${r.status}`, () => ({
        count: requests.labels(r.adapter, r.route, String(r.status)),
        time: requestSeconds.labels(r.adapter, r.route),
      })).count.inc();
      seriesOf(`t\u0000${r.adapter}\u0000${r.route}`, () => ({
        count: { inc() {} },
        time: requestSeconds.labels(r.adapter, r.route),
      })).time.observe(r.seconds);
      log?.info(
        {
          adapter: r.adapter,
          route: r.route,
          status: r.status,
          ms: Math.round(r.seconds * 10_000) / 10,
          ...(r.trace ? { requestId: r.trace.id, upstreamCalls: r.trace.upstreamCalls } : {}),
          ...(r.code ? { code: r.code } : {}),
        },
        'request',
      );
    },
    upstream(u: UpstreamReport) {
      seriesOf(`u\u0000${u.namespace}\u0000${u.operation}\u0000${u.status}`, () => ({
        count: upstreamCalls.labels(u.namespace, u.operation, String(u.status)),
        time: upstreamSeconds.labels(u.namespace, u.operation),
      })).count.inc();
      seriesOf(`ut\u0000${u.namespace}\u0000${u.operation}`, () => ({
        count: { inc() {} },
        time: upstreamSeconds.labels(u.namespace, u.operation),
      })).time.observe(u.seconds);
    },
    waiting(delta) {
      waits.inc(delta);
    },
    reloaded(ok, plan) {
      reloads.inc({ result: ok ? 'ok' : 'failed' });
      size(plan);
    },
    serving: (plan) => size(plan),
    metrics: () => registry.metrics(),
  };

  function size(plan: Plan): void {
    planSize.set({ kind: 'capabilities' }, plan.capabilities.length);
    planSize.set(
      { kind: 'rest_routes' },
      plan.rest.reduce((n, s) => n + s.routes.length, 0),
    );
    planSize.set(
      { kind: 'mcp_tools' },
      plan.mcp.reduce((n, s) => n + s.adapters.reduce((m, a) => m + a.tools.length, 0), 0),
    );
    planSize.set({ kind: 'upstreams' }, plan.upstreams.length);
  }
}
