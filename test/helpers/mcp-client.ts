/**
 * @module test/helpers/mcp-client — connect the official MCP SDK (v1) client to a capgate MCP
 * URL over Streamable HTTP, optionally with extra request headers (e.g. Authorization).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export type McpClient = Client;

export async function connectMcp(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'capgate-blackbox', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return client;
}

/** The text of a tool result's first text content ('' when there is none). */
export function firstText(result: object): string {
  const r = result as { content?: unknown };
  const content = Array.isArray(r.content) ? (r.content as Array<{ type?: string; text?: string }>) : [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

/**
 * The payload a tool returned: `structuredContent` when present, else the first text parsed as JSON (or the raw
 * text).
 */
export function payloadOf(result: object): unknown {
  const r = result as { structuredContent?: unknown };
  if (r.structuredContent !== undefined) return r.structuredContent;
  const text = firstText(result);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
