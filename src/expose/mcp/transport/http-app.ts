/** @module expose/mcp/http-app — Streamable HTTP for both protocol eras on Hono: `/mcp` and `/` (all endpoints merged) and `/mcp/<namespace>`; stateless, JSON replies unless progress must be streamed. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import { authorizeMerged, authorizeOne, type AuthOutcome } from './http-auth.ts';
import { InFlight, LazyAbort, idKey, type Flight } from '../protocol/cancellation.ts';
import {
  dispatchRequest, progressNotification, progressTokenOf, wantsProgressStream, type Exchange, type ServerInfo,
} from '../protocol/dispatch.ts';
import { classifyEra, type ProtocolHeaders } from '../protocol/era.ts';
import { createGuard, preflight, withCors, type Guard } from './http-guard.ts';
import {
  INTERNAL_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, TRANSPORT_ERROR,
  classifyMessage, isPlainObject, rpcError, type RpcId, type RpcReply,
} from '../protocol/jsonrpc.ts';
import { openSse } from './sse.ts';
import type { McpAppOptions, McpRegistry } from '../protocol/types.ts';
import { viewFor, type EndpointView } from '../protocol/view.ts';

/** Same ceiling as the SDK's default request body limit. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface AppState {
  registry: McpRegistry;
  serverInfo: ServerInfo;
  guard: Guard;
  inflight: InFlight;
  issueSessionId: boolean;
}

/**
 * A JSON reply not yet wrapped in a web Response: the Node fast path (node-fast.ts) writes it
 * straight to the socket, the Hono path wraps it. Everything else travels as a Response.
 */
export class JsonOut {
  constructor(readonly body: string, readonly status: number, readonly headers?: Record<string, string>) {}
}

export type Out = Response | JsonOut;

function jsonReply(body: unknown, status = 200, headers?: Record<string, string>): JsonOut {
  return new JsonOut(JSON.stringify(body), status, headers);
}

export function toResponse(o: Out): Response {
  if (o instanceof Response) return o;
  return new Response(o.body, { status: o.status, headers: { 'Content-Type': 'application/json', ...o.headers } });
}

function transportError(status: number, message: string, id: RpcId = null, code = TRANSPORT_ERROR): JsonOut {
  return jsonReply({ jsonrpc: '2.0', error: { code, message }, id }, status);
}

/** What the request handling reads from the inbound request: a web Request satisfies it. */
export interface Inbound {
  readonly method: string;
  readonly headers: { get(name: string): string | null };
}

