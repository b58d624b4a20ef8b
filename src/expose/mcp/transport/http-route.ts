/**
 * @module expose/mcp/transport/http-route — every decision about one MCP HTTP request, made once
 * for both the Node handler and the web (Hono) app: Host and Origin guard, path → namespace
 * (`/` and `/mcp` merge every endpoint, `/mcp/<namespace>` serves one), OAuth metadata under
 * `/.well-known/`, CORS preflight, authentication (only endpoints that have hooks pay for it),
 * the view of what the caller may see, and the method. Never throws: failures become answers.
 */
import { decodeOrKeep } from '../../../common/text.ts';
import { InFlight } from '../protocol/cancellation.ts';
import { httpFailure } from '../protocol/errors.ts';
import type { McpAppOptions, McpEndpoint, McpRegistry } from '../protocol/types.ts';
import { viewFor, type EndpointView } from '../protocol/view.ts';
import { VERSION } from '../../../common/version.ts';
import { authorizeMerged, authorizeOne } from './http-auth.ts';
import { createGuard, preflight, withCors, type Guard } from './http-guard.ts';
import { jsonReply, transportError, type Out } from './http-out.ts';
import { handlePost, type PostContext } from './http-post.ts';
import type { Inbound } from './inbound.ts';

export interface McpHttpState extends PostContext {
  readonly registry: McpRegistry;
  readonly guard: Guard;
}

export function createMcpState(registry: McpRegistry, opts: McpAppOptions): McpHttpState {
  return {
    registry,
    serverInfo: { name: opts.serverName ?? 'capgate', version: opts.serverVersion ?? VERSION },
    guard: createGuard(opts),
    inflight: new InFlight(),
    issueSessionId: opts.issueSessionId === true,
  };
}

/** `/`, `/mcp`, `/mcp/` and `/mcp/<namespace>`, with or without a query string. */
const MCP_PATH = /^\/(?:mcp(?:\/([^/?#]+))?\/?)?(?:\?.*)?$/;
const WELL_KNOWN = '/.well-known/';
const ALLOW = 'POST, DELETE';

export async function routeMcp(state: McpHttpState, req: Inbound): Promise<Out> {
  const origin = req.headers.get('origin') ?? undefined;
  try {
    const blocked = state.guard.check(req.host, origin);
    if (blocked) return blocked;
    return withCors(await route(state, req, origin), origin);
  } catch (err) {
    const f = httpFailure(err);
    return withCors(jsonReply(f.body, f.status), origin);
  }
}

async function route(state: McpHttpState, req: Inbound, origin: string | undefined): Promise<Out> {
  if (req.url.startsWith(WELL_KNOWN)) return wellKnown(state.registry.current(), req);
  const m = MCP_PATH.exec(req.url);
  if (!m) return new Response('404 Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  const method = req.method;
  if (method === 'OPTIONS') return preflight(origin);
  if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') return notAllowed();
  const access = await viewOf(state, req, m[1] === undefined ? undefined : decodeOrKeep(m[1]));
  if (!('view' in access)) return access;
  if (method === 'POST') return handlePost(state, req, access.view);
  // Stateless: no server-initiated stream to open, no session to delete.
  if (method === 'GET') return notAllowed('GET not supported');
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
async function viewOf(
  state: McpHttpState,
  req: Inbound,
  ns: string | undefined,
): Promise<{ view: EndpointView } | Out> {
  const all = state.registry.current();
  if (ns === undefined) {
    if (!all.some((e) => e.authenticate)) return { view: viewFor(all, all, 'all') };
    const outcome = await authorizeMerged(all, req.request());
    return outcome.denied ?? { view: viewFor(all, outcome.allowed, outcome.key) };
  }
  const ep = all.find((e) => e.namespace === ns);
  if (!ep) return transportError(404, `Unknown MCP namespace: ${ns}`);
  if (!ep.authenticate) return { view: viewFor(all, [ep], `ns:${ep.namespace}`) };
  const outcome = await authorizeOne(ep, req.request());
  return outcome.denied ?? { view: viewFor(all, outcome.allowed, outcome.key) };
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
