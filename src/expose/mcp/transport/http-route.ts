/**
 * @module expose/mcp/transport/http-route — every decision about one MCP HTTP request, made once
 * for both the Node handler and the web (Hono) app: Host and Origin guard, path → namespace
 * (`/` and `/mcp` merge every endpoint, `/mcp/<namespace>` serves one), OAuth metadata under
 * `/.well-known/`, CORS preflight, authentication (only endpoints that have hooks pay for it),
 * the view of what the caller may see, and the method. Faults are answered by `routeFailure`.
 */
import { decodeOrKeep } from '../../../common/text.ts';
import { InFlight } from '../protocol/cancellation.ts';
import { httpFailure } from '../protocol/errors.ts';
import type { McpAppOptions, McpEndpoint, McpRegistry } from '../protocol/types.ts';
import { viewFor, type EndpointView } from '../protocol/view.ts';
import { VERSION } from '../../../common/version.ts';
import { authorizeMerged, authorizeOne } from './http-auth.ts';
import { createGuard, preflight, withCors, type Guard } from './http-guard.ts';
import { JsonOut, jsonReply, transportError, type Out } from './http-out.ts';
import { ChangeStreams } from './change-stream.ts';
import { Sessions } from '../protocol/sessions.ts';
import { ClientRequests } from './client-requests.ts';
import { handlePost, type PostContext } from './http-post.ts';
import type { Inbound } from './inbound.ts';

export interface McpHttpState extends PostContext {
  readonly guard: Guard;
}

export function createMcpState(registry: McpRegistry, opts: McpAppOptions): McpHttpState {
  return {
    registry,
    serverInfo: { name: opts.serverName ?? 'capgate', version: opts.serverVersion ?? VERSION },
    guard: createGuard(opts),
    inflight: new InFlight(),
    streams: new ChangeStreams(),
    issueSessionId: opts.issueSessionId === true,
    ...(opts.issueSessionId ? { sessions: new Sessions() } : {}),
    clientRequests: new ClientRequests(),
    ...(opts.observer ? { observer: opts.observer } : {}),
  };
}

/** `/`, `/mcp`, `/mcp/` and `/mcp/<namespace>`, with or without a query string. */
const MCP_PATH = /^\/(?:mcp(?:\/([^/?#]+))?\/?)?(?:\?.*)?$/;
const WELL_KNOWN = '/.well-known/';
const ALLOW = 'GET, POST, DELETE';

/**
 * Route one request. Synchronous as far as it can be: on the common path (no Origin, no authentication hooks) it
 * adds no promise of its own to the one handlePost returns. Throws or rejects only on a fault; each door answers
 * that with `routeFailure`.
 */
export function routeMcp(state: McpHttpState, req: Inbound): Out | Promise<Out> {
  const origin = req.headers.get('origin') ?? undefined;
  const blocked = state.guard.check(req.host, origin);
  if (blocked) return blocked;
  const out = route(state, req, origin);
  if (origin === undefined) return out;
  return out instanceof Promise ? out.then((o) => withCors(o, origin)) : withCors(out, origin);
}

/** The answer to a fault while routing or handling a request (a gateway error keeps its status and code). */
export function routeFailure(err: unknown, req: Inbound): Out {
  const f = httpFailure(err);
  return withCors(jsonReply(f.body, f.status), req.headers.get('origin') ?? undefined);
}

function route(state: McpHttpState, req: Inbound, origin: string | undefined): Out | Promise<Out> {
  if (req.url.startsWith(WELL_KNOWN)) return wellKnown(state.registry.current(), req);
  const m = MCP_PATH.exec(req.url);
  if (!m) return new Response('404 Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  const method = req.method;
  if (method === 'OPTIONS') return preflight(origin);
  if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') return notAllowed();
  const ns = m[1] === undefined ? undefined : decodeOrKeep(m[1]);
  const access = viewOf(state, req, ns);
  return access instanceof Promise ? access.then((a) => serve(state, req, a, ns)) : serve(state, req, access, ns);
}

/**
 * The method on a path the caller may see: POST carries JSON-RPC; GET opens the 2025-era stream of list changes
 * (for a client that accepts SSE); stateless, so there is no session to DELETE.
 */
function serve(
  state: McpHttpState,
  req: Inbound,
  access: EndpointView | Out,
  ns: string | undefined,
): Out | Promise<Out> {
  if (access instanceof Response || access instanceof JsonOut) return access;
  if (req.method === 'POST') return handlePost(state, req, access, ns);
  if (req.method === 'GET') {
    if (req.headers.get('accept')?.includes('text/event-stream')) return state.streams.open(state.registry, ns);
    return notAllowed('GET without Accept: text/event-stream');
  }
  // DELETE ends a 2025-era session: requests naming it are refused from now on.
  const session = req.headers.get('mcp-session-id');
  if (session && state.sessions) state.sessions.end(session);
  return new Response(null, { status: 200 });
}

function notAllowed(text = 'Method not allowed'): Response {
  return new Response(text, { status: 405, headers: { Allow: ALLOW, 'Content-Type': 'text/plain' } });
}

/**
 * What this caller may see at this path: every endpoint (merged path) or one (namespace path),
 * less those whose authentication refuses it. A request to endpoints without hooks builds no
 * web Request at all.
 */
function viewOf(
  state: McpHttpState,
  req: Inbound,
  ns: string | undefined,
): EndpointView | Out | Promise<EndpointView | Out> {
  const all = state.registry.current();
  if (ns === undefined) {
    if (!all.some((e) => e.authenticate)) return viewFor(all, all, 'all');
    return authorizeMerged(all, req.request()).then((o) => o.denied ?? viewFor(all, o.allowed, o.key));
  }
  const ep = all.find((e) => e.namespace === ns);
  if (!ep) return transportError(404, `Unknown MCP namespace: ${ns}`);
  if (!ep.authenticate) return viewFor(all, [ep], `ns:${ep.namespace}`);
  return authorizeOne(ep, req.request()).then((o) => o.denied ?? viewFor(all, o.allowed, o.key));
}

/** Public documents endpoints publish before authentication (OAuth protected-resource metadata, RFC 9728). */
function wellKnown(all: readonly McpEndpoint[], req: Inbound): Out {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const request = all.some((e) => e.wellKnown) ? req.request() : undefined;
    for (const e of all) {
      const res = request && e.wellKnown?.(request);
      if (res) return res;
    }
  }
  return new Response('404 Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
