/**
 * @module expose/mcp/transport/http-post — one JSON-RPC message POSTed over Streamable HTTP:
 * content type and size, parse, classify, protocol era (headers cross-checked), then dispatch.
 * Requests answer with JSON, or with an SSE stream when a long-running tool reports progress;
 * notifications and client responses answer 202.
 */
import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../../../common/json.ts';
import { InFlight, LazyAbort, idKey, type Flight } from '../protocol/cancellation.ts';
import {
  dispatchRequest,
  progressNotification,
  progressTokenOf,
  wantsProgressStream,
  type Exchange,
  type ServerInfo,
} from '../protocol/dispatch.ts';
import { classifyEra, type ProtocolHeaders } from '../protocol/era.ts';
import {
  INVALID_REQUEST,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  RpcError,
  classifyMessage,
  rpcError,
  type RpcId,
  type RpcReply,
} from '../protocol/jsonrpc.ts';
import { parseListen } from '../protocol/subscriptions.ts';
import { ERROR_META } from '../protocol/errors.ts';
import { listenTaskIds, taskMayAsk, watchTasks } from '../protocol/tasks.ts';
import { newTrace, type Observer, type RequestReport, type RequestTrace } from '../../../common/observe.ts';
import type { JsonObject, LogLevel, McpRegistry } from '../protocol/types.ts';
import type { ChangeStreams } from './change-stream.ts';
import type { EndpointView } from '../protocol/view.ts';
import { JsonOut, jsonReply, transportError, type Out } from './http-out.ts';
import type { HeaderReader, Inbound } from './inbound.ts';
import { openSse } from './sse.ts';
import { levelFilter, requestedLogLevel } from '../protocol/logging.ts';
import { HEADER_MISMATCH, MISSING_CAPABILITY } from '../protocol/jsonrpc.ts';
import { paramHeaderProblem, paramHeadersOf } from '../protocol/param-headers.ts';
import type { McpSession, Sessions } from '../protocol/sessions.ts';
import type { ClientRequests } from './client-requests.ts';

/** Same ceiling as the SDK's default request body limit. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** What POST handling needs from the server's state. */
export interface PostContext {
  readonly registry: McpRegistry;
  readonly serverInfo: ServerInfo;
  readonly inflight: InFlight;
  readonly streams: ChangeStreams;
  readonly issueSessionId: boolean;
  /** 2025-era sessions, kept when the server gives them out (issueSessionId). */
  readonly sessions?: Sessions;
  /** Questions put to 2025-era clients (elicitation), waiting for their answers. */
  readonly clientRequests?: ClientRequests;
  readonly observer?: Observer;
}

