/** @module test/expose/mcp/helpers — small request builders for driving the MCP Hono app without a socket. */
import type { Hono } from 'hono';
import { createMcpHttp } from '../../../src/expose/mcp/index.ts';

/** The web (Hono) door of an MCP HTTP server over these endpoints. */
export function mcpApp(...args: Parameters<typeof createMcpHttp>): Hono {
  return createMcpHttp(...args).app;
}

export const ACCEPT = 'application/json, text/event-stream';
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function post(
  app: Hono,
  body: unknown,
  headers: Record<string, string> = {},
  path = '/mcp',
  init: RequestInit = {},
): Promise<Reply> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A 2025-era request (no envelope), negotiated at 2025-11-25. */
export function legacy(
  app: Hono,
  method: string,
  params?: unknown,
  id: number | string = 1,
  headers: Record<string, string> = {},
  path = '/mcp',
): Promise<Reply> {
  return post(
    app,
    { jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) },
    { 'mcp-protocol-version': '2025-11-25', ...headers },
    path,
  );
}

/** A 2026-07-28 request with the envelope and the standard headers an SDK v2 client sends. */
export function modern(
  app: Hono,
  method: string,
  params: Record<string, unknown> = {},
  id: number | string = 1,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  return post(
    app,
    {
      jsonrpc: '2.0',
      id,
      method,
      params: { ...params, _meta: { ...MODERN_META, ...(params._meta as object | undefined) } },
    },
    {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name !== undefined && { 'mcp-name': name }),
      ...headers,
    },
  );
}

/** Parse an SSE body into its JSON `data:` messages. */
export function sseMessages(text: string): any[] {
  return text
    .split('\n\n')
    .map((block) =>
      block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join(''),
    )
    .filter(Boolean)
    .map((d) => JSON.parse(d));
}
