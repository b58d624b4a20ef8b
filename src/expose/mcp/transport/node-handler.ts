/**
 * @module expose/mcp/node-fast — the hot path of MCP over Streamable HTTP on Node: a POST to
 * `/`, `/mcp` or `/mcp/<ns>` without Origin, on a server without authentication hooks, is handled
 * from Node's IncomingMessage/ServerResponse directly, skipping the web Request/Response objects
 * that cost more CPU than the JSON-RPC work itself. It runs the very same handlePost as the Hono
 * app, so behaviour is identical; every other request goes to the Hono app (`fallback`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { handlePost, JsonOut, nodeWire, type AppState, type Inbound, type Out } from './http-app.ts';
import { INTERNAL_ERROR, rpcError } from '../protocol/jsonrpc.ts';
import { viewFor, type EndpointView } from '../protocol/view.ts';
import type { McpEndpoint } from '../protocol/types.ts';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

const MCP_PATH = /^\/(?:mcp(?:\/([^/?#]+))?\/?)?(?:\?.*)?$/;

export function createMcpFastPath(state: AppState, fallback: NodeHandler): NodeHandler {
  return (req, res) => {
    if (req.method !== 'POST') return fallback(req, res);
    const headers = new RawHeaders(req.rawHeaders);
    const m = headers.get('origin') === null ? MCP_PATH.exec(req.url ?? '') : null;
    const view = m && state.guard.check(headers.get('host') ?? undefined, undefined) === undefined ? viewOf(state, m[1]) : undefined;
    if (!view) return fallback(req, res);
    void answer(state, req, res, view, headers);
  };
}

/** One async function rather than a chain of then/catch closures: this runs for every tools/call. */
async function answer(state: AppState, req: IncomingMessage, res: ServerResponse, view: EndpointView, headers: RawHeaders): Promise<void> {
  let out: Out;
  try {
    out = await handlePost(state, new NodeInbound(headers), nodeWire(req, res), view);
  } catch {
    out = new JsonOut(JSON.stringify(rpcError(null, INTERNAL_ERROR, 'Internal error')), 500);
  }
  try {
    write(res, out);
  } catch {
    // The client may be gone by now: a failed write must not become an unhandled rejection.
    res.destroy();
  }
}

/** The view the Hono route would build, or undefined when the fast path must not answer. */
function viewOf(state: AppState, ns: string | undefined): EndpointView | undefined {
  const all = state.registry.current();
  if (all.some((e) => e.authenticate)) return undefined;
  if (ns === undefined) return viewFor(all, all, 'all');
  const ep: McpEndpoint | undefined = all.find((e) => e.namespace === safeDecode(ns));
  return ep ? viewFor(all, [ep], `ns:${ep.namespace}`) : undefined;
}

function write(res: ServerResponse, out: Out): void {
  if (out instanceof JsonOut) {
    const length = Buffer.byteLength(out.body);
    res.writeHead(out.status, out.headers ? { ...JSON_HEADERS, 'Content-Length': length, ...out.headers } : ['Content-Type', 'application/json', 'Content-Length', length]);
    res.end(out.body);
    return;
  }
  const headers: Record<string, string> = {};
  out.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(out.status, headers);
  if (!out.body) res.end();
  else {
    const stream = Readable.fromWeb(out.body as import('node:stream/web').ReadableStream);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** The request as handlePost reads it. A class: one is made per request. */
class NodeInbound implements Inbound {
  readonly method = 'POST';
  constructor(readonly headers: RawHeaders) {}
  /** Web Headers for a tool that reads ctx.headers (see headersOf in http-app.ts); built only then. */
  get web(): Headers { return this.headers.toWeb(); }
}

/**
 * `get` of web Headers read straight from Node's rawHeaders list (name, value, name, value, …).
 * Looking names up in `req.headers` instead costs a megamorphic keyed load per lookup (each
 * client's header set gives that object its own shape), several µs per tools/call under load.
 * Duplicates are joined with ", " as web Headers (the Hono path) do.
 */
class RawHeaders {
  constructor(private readonly raw: string[]) {}

  /** `name` must be lower-case: every caller passes a literal (a test in node-fast.test.ts keeps it so). */
  get(name: string): string | null {
    const raw = this.raw;
    let out: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]!;
      if (k.length !== name.length || (k !== name && k.toLowerCase() !== name)) continue;
      out = out === null ? raw[i + 1]! : `${out}, ${raw[i + 1]!}`;
    }
    return out;
  }

  toWeb(): Headers {
    const h = new Headers();
    for (let i = 0; i < this.raw.length; i += 2) {
      try {
        h.append(this.raw[i]!, this.raw[i + 1]!);
      } catch {
        // A value web Headers refuses (Node is more lenient) is left out rather than failing the tool.
      }
    }
    return h;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