/** `namespace`: the `/mcp/<namespace>` the request came to, undefined on a merged path. */
export async function handlePost(ctx: PostContext, req: Inbound, view: EndpointView, namespace?: string): Promise<Out> {
  const body = await readBody(req);
  if (body instanceof Response || body instanceof JsonOut) return body;
  if (body.text.trim() === '') return jsonReply(rpcError(null, PARSE_ERROR, 'Parse error: empty body'));
  let msg: unknown;
  try {
    msg = JSON.parse(body.text);
  } catch (err) {
    return jsonReply(rpcError(null, PARSE_ERROR, `Parse error: ${(err as Error).message}`));
  }
  if (Array.isArray(msg))
    return transportError(400, 'Invalid Request: batch requests are not supported', null, INVALID_REQUEST);
  const m = classifyMessage(msg);
  if (m.kind === 'invalid') return jsonReply(m.reply);
  if (m.kind === 'response') {
    ctx.clientRequests?.settle(req.headers, msg);
    return new Response(null, { status: 202 });
  }
  const outcome = classifyEra(m.kind, m.method, m.params, protocolHeaders(req.headers));
  if (outcome.rejection) {
    const r = outcome.rejection;
    const id = m.kind === 'request' ? m.id : null;
    return jsonReply(rpcError(id, r.code, r.message, r.data), r.status);
  }
  if (outcome.era === 'legacy' && !acceptsBoth(req.headers)) {
    return transportError(406, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  if (outcome.era === 'modern' && m.kind === 'request' && m.method === 'tools/call') {
    const bad = paramHeaderCheck(view, m.params, req.headers);
    if (bad) return jsonReply(rpcError(m.id, HEADER_MISMATCH, `Bad Request: ${bad}`), 400);
  }
  let session: McpSession | undefined;
  if (outcome.era === 'legacy' && ctx.sessions) {
    const id = req.headers.get('mcp-session-id');
    if (id && ctx.sessions.isEnded(id)) return transportError(404, 'Not Found: the session has ended', null, -32001);
    session = id ? ctx.sessions.get(id) : undefined;
  }
  if (m.kind === 'notification') return handleNotification(ctx, req, m.method, m.params);
  if (m.method === LISTEN && outcome.era === 'modern') return listen(ctx, view, m.id, m.params, namespace);
  return handleRequest(ctx, req, view, outcome.era, m.id, m.method, m.params, session);
}

const LISTEN = 'subscriptions/listen';

/** 2026-07-28 `subscriptions/listen`: a standing stream of the list changes the client asked for. */
function listen(
  ctx: PostContext,
  view: EndpointView,
  id: string | number,
  params: unknown,
  namespace: string | undefined,
): Out {
  let filter;
  let taskIds;
  try {
    filter = parseListen(params);
    taskIds = listenTaskIds(params, view);
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    const e = err;
    return jsonReply(rpcError(id, e.code, e.message, e.data), 400);
  }
  const tasks = taskIds && {
    ids: taskIds,
    watch: (send: (m: JsonObject) => void) => watchTasks(view, taskIds, id, send),
  };
  return ctx.streams.open(ctx.registry, namespace, { id, filter, ...(tasks ? { tasks } : {}) });
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

async function readBody(req: Inbound): Promise<{ text: string } | Out> {
  const ct = req.headers.get('content-type');
  if (ct && ct !== 'application/json' && !JSON_TYPE.test(ct.trim())) {
    return transportError(415, 'Unsupported Media Type: Content-Type must be application/json');
  }
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return transportError(413, 'Payload Too Large');
  const text = await req.wire.text(MAX_BODY_BYTES);
  if (text === undefined) return transportError(413, 'Payload Too Large');
  return { text };
}

function protocolHeaders(h: HeaderReader): ProtocolHeaders {
  const out: ProtocolHeaders = {};
  const version = h.get('mcp-protocol-version')?.trim();
  const method = h.get('mcp-method')?.trim();
  const name = h.get('mcp-name')?.trim();
  if (version) out.version = version;
  if (method) out.method = method;
  if (name) out.name = name;
  return out;
}

/** 2025-era clients MUST accept both types (the SDK answers 406 otherwise); 2026-07-28 clients are not held to it. */
function acceptsBoth(h: HeaderReader): boolean {
  const a = h.get('accept') ?? '';
  return a.includes('application/json') && a.includes('text/event-stream');
}

/** In-flight key: the request id scoped by the caller's credentials (stateless HTTP has no session). */
function flightKey(h: HeaderReader, id: unknown): string {
  return `${h.get('authorization') ?? ''}\u0000${h.get('mcp-session-id') ?? ''}\u0000${idKey(id)}`;
}

function handleNotification(ctx: PostContext, req: Inbound, method: string, params: unknown): Response {
  if (method === 'notifications/cancelled' && isPlainObject(params) && params.requestId !== undefined) {
    ctx.inflight.cancel(
      flightKey(req.headers, params.requestId),
      typeof params.reason === 'string' ? params.reason : undefined,
    );
  }
  return new Response(null, { status: 202 });
}

/** One HTTP request in flight: tracked from construction until done() (answered or streamed out). */
class HttpFlight implements Flight {
  private readonly slot: number;
  constructor(
    private readonly inflight: InFlight,
    readonly ctrl: LazyAbort,
    private readonly headers: HeaderReader,
    private readonly id: RpcId,
  ) {
    this.slot = inflight.add(this);
  }
  key(): string {
    return flightKey(this.headers, this.id);
  }
  done(): void {
    this.inflight.delete(this, this.slot);
    this.ctrl.release();
  }
}

/**
 * One request's Exchange; signal and headers are built on first read. A class rather than an
 * object literal with getters (see ExchangeContext in dispatch.ts for why).
 */
class HttpExchange implements Exchange {
  progress?: Exchange['progress'];
  session?: McpSession;
  keepsSessions?: boolean;
  log?: Exchange['log'];
  request?: Exchange['request'];
  constructor(
    readonly era: Exchange['era'],
    readonly view: EndpointView,
    readonly serverInfo: ServerInfo,
    private readonly ctrl: LazyAbort,
    private readonly req: Inbound,
    readonly trace: RequestTrace,
  ) {}
  get signal(): AbortSignal {
    return this.ctrl.signal;
  }
  get headers(): Headers {
    return this.req.webHeaders();
  }
}

/** Run one request: JSON reply normally; an SSE stream when a long-running tool should report progress. */
async function handleRequest(
  ctx: PostContext,
  req: Inbound,
  view: EndpointView,
  era: Exchange['era'],
  id: string | number,
  method: string,
  params: unknown,
  session?: McpSession,
): Promise<Out> {
  const started = performance.now();
  const ctrl = new LazyAbort(req.wire);
  const flight = new HttpFlight(ctx.inflight, ctrl, req.headers, id);
  const trace = newTrace(req.headers.get('x-request-id'), req.headers.get('traceparent'), randomUUID);
  const ex = new HttpExchange(era, view, ctx.serverInfo, ctrl, req, trace);
  if (session) ex.session = session;
  if (ctx.sessions) ex.keepsSessions = true;
  const headers: Record<string, string> = { 'x-request-id': trace.id };
  if (ctx.issueSessionId && method === 'initialize') headers['Mcp-Session-Id'] = newSession(ctx, params);
  const observe = (reply: RpcReply) => ctx.observer?.request(report(view, method, params, reply, started, trace));
  let logLevel: LogLevel | undefined;
  if (method === 'tools/call') {
    try {
      logLevel = era === 'modern' ? requestedLogLevel(params) : session?.logLevel;
    } catch (err) {
      flight.done();
      const e = err as RpcError;
      return jsonReply(rpcError(id, e.code, e.message, e.data), 200, headers);
    }
  }

  const asks = era === 'legacy' && ctx.clientRequests !== undefined && asksUser(view, method, params);
  if (
    (logLevel !== undefined || asks || wantsProgressStream(view, method, params)) &&
    req.headers.get('accept')?.includes('text/event-stream')
  ) {
    const sse = openSse(() => ctrl.abort('client disconnected'), headers);
    if (asks) ex.request = ctx.clientRequests!.sender(req.headers, (m) => sse.send(m), ex.signal);
    const token = progressTokenOf(params);
    if (token !== undefined) ex.progress = (p) => sse.send(progressNotification(token, p));
    if (logLevel !== undefined) ex.log = levelFilter(logLevel, (msg) => sse.send(msg));
    void dispatchRequest(id, method, params, ex)
      .then((reply) => {
        sse.send(reply);
        sse.close();
        observe(reply);
      })
      .finally(() => flight.done());
    return sse.response;
  }
  let reply: RpcReply;
  try {
    reply = await dispatchRequest(id, method, params, ex);
  } finally {
    flight.done();
  }
  observe(reply);
  return jsonReply(reply, statusOf(era, reply), headers);
}

/** `Mcp-Param-*` headers of a tool whose arguments declare `x-mcp-header` (most tools have none: no work). */
function paramHeaderCheck(view: EndpointView, params: unknown, h: HeaderReader): string | undefined {
  const name = isPlainObject(params) ? params.name : undefined;
  const tool = typeof name === 'string' ? view.tools.get(name) : undefined;
  if (!tool || paramHeadersOf(tool).length === 0) return undefined;
  const args = isPlainObject((params as JsonObject).arguments) ? ((params as JsonObject).arguments as JsonObject) : {};
  return paramHeaderProblem(tool, args, h);
}

/**
 * Whether this call may put questions to the user (a tool with `ask`, a prompt with one, or the tasks/result of a
 * task whose operation asks while it runs).
 */
function asksUser(view: EndpointView, method: string, params: unknown): boolean {
  if (taskMayAsk(view, method, params)) return true;
  const name = isPlainObject(params) ? params.name : undefined;
  if (typeof name !== 'string') return false;
  if (method === 'tools/call') return view.tools.get(name)?.ask !== undefined;
  return method === 'prompts/get' && view.prompts.get(name)?.ask !== undefined;
}

/**
 * 2026-07-28 maps an unknown method to HTTP 404 (as the SDK does) and a missing client capability to 400; 2025-era
 * replies always travel with 200.
 */
function statusOf(era: Exchange['era'], reply: RpcReply): number {
  if (era !== 'modern' || !('error' in reply)) return 200;
  if (reply.error.code === METHOD_NOT_FOUND) return 404;
  return reply.error.code === MISSING_CAPABILITY ? 400 : 200;
}

/** A session for a 2025-era client that initializes (kept when the server keeps sessions, else only an id). */
function newSession(ctx: PostContext, params: unknown): string {
  if (!ctx.sessions) return randomUUID();
  const caps = isPlainObject(params) && isPlainObject(params.capabilities) ? params.capabilities : {};
  return ctx.sessions.create(caps);
}

/** What one answered request reports: its method (and tool, when the view has it), ok or error, time, error code. */
function report(
  view: EndpointView,
  method: string,
  params: unknown,
  reply: RpcReply,
  started: number,
  trace: RequestTrace,
): RequestReport {
  let route = KNOWN_METHODS.has(method) ? method : 'unknown';
  if (method === 'tools/call') {
    const name = isPlainObject(params) ? params.name : undefined;
    route = typeof name === 'string' && view.tools.has(name) ? `tools/call ${name}` : 'tools/call unknown';
  }
  let code: string | undefined;
  if ('error' in reply) code = String(reply.error.code);
  else if (isPlainObject(reply.result) && reply.result.isError === true) {
    const meta = isPlainObject(reply.result._meta) ? reply.result._meta[ERROR_META] : undefined;
    code = isPlainObject(meta) && typeof meta.code === 'string' ? meta.code : 'TOOL_ERROR';
  }
  return {
    adapter: 'mcp',
    route,
    status: code === undefined ? 'ok' : 'error',
    seconds: (performance.now() - started) / 1000,
    trace,
    ...(code ? { code } : {}),
  };
}

/** Methods named as themselves in metrics; anything else a client sends is counted as `unknown`. */
const KNOWN_METHODS = new Set([
  'initialize',
  'ping',
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'tasks/get',
  'tasks/result',
  'tasks/list',
  'tasks/cancel',
  'tasks/update',
]);
