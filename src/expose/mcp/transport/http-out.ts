/**
 * @module expose/mcp/transport/http-out — what an MCP HTTP exchange answers with: a JSON reply
 * not yet wrapped in a web Response (the Node handler writes it straight to the socket), or a
 * Response (SSE streams, empty 202s, CORS preflights, authenticators' challenges).
 */
import { TRANSPORT_ERROR, type RpcId } from '../protocol/jsonrpc.ts';

export class JsonOut {
  constructor(
    readonly body: string,
    readonly status: number,
    readonly headers?: Record<string, string>,
  ) {}
}

export type Out = Response | JsonOut;

export function jsonReply(body: unknown, status = 200, headers?: Record<string, string>): JsonOut {
  return new JsonOut(JSON.stringify(body), status, headers);
}

/** A failure of the HTTP exchange itself (bad headers, body too large …), as the SDK reports them. */
export function transportError(status: number, message: string, id: RpcId = null, code = TRANSPORT_ERROR): JsonOut {
  return jsonReply({ jsonrpc: '2.0', error: { code, message }, id }, status);
}

export function toResponse(o: Out): Response {
  if (o instanceof Response) return o;
  return new Response(o.body, { status: o.status, headers: { 'Content-Type': 'application/json', ...o.headers } });
}

/** Add headers to an answer (responses from auth hooks may be immutable, so a Response is copied). */
export function withHeaders(o: Out, extra: Record<string, string>, vary?: string): Out {
  if (o instanceof JsonOut)
    return new JsonOut(o.body, o.status, { ...o.headers, ...extra, ...(vary ? { Vary: vary } : {}) });
  const out = new Response(o.body, { status: o.status, statusText: o.statusText, headers: o.headers });
  for (const [k, v] of Object.entries(extra)) out.headers.set(k, v);
  if (vary) out.headers.append('Vary', vary);
  return out;
}
