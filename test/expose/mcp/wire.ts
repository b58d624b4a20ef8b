/**
 * @module test/expose/mcp/wire — a raw 2026-07-28 MCP client for tests against a listening gateway: one POST per
 * request with the envelope and the standard headers, the answer read as JSON or as an SSE stream (notifications
 * first, then the response).
 */

export const PROTOCOL = '2026-07-28';

export interface WireReply {
  readonly status: number;
  readonly contentType: string;
  /** The JSON-RPC response (the last message of an SSE stream). */
  readonly message: any;
  /** Notifications that came before the response on an SSE stream. */
  readonly notifications: any[];
}

export interface WireOptions {
  /** `_meta` entries added to the envelope (e.g. logLevel, clientCapabilities). */
  readonly meta?: Record<string, unknown>;
  /** Extra or replacing request headers. */
  readonly headers?: Record<string, string>;
  readonly id?: number | string;
}

/** Messages of an SSE body, in order (each `data:` event parsed as JSON). */
export function sseMessages(text: string): any[] {
  const out: any[] = [];
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data) out.push(JSON.parse(data));
  }
  return out;
}

/** One 2026-07-28 request. `Mcp-Name` is the tool/prompt name or the resource URI, as clients send it. */
export async function call(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  opts: WireOptions = {},
): Promise<WireReply> {
  const name = method === 'resources/read' ? params.uri : params.name;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': PROTOCOL,
    'io.modelcontextprotocol/clientCapabilities': {},
    ...opts.meta,
  };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': PROTOCOL,
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: opts.id ?? 1, method, params: { ...params, _meta: meta } }),
  });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (contentType.startsWith('text/event-stream')) {
    const all = sseMessages(text);
    const message = all.find((m) => m.id !== undefined && m.method === undefined);
    return { status: res.status, contentType, message, notifications: all.filter((m) => m.id === undefined) };
  }
  return { status: res.status, contentType, message: text ? JSON.parse(text) : undefined, notifications: [] };
}
