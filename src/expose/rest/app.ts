/**
 * @module expose/rest/app — the REST adapter: one Hono app per port serving every REST route
 * of every capability on that port. A translator only: HTTP request → (operation, params) →
 * invoke → HTTP response; errors go through problem.ts.
 */
import type { IncomingMessage } from 'node:http';
import { Hono, type Context, type Next } from 'hono';
import type { RestRoutePlan, RestServerPlan } from '../../plan/types.ts';
import type { InvokeRequest, InvokeResult } from '../../invoke/types.ts';
import { randomUUID } from 'node:crypto';
import { asGatewayError, GatewayError } from '../../common/errors.ts';
import { newTrace, type Observer, type RequestTrace } from '../../common/observe.ts';
import { gatherParams } from './inputs.ts';
import { problemResponse } from './problem.ts';
import { parsePreferWait } from './prefer.ts';
import { MAX_WAIT_MS } from '../../invoke/wait.ts';
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES, readBody } from './body.ts';
import { createRestEdge, header, type RestEdge } from './edge.ts';
import { forwardRemainder } from './forward-path.ts';
import { taskOf } from '../../invoke/task.ts';
import { createLinkRewriter, type BaseOf, type LinkRewriter } from './links.ts';
import { prefersAsync, routeKey, startAsync, taskRequest, TASKS_PATH, type RestTasks } from './tasks.ts';

export type Invoker = (route: RestRoutePlan, req: InvokeRequest) => Promise<InvokeResult>;
/** Returns a denial Response, or undefined when the request may proceed. */
export type Guard = (route: RestRoutePlan, req: Request) => Promise<Response | undefined>;

export interface RestAppOptions {
  readonly invoke: Invoker;
  readonly guard?: Guard;
  /**
   * The largest request body read, in bytes (default DEFAULT_MAX_BODY_BYTES, 10 MiB). A larger one is
   * answered 413 INPUT_TOO_LARGE as soon as it passes the limit, and the connection is closed.
   */
  readonly maxBodyBytes?: number;
  /** The address the port listens on (default 127.0.0.1): bound to loopback, only loopback Host names are served. */
  readonly bindAddress?: string;
  /** Host names (`name` or `name:port`) served besides the loopback ones; when set, checked whatever the bind address. */
  readonly allowedHosts?: readonly string[];
  /** Origins allowed to call from a browser, with CORS; no CORS headers are sent to any other. */
  readonly allowedOrigins?: readonly string[];
  /** Public documents under `/.well-known/` (OAuth protected-resource metadata, RFC 9728), served before authentication. */
  readonly wellKnown?: (req: Request) => Response | undefined;
  /** Told about every answered request (metrics, request log). */
  readonly observer?: Observer;
  /** Runs routes with `x-capgate-task` as tasks (`Prefer: respond-async`, status URLs); without it they never are. */
  readonly tasks?: RestTasks;
  /**
   * The base URL each upstream is called at, to recognise upstream Location and Link URLs (links.ts); without it
   * only relative ones are.
   */
  readonly baseOf?: BaseOf;
}

/** What every handler of one app shares. */
interface AppContext {
  readonly opts: RestAppOptions;
  readonly links: LinkRewriter;
  readonly edge: RestEdge;
  readonly maxBodyBytes: number;
}

