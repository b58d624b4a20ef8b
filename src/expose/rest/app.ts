/**
 * @module expose/rest/app — the REST adapter: one Hono app per port serving every REST route
 * of every capability on that port. A translator only: HTTP request → (operation, params) →
 * invoke → HTTP response; errors go through problem.ts.
 */
import { Hono, type Context } from 'hono';
import type { RestRoutePlan, RestServerPlan } from '../../plan/types.ts';
import type { InvokeRequest, InvokeResult } from '../../invoke/types.ts';
import { GatewayError } from '../../common/errors.ts';
import { gatherParams } from './inputs.ts';
import { problemResponse } from './problem.ts';
import { parsePreferWait } from './prefer.ts';
import { MAX_WAIT_MS } from '../../invoke/wait.ts';

export type Invoker = (route: RestRoutePlan, req: InvokeRequest) => Promise<InvokeResult>;
/** Returns a denial Response, or undefined when the request may proceed. */
export type Guard = (route: RestRoutePlan, req: Request) => Promise<Response | undefined>;

export interface RestAppOptions {
  readonly invoke: Invoker;
  readonly guard?: Guard;
  readonly maxBodyBytes?: number;
}

export function createRestApp(server: RestServerPlan, opts: RestAppOptions): Hono {
  const app = new Hono();
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
      const handler = (c: Context) => handle(c, route, opts);
      if (route.method === '*') app.all(path, handler);
      else app.on(route.method, path, handler);
    }
  }
  for (const path of paths) {
    const routes = byPath.get(path)!;
    const allowed = [...new Set(routes.map((r) => r.method))].filter((m) => m !== '*');
    if (!routes.some((r) => r.method === '*')) app.all(path, (c) => notAllowed(c, allowed));
  }
  app.notFound((c) =>
    problemResponse(new GatewayError('NOT_FOUND', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)),
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

/** A known path with an undeclared method: 405 + Allow (OPTIONS answers 204 with Allow). */
function notAllowed(c: Context, allowed: string[]): Response {
  const allow = [...new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
  if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } });
  return problemResponse(
    new GatewayError('METHOD_NOT_ALLOWED', `${c.req.method} is not supported on this path`, { details: { allowed } }),
    { allow },
  );
}

async function handle(c: Context, route: RestRoutePlan, opts: RestAppOptions): Promise<Response> {
  try {
    // Touching c.req.raw makes @hono/node-server build a full Request: only adapters with auth pay.
    const denied = opts.guard && route.adapter.auth ? await opts.guard(route, c.req.raw) : undefined;
    if (denied) return denied;
    const req = await toInvokeRequest(c, route, opts);
    const result = await opts.invoke(route, req);
    return render(result, c.req.method, req.waitMs !== undefined ? Math.round(req.waitMs / 1000) : undefined);
  } catch (err) {
    return problemResponse(err);
  }
}

/**
 * Headers, body and abort signal each cost an allocation per request on @hono/node-server: touch them only when used.
 */
async function toInvokeRequest(c: Context, route: RestRoutePlan, opts: RestAppOptions): Promise<InvokeRequest> {
  const raw = c.req.raw;
  const method = raw.method;
  const query = queryOf(raw.url);
  // GET/HEAD never carry a body in the Fetch API; not touching `raw.body` for them spares
  // @hono/node-server from materialising a full Request per call (~15 % of a pass-through's CPU).
  const bytes = method !== 'GET' && method !== 'HEAD' && raw.body ? new Uint8Array(await raw.arrayBuffer()) : undefined;
  if (bytes && opts.maxBodyBytes && bytes.length > opts.maxBodyBytes)
    throw new GatewayError('INPUT_INVALID', `request body exceeds ${opts.maxBodyBytes} bytes`, { status: 413 });
  const op = route.operation;
  if (op.action.kind === 'forward') {
    const rest = c.req.param('path') ?? '';
    return {
      params: {},
      signal: raw.signal,
      forward: { method, path: rest, query: query.toString(), headers: raw.headers, body: bytes },
    };
  }
  const body = bytes?.length ? parseBody(bytes, raw.headers.get('content-type')) : undefined;
  const headers = needsHeaders(route) ? raw.headers : EMPTY_HEADERS;
  const params = gatherParams(op.inputs, { pathParams: c.req.param() as Record<string, string>, query, headers, body });
  const wait =
    op.wait && (method === 'GET' || method === 'HEAD')
      ? parsePreferWait(raw.headers.get('prefer'), MAX_WAIT_MS / 1000)
      : undefined;
  // Cancelling on client disconnect matters for long waits; a single upstream call has its own timeout.
  return wait !== undefined ? { params, signal: raw.signal, waitMs: wait * 1000 } : { params };
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

function render(result: InvokeResult, method: string, waited: number | undefined): Response {
  // Only whitelisted upstream headers (Location on a redirect, Retry-After) ever arrive here.
  const headers: Record<string, string> = result.headers ? { ...result.headers } : {};
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