function protocolHeaders(h: Inbound['headers']): ProtocolHeaders {
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
function acceptsBoth(h: Inbound['headers']): boolean {
  const a = h.get('accept') ?? '';
  return a.includes('application/json') && a.includes('text/event-stream');
}

/** In-flight key: the request id scoped by the caller's credentials (stateless HTTP has no session). */
function flightKey(h: Inbound['headers'], id: unknown): string {
  return `${h.get('authorization') ?? ''}\u0000${h.get('mcp-session-id') ?? ''}\u0000${idKey(id)}`;
}

/** One HTTP request in flight: tracked from construction until done() (answered or streamed out). */
class HttpFlight implements Flight {
  private readonly slot: number;
  constructor(private readonly inflight: InFlight, readonly ctrl: LazyAbort, private readonly headers: Inbound['headers'], private readonly id: RpcId) {
    this.slot = inflight.add(this);
  }
  key(): string { return flightKey(this.headers, this.id); }
  done(): void {
    this.inflight.delete(this, this.slot);
    this.ctrl.release();
  }
}

async function authorize(state: AppState, req: Request, ns: string | undefined): Promise<AuthOutcome | Out> {
  const all = state.registry.current();
  if (ns === undefined) return authorizeMerged(all, req);
  const ep = all.find((e) => e.namespace === ns);
  if (!ep) return transportError(404, `Unknown MCP namespace: ${ns}`);
  return authorizeOne(ep, req);
}

/**
 * The request body and the client's disconnect, read from Node's own objects when served by
 * @hono/node-server: going through the web Request (ReadableStream body, AbortSignal) costs
 * more CPU per tools/call than the whole JSON-RPC handling. Elsewhere (app.request in tests,
 * other runtimes) the web Request is used.
 */
export interface Wire {
  text(): Promise<string | undefined>; // undefined: over MAX_BODY_BYTES
  /** Calls cb when the client goes away before the answer is sent (at once if it already has). */
  onClose(cb: () => void): () => void;
}

const NOOP = () => {};

function wireOf(c: Context, req: Request): Wire {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  if (env?.incoming && env.outgoing) return nodeWire(env.incoming, env.outgoing);
  return {
    text: async () => {
      const t = await req.text();
      return t.length > MAX_BODY_BYTES ? undefined : t;
    },
    onClose: (cb) => {
      if (req.signal.aborted) { cb(); return NOOP; }
      req.signal.addEventListener('abort', cb, { once: true });
      return () => req.signal.removeEventListener('abort', cb);
    },
  };
}

export function nodeWire(incoming: IncomingMessage, outgoing: ServerResponse): Wire {
  return new NodeWire(incoming, outgoing);
}

/** A class rather than a literal of closures: this is built for every tools/call. */
class NodeWire implements Wire {
  constructor(private readonly incoming: IncomingMessage, private readonly outgoing: ServerResponse) {}

  text(): Promise<string | undefined> {
    const incoming = this.incoming;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      incoming.once('end', () => resolve(size > MAX_BODY_BYTES ? undefined : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8')));
      incoming.once('error', reject);
    });
  }

  onClose(cb: () => void): () => void {
    const out = this.outgoing;
    if (out.destroyed && !out.writableFinished) { cb(); return NOOP; }
    const h = () => { if (!out.writableFinished) cb(); };
    out.on('close', h);
    return () => out.off('close', h);
  }
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

async function readBody(req: Inbound, wire: Wire): Promise<{ text: string } | Out> {
  const ct = req.headers.get('content-type');
  if (ct && ct !== 'application/json' && !JSON_TYPE.test(ct.trim())) {
    return transportError(415, 'Unsupported Media Type: Content-Type must be application/json');
  }
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return transportError(413, 'Payload Too Large');
  const text = await wire.text();
  if (text === undefined) return transportError(413, 'Payload Too Large');
  return { text };
}

function handleNotification(state: AppState, req: Inbound, method: string, params: unknown): Response {
  if (method === 'notifications/cancelled' && isPlainObject(params) && params.requestId !== undefined) {
    state.inflight.cancel(flightKey(req.headers, params.requestId), typeof params.reason === 'string' ? params.reason : undefined);
  }
  return new Response(null, { status: 202 });
}

/** Run one request: JSON reply normally; an SSE stream when a long-running tool should report progress. */
async function handleRequest(state: AppState, req: Inbound, wire: Wire, view: EndpointView, era: Exchange['era'], id: string | number, method: string, params: unknown): Promise<Out> {
  const ctrl = new LazyAbort(wire);
  const flight = new HttpFlight(state.inflight, ctrl, req.headers, id);
  const ex = new HttpExchange(era, view, state.serverInfo, ctrl, req);
  const sessionHeader = state.issueSessionId && method === 'initialize' ? { 'Mcp-Session-Id': randomUUID() } : undefined;

  if (wantsProgressStream(view, method, params) && req.headers.get('accept')?.includes('text/event-stream')) {
    const sse = openSse(() => ctrl.abort('client disconnected'), sessionHeader);
    const token = progressTokenOf(params)!;
    ex.progress = (p) => sse.send(progressNotification(token, p));
    void dispatchRequest(id, method, params, ex).then((reply) => { sse.send(reply); sse.close(); }).finally(() => flight.done());
    return sse.response;
  }
  let reply: RpcReply;
  try {
    reply = await dispatchRequest(id, method, params, ex);
  } finally {
    flight.done();
  }
  // 2026-07-28 maps an unknown method to HTTP 404 (as the SDK does); 2025-era replies always travel with 200.
  const status = era === 'modern' && 'error' in reply && reply.error.code === METHOD_NOT_FOUND ? 404 : 200;
  return jsonReply(reply, status, sessionHeader);
}

/**
 * One request's Exchange; signal and headers are built on first read. A class rather than an
 * object literal with getters (see ExchangeContext in dispatch.ts for why).
 */
class HttpExchange implements Exchange {
  progress?: Exchange['progress'];
  constructor(readonly era: Exchange['era'], readonly view: EndpointView, readonly serverInfo: ServerInfo, private readonly ctrl: LazyAbort, private readonly req: Inbound) {}
  get signal(): AbortSignal { return this.ctrl.signal; }
  get headers(): Headers { return headersOf(this.req); }
}

/** Exchange headers for tools: the web Headers when we have them, built on demand otherwise (the Node fast path's `web`). */
function headersOf(req: Inbound): Headers {
  return req.headers instanceof Headers ? req.headers : (req as { web?: Headers }).web ?? new Headers();
}

export async function handlePost(state: AppState, req: Inbound, wire: Wire, view: EndpointView): Promise<Out> {
  const body = await readBody(req, wire);
  if (body instanceof Response || body instanceof JsonOut) return body;
  if (body.text.trim() === '') return jsonReply(rpcError(null, PARSE_ERROR, 'Parse error: empty body'));
  let msg: unknown;
  try {
    msg = JSON.parse(body.text);
  } catch (err) {
    return jsonReply(rpcError(null, PARSE_ERROR, `Parse error: ${(err as Error).message}`));
  }
  if (Array.isArray(msg)) return transportError(400, 'Invalid Request: batch requests are not supported', null, INVALID_REQUEST);
  const m = classifyMessage(msg);
  if (m.kind === 'invalid') return jsonReply(m.reply);
  if (m.kind === 'response') return new Response(null, { status: 202 });
  const outcome = classifyEra(m.kind, m.method, m.params, protocolHeaders(req.headers));
  if (outcome.rejection) {
    const r = outcome.rejection;
    const id = m.kind === 'request' ? m.id : null;
    return jsonReply({ jsonrpc: '2.0', error: r.data === undefined ? { code: r.code, message: r.message } : { code: r.code, message: r.message, data: r.data }, id }, r.status);
  }
  if (outcome.era === 'legacy' && !acceptsBoth(req.headers)) {
    return transportError(406, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  if (m.kind === 'notification') return handleNotification(state, req, m.method, m.params);
  return handleRequest(state, req, wire, view, outcome.era, m.id, m.method, m.params);
}

async function route(state: AppState, req: Request, wire: Wire, ns: string | undefined, origin: string | undefined): Promise<Out> {
  if (req.method === 'OPTIONS') return preflight(origin);
  const auth = await authorize(state, req, ns);
  if (auth instanceof Response || auth instanceof JsonOut) return auth;
  if (auth.denied) return auth.denied;
  switch (req.method) {
    case 'POST': return handlePost(state, req, wire, viewFor(state.registry.current(), auth.allowed, auth.key));
    case 'GET': return new Response('GET not supported', { status: 405, headers: { Allow: 'POST, DELETE', 'Content-Type': 'text/plain' } });
    case 'DELETE': return new Response(null, { status: 200 });
    default: return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST, DELETE', 'Content-Type': 'text/plain' } });
  }
}

async function serve(state: AppState, c: Context, ns: string | undefined): Promise<Response> {
  const req = c.req.raw;
  const origin = req.headers.get('origin') ?? undefined;
  const blocked = state.guard.check(req.headers.get('host') ?? new URL(req.url).host, origin);
  if (blocked) return blocked;
  try {
    return withCors(toResponse(await route(state, req, wireOf(c, req), ns, origin)), origin);
  } catch {
    return withCors(toResponse(jsonReply(rpcError(null, INTERNAL_ERROR, 'Internal error'), 500)), origin);
  }
}

export function createMcpState(registry: McpRegistry, opts: McpAppOptions): AppState {
  return {
    registry,
    serverInfo: { name: opts.serverName ?? 'capgate', version: opts.serverVersion ?? '0.0.0' },
    guard: createGuard(opts),
    inflight: new InFlight(),
    issueSessionId: opts.issueSessionId === true,
  };
}

/** Streamable HTTP MCP server for every endpoint of the registry (read per request, so hot reloads apply at once). */
export function createMcpApp(registry: McpRegistry, opts: McpAppOptions, state: AppState = createMcpState(registry, opts)): Hono {
  const app = new Hono();
  const merged = (c: Context) => serve(state, c, undefined);
  app.all('/', merged);
  app.all('/mcp', merged);
  app.all('/mcp/:ns', (c) => serve(state, c, c.req.param('ns')));
  return app;
}
