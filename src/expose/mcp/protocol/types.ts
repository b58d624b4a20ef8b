/** @module expose/mcp/protocol/types — the contract between the MCP protocol layer and whoever builds endpoints (tools, resources, prompts) from capability files. */
import type { GatewayError } from '../../../common/errors.ts';

export type JsonObject = Record<string, unknown>;

export interface ToolCallContext {
  signal: AbortSignal;   // aborted when the client cancels (notifications/cancelled) or disconnects
  progress?: (p: { progress: number; total?: number; message?: string }) => void; // only when the client sent _meta.progressToken
  headers?: Headers;     // inbound HTTP headers (undefined on stdio)
}

export type ToolResult =
  | { ok: true; value: unknown; text?: string }                       // value: JSON payload; text: pre-serialised text to send instead of JSON.stringify(value)
  | { ok: false; error: GatewayError; value?: unknown; text?: string }; // tool error → isError: true; text (or error.message + details) shown to the agent

export interface ToolAnnotations { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean }

export interface McpTool {
  name: string; title?: string; description: string;
  inputSchema: JsonObject;        // JSON Schema object, root type "object"
  outputSchema?: JsonObject;      // when present, successful results carry structuredContent (+ the same JSON as text)
  annotations?: ToolAnnotations;
  longRunning?: boolean;          // may report progress: answer with an SSE stream when the client sent a progressToken
  call(args: JsonObject, ctx: ToolCallContext): Promise<ToolResult>;
}

export interface McpResource {   // static (uri) or templated (uriTemplate with {var} one-segment variables)
  name: string; title?: string; description?: string; mimeType?: string;
  uri?: string; uriTemplate?: string;
  list?(): Promise<Array<{ uri: string; mimeType?: string }>>;   // for directory-backed resources: concrete URIs
  read(uri: string, vars: Record<string, string>, ctx: ToolCallContext): Promise<{ text: string; mimeType?: string }>; // throws GatewayError (code NOT_FOUND / INPUT_INVALID → -32602)
}

export interface McpPrompt {
  name: string; title?: string; description?: string;
  arguments: Array<{ name: string; title?: string; description?: string; required: boolean }>;
  render(args: Record<string, string>): Promise<Array<{ role: 'user' | 'assistant'; text: string }>>;
}

/** Cache hints sent on 2026-07-28 list/read/discover results (Naftiko adapter `ttlMs` / `cacheScope`). */
export interface McpCacheHints { ttlMs: number; cacheScope: 'public' | 'private' }

export interface McpEndpoint {      // one `type: mcp` adapter of a capability
  namespace: string; title?: string; version: string; instructions?: string;
  tools: McpTool[]; resources: McpResource[]; prompts: McpPrompt[];
  authenticate?(req: Request): Promise<Response | undefined>; // undefined = allowed; a Response (401/403 + WWW-Authenticate) = denied; throws a GatewayError when the adapter's authentication cannot work (e.g. its secret is not set)
  wellKnown?(req: Request): Response | undefined;             // public documents served before authentication (OAuth protected-resource metadata)
  cacheHints?: McpCacheHints;       // optional; default { ttlMs: 0, cacheScope: 'private' }
}

export interface McpRegistry { current(): readonly McpEndpoint[] }  // read per request, so a new endpoint list (a reloaded plan) applies to the next request

export interface McpAppOptions {
  allowedHosts?: string[];    // Host header allow-list; when the bind address is loopback, localhost/127.0.0.1/[::1] (any port) are always allowed
  allowedOrigins?: string[];  // exact origins allowed (CORS + Origin check); requests with no Origin always pass
  bindAddress: string;        // e.g. '127.0.0.1' or '0.0.0.0'
  serverName?: string;        // default 'capgate'
  serverVersion?: string;
  issueSessionId?: boolean;   // send a random (never checked) Mcp-Session-Id on initialize, like the Java reference; default false (pure stateless)
}