export function createRestApp(server: RestServerPlan, opts: RestAppOptions): Hono {
  const app = new Hono();
  const ctx: AppContext = {
    opts,
    links: createLinkRewriter(server.routes, opts.baseOf ?? (() => undefined)),
    edge: createRestEdge({
      bindAddress: opts.bindAddress ?? '127.0.0.1',
      allowedHosts: opts.allowedHosts,
      allowedOrigins: opts.allowedOrigins,
    }),
    maxBodyBytes: checkBodyLimit(opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
  };
  // Before the plan's routes, as on the MCP port: a catch-all forward must not swallow the metadata.
  if (opts.wellKnown) app.get('/.well-known/*', (c, next) => wellKnown(c, next, ctx, opts.wellKnown!));
  if (opts.tasks) {
    const byKey = new Map(server.routes.filter((r) => taskOf(r.operation)).map((r) => [routeKey(r), r]));
    app.all(`${TASKS_PATH}/:id`, (c) => handleTask(c, ctx, opts.tasks!, byKey));
  }
  const byPath = new Map<string, RestRoutePlan[]>();
  for (const route of server.routes) {
    const list = byPath.get(route.path) ?? [];
    list.push(route);
    byPath.set(route.path, list);
  }
  // Hono tries handlers in registration order: literal segments before variables, and every
  // operation before any 405 fallback (else `/m/{id}`'s fallback would answer `POST /m/validate`).
  const paths = [...byPath.keys()].sort(bySpecificity);
  for (const path of paths) {
    for (const route of byPath.get(path)!) {
      const handler = (c: Context) => handle(c, route, ctx);
      if (route.method === '*') app.all(path, handler);
      else app.on(route.method, path, handler);
    }
  }
  for (const path of paths) {
    const routes = byPath.get(path)!;
    const allowed = [...new Set(routes.map((r) => r.method))].filter((m) => m !== '*');
    // One route per adapter with authentication: its guard decides whether the caller may learn the methods.
    const guarded = [...new Map(routes.filter((r) => r.adapter.auth).map((r) => [r.adapter, r])).values()];
    if (!routes.some((r) => r.method === '*')) app.all(path, (c) => notAllowed(c, ctx, allowed, guarded));
  }
  app.notFound(
    (c) =>
      ctx.edge.screen(c) ??
      ctx.edge.finish(
        c,
        problemResponse(new GatewayError('NOT_FOUND', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)),
      ),
  );
  app.onError((err) => problemResponse(err));
  return app;
}

/** Segment by segment: a literal sorts before a variable, a variable before a catch-all. */
function bySpecificity(a: string, b: string): number {
  const rank = (seg: string) => (seg.startsWith(':') ? (seg.includes('{') ? 2 : 1) : 0);
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const d = rank(sa[i]) - rank(sb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A known path with an undeclared method: 405 + Allow (OPTIONS answers 204 with Allow). On a path of an
 * adapter with authentication this is answered after authentication: an outsider gets the same challenge
 * a declared method gets, never the list of methods.
 */
async function notAllowed(
  c: Context,
  ctx: AppContext,
  allowed: string[],
  guarded: readonly RestRoutePlan[],
): Promise<Response> {
  const early = ctx.edge.screen(c);
  if (early) return early;
  let res: Response;
  try {
    res = (await deniedBy(guarded, c.req.raw, ctx)) ?? methodAnswer(c.req.method, allowed);
  } catch (err) {
    res = problemResponse(err);
  }
  return ctx.edge.finish(c, res);
}

async function deniedBy(
  guarded: readonly RestRoutePlan[],
  req: Request,
  ctx: AppContext,
): Promise<Response | undefined> {
  const guard = ctx.opts.guard;
  if (!guard) return undefined;
  for (const route of guarded) {
    const denied = await guard(route, req);
    if (denied) return denied;
  }
  return undefined;
}

function methodAnswer(method: string, allowed: string[]): Response {
  const allow = [...new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
  if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } });
  return problemResponse(
    new GatewayError('METHOD_NOT_ALLOWED', `${method} is not supported on this path`, { details: { allowed } }),
    { allow },
  );
}

/** A metadata document when one matches, else the routes registered after this one. */
async function wellKnown(
  c: Context,
  next: Next,
  ctx: AppContext,
  documents: (req: Request) => Response | undefined,
): Promise<Response | undefined> {
  const early = ctx.edge.screen(c);
  if (early) return early;
  const doc = documents(c.req.raw);
  if (doc) return ctx.edge.finish(c, doc);
  await next();
  return undefined;
}

async function handle(c: Context, route: RestRoutePlan, ctx: AppContext): Promise<Response> {
  const started = performance.now();
  const early = ctx.edge.screen(c);
  if (early) return early;
  const trace = newTrace(header(c, 'x-request-id'), header(c, 'traceparent'), randomUUID);
  let res: Response;
  let code: string | undefined;
  try {
    const opts = ctx.opts;
    // Touching c.req.raw makes @hono/node-server build a full Request: only adapters with auth pay.
    const denied = opts.guard && route.adapter.auth ? await opts.guard(route, c.req.raw) : undefined;
    if (denied) res = denied;
    else if (opts.tasks && taskOf(route.operation) && prefersAsync(header(c, 'prefer') ?? null)) {
      const req = await toInvokeRequest(c, route, ctx, trace);
      res = await startAsync(opts.tasks, route, { ...req, waitMs: undefined }, (result) => {
        if (result.upstreamError) code = 'UPSTREAM_STATUS';
        return render(withLinks(ctx, route, result), c.req.method, undefined, trace.id);
      });
      res.headers.set('x-request-id', trace.id);
    } else {
      const req = await toInvokeRequest(c, route, ctx, trace);
      const result = await opts.invoke(route, req);
      if (result.upstreamError) code = 'UPSTREAM_STATUS';
      res = render(
        withLinks(ctx, route, result),
        c.req.method,
        req.waitMs !== undefined ? Math.round(req.waitMs / 1000) : undefined,
        trace.id,
      );
    }
  } catch (err) {
    code = asGatewayError(err).code;
    res = failure(err);
    res.headers.set('x-request-id', trace.id);
  }
  ctx.opts.observer?.request({
    adapter: 'rest',
    route: labelOf(route),
    status: res.status,
    seconds: (performance.now() - started) / 1000,
    trace,
    code,
  });
  return ctx.edge.finish(c, res);
}

/** The result with upstream Location and Link URLs rewritten into this gateway's routes. */
function withLinks(ctx: AppContext, route: RestRoutePlan, result: InvokeResult): InvokeResult {
  if (!result.headers) return result;
  const op = route.operation;
  const call =
    op.action.kind === 'call'
      ? op.action.op
      : op.action.kind === 'function' && op.action.fn.action.kind === 'call'
        ? op.action.fn.action.op
        : undefined;
  return { ...result, headers: ctx.links.rewrite(call?.upstream, result.status, result.headers) };
}

/** A request to a task status URL (GET, HEAD, POST, DELETE), reported like a route under its own label. */
async function handleTask(
  c: Context,
  ctx: AppContext,
  tasks: RestTasks,
  routes: ReadonlyMap<string, RestRoutePlan>,
): Promise<Response> {
  const started = performance.now();
  const early = ctx.edge.screen(c);
  if (early) return early;
  const trace = newTrace(header(c, 'x-request-id'), header(c, 'traceparent'), randomUUID);
  let res: Response;
  let code: string | undefined;
  try {
    // Answers to a task's questions are read like a route's body (same limit), and only once the caller is let in.
    const body = () =>
      readBody(c.req.raw, (c.env as { incoming?: IncomingMessage } | undefined)?.incoming, ctx.maxBodyBytes);
    res = await taskRequest(tasks, routes, c.req.raw, c.req.param('id') ?? '', ctx.opts.guard, trace, body);
  } catch (err) {
    code = asGatewayError(err).code;
    res = problemResponse(err);
  }
  res.headers.set('x-request-id', trace.id);
  ctx.opts.observer?.request({
    adapter: 'rest',
    route: `${c.req.method} ${TASKS_PATH}/{id}`,
    status: res.status,
    seconds: (performance.now() - started) / 1000,
    trace,
    code,
  });
  return ctx.edge.finish(c, res);
}

const labels = new WeakMap<RestRoutePlan, string>();

/** The route's label in metrics and logs: its method and the path template as written in the file. */
function labelOf(route: RestRoutePlan): string {
  let l = labels.get(route);
  if (l === undefined) labels.set(route, (l = `${route.method === '*' ? 'ANY' : route.method} ${route.specPath}`));
  return l;
}

/** A refused body closes the connection: Node then stops reading the rest of it. */
function failure(err: unknown): Response {
  if (err instanceof GatewayError && err.code === 'INPUT_TOO_LARGE')
    return problemResponse(err, { connection: 'close' });
  return problemResponse(err);
}

/**
 * Headers, body and abort signal each cost an allocation per request on @hono/node-server: touch them only when used.
 */
async function toInvokeRequest(
  c: Context,
  route: RestRoutePlan,
  ctx: AppContext,
  trace: RequestTrace,
): Promise<InvokeRequest> {
  const raw = c.req.raw;
  const method = raw.method;
  // GET/HEAD never carry a body in the Fetch API; not touching `raw.body` for them spares
  // @hono/node-server from materialising a full Request per call (~15 % of a pass-through's CPU).
  // Other methods read it from Node's request when there is one (no web Request either), under the limit.
  const bytes =
    method !== 'GET' && method !== 'HEAD'
      ? await readBody(raw, (c.env as { incoming?: IncomingMessage } | undefined)?.incoming, ctx.maxBodyBytes)
      : undefined;
  const op = route.operation;
  if (op.action.kind === 'forward') {
    // As sent: Hono's `path` parameter is percent-decoded, which would turn `a%2Fb` into two segments.
    const { path, query } = forwardRemainder(raw.url, route.path, () => c.req.param('path') ?? '');
    return {
      params: {},
      signal: raw.signal,
      forward: { method, path, query, headers: raw.headers, body: bytes },
      trace,
    };
  }
  const query = queryOf(raw.url);
  const body = bytes?.length ? parseBody(bytes, raw.headers.get('content-type')) : undefined;
  const headers = needsHeaders(route) ? raw.headers : EMPTY_HEADERS;
  const params = gatherParams(op.inputs, { pathParams: c.req.param() as Record<string, string>, query, headers, body });
  // A route that submits work waits too when asked: it submits, then follows the operation it started.
  const wait =
    (op.wait && (method === 'GET' || method === 'HEAD')) || op.task?.submit
      ? parsePreferWait(raw.headers.get('prefer'), MAX_WAIT_MS / 1000)
      : undefined;
  // Cancelling on client disconnect matters for long waits; a single upstream call has its own timeout.
  return wait !== undefined ? { params, signal: raw.signal, waitMs: wait * 1000, trace } : { params, trace };
}

const EMPTY_HEADERS = new Headers();

const headerNeeds = new WeakMap<RestRoutePlan, boolean>();

function needsHeaders(route: RestRoutePlan): boolean {
  let v = headerNeeds.get(route);
  if (v === undefined)
    headerNeeds.set(route, (v = route.operation.inputs.some((i) => i.in === 'header' || i.in === 'cookie')));
  return v;
}

function queryOf(url: string): URLSearchParams {
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

function parseBody(bytes: Uint8Array | undefined, contentType: string | null): unknown {
  if (!bytes || !bytes.length) return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('json') || (!ct && /^\s*[{[]/.test(text))) {
    try {
      return JSON.parse(text);
    } catch {
      throw new GatewayError('INPUT_INVALID', 'request body is not valid JSON');
    }
  }
  if (ct.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

function render(result: InvokeResult, method: string, waited: number | undefined, requestId: string): Response {
  // Only whitelisted upstream headers (Location on a redirect, Retry-After) ever arrive here.
  const headers: Record<string, string> = result.headers
    ? { ...result.headers, 'x-request-id': requestId }
    : { 'x-request-id': requestId };
  if (waited !== undefined) headers['preference-applied'] = `wait=${waited}`;
  const head = method === 'HEAD';
  const b = result.body;
  if (b.kind === 'empty') return new Response(null, { status: result.status === 200 ? 204 : result.status, headers });
  if (b.kind === 'raw') {
    headers['content-type'] = b.contentType;
    return new Response(head ? null : (b.bytes as unknown as BodyInit), { status: result.status, headers });
  }
  headers['content-type'] = 'application/json';
  return new Response(head ? null : JSON.stringify(b.value), { status: result.status, headers });
}
