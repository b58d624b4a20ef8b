/**
 * @module expose/mcp/protocol/types — the contract between the MCP protocol layer and whoever builds endpoints
 * (tools, resources, prompts) from capability files.
 */
import type { GatewayError } from '../../../common/errors.ts';
import type { Observer, RequestTrace } from '../../../common/observe.ts';

export type JsonObject = Record<string, unknown>;

/** MCP content blocks (text, image, audio, embedded resource). */
export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; data: string; mimeType: string }
  | { type: 'resource'; resource: ResourceContents };

/** One resource's contents: text, or binary as base64 `blob`. */
export type ResourceContents = { uri: string; mimeType?: string } & ({ text: string } | { blob: string });

/** MCP log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ToolCallContext {
  /** Aborted when the client cancels (notifications/cancelled) or disconnects. */
  signal: AbortSignal;
  /** Present only when the client sent `_meta.progressToken`. */
  progress?: (p: { progress: number; total?: number; message?: string }) => void;
  /** Inbound HTTP headers (undefined on stdio). */
  headers?: Headers;
  /** The request's id and trace context (HTTP), for the upstream calls the tool makes. */
  trace?: RequestTrace;
  /** Present only when the client asked for log messages: sends one at or above its level. */
  log?: (level: LogLevel, message: string) => void;
  /** 2025-era: send the client a request on this call's stream and wait for its answer (elicitation). */
  request?: (method: string, params: JsonObject) => Promise<unknown>;
}

/**
 * What a tool returns. `value` is the JSON payload and `text`, when given, the pre-serialised text sent instead of
 * `JSON.stringify(value)`. A failure becomes an `isError` result showing `text`, or the error's message and details.
 */
export type ToolResult =
  | { ok: true; value: unknown; text?: string; content?: ContentBlock[] }
  | { ok: false; error: GatewayError; value?: unknown; text?: string };

/** One question put to the user (an elicitation form); the fields answered become arguments of the call. */
export interface McpQuestion {
  key: string;
  message(args: JsonObject): string;
  /** JSON Schema of the form's fields (primitive values, enums, arrays of enums). */
  properties: JsonObject;
  required: readonly string[];
}

/** What a tool or prompt asks the user, instead of failing or before running. */
export interface McpAsk {
  /** Ask for missing required (primitive) arguments instead of rejecting the call. */
  missingArguments: boolean;
  /** Asked in order, one per round. */
  questions: readonly McpQuestion[];
  /** Asked last; declining cancels the call. */
  confirm?: (args: JsonObject) => string;
}

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Where a tool's task stands, as the endpoint reports it; the protocol layer words it for each era. */
export interface McpTaskState {
  taskId: string;
  /**
   * `failed`: the operation failed (or could no longer be read); `result` then holds the tool error a plain call
   * answers. `error`: the task could not be followed at all (a gateway fault, not the operation's outcome).
   */
  status: 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';
  statusMessage?: string;
  /** `input_required`: the questions the operation waits on, each an elicitation form. */
  questions?: McpTaskQuestion[];
  /** ISO 8601. */
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
  /** Once terminal: what a plain call of the tool answers for this state. */
  result?: ToolResult;
  error?: GatewayError;
}

/** One question a task waits on: its key, the text shown to the user, and the JSON Schema of the answer (a form). */
export interface McpTaskQuestion {
  key: string;
  message: string;
  schema: JsonObject;
}

/** A tool whose calls can run as tasks (a long upstream operation followed through a signed, stateless task id). */
export interface McpToolTask {
  /** The tool only runs as a task; otherwise a client without tasks gets a plain call. */
  required: boolean;
  /** Its operations may ask questions while they run (`input_required`, answered with `answer`). */
  asks: boolean;
  /** Start: a task, or a plain result when there is nothing to follow (a failed submission, a settled operation). */
  start(args: JsonObject, ctx: ToolCallContext): Promise<{ task: McpTaskState } | { result: ToolResult }>;
  /** One status read. Throws a GatewayError (NOT_FOUND) for a forged or expired id. */
  get(taskId: string, ctx: ToolCallContext): Promise<McpTaskState>;
  /** Cancel through the upstream (METHOD_NOT_ALLOWED when it offers no cancellation); answers the state after. */
  cancel(taskId: string, ctx: ToolCallContext): Promise<McpTaskState>;
  /** Read until terminal or waiting for input, at most `waitMs`. */
  wait(taskId: string, waitMs: number, ctx: ToolCallContext): Promise<McpTaskState>;
  /**
   * Answer open questions: `responses` maps question keys to elicitation results (`{action, content}`); keys that are
   * not open are ignored. Throws INPUT_INVALID (nothing sent) when a reply does not fit its question.
   */
  answer(taskId: string, responses: JsonObject, ctx: ToolCallContext): Promise<void>;
}

export interface McpTool {
  name: string;
  title?: string;
  description: string;
  /** JSON Schema object, root type "object". */
  inputSchema: JsonObject;
  /** When present, successful results carry structuredContent (and the same JSON as text). */
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
  /** May report progress: answered with an SSE stream when the client sent a progressToken. */
  longRunning?: boolean;
  /** Client capabilities the call needs (`sampling`, `elicitation`, `roots`): -32021 when a request lacks one. */
  requires?: readonly string[];
  /** What to ask the user before calling (elicitation). */
  ask?: McpAsk;
  call(args: JsonObject, ctx: ToolCallContext): Promise<ToolResult>;
  /** Present when calls may run as tasks. */
  task?: McpToolTask;
}

/** A static resource (`uri`) or a templated one (`uriTemplate` with `{var}` one-segment variables). */
export interface McpResource {
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  uri?: string;
  uriTemplate?: string;
  /** For directory-backed resources: the concrete URIs. */
  list?(): Promise<Array<{ uri: string; mimeType?: string }>>;
  /** Throws a GatewayError (NOT_FOUND and INPUT_INVALID become -32602). Binary contents come as base64 `blob`. */
  read(
    uri: string,
    vars: Record<string, string>,
    ctx: ToolCallContext,
  ): Promise<({ text: string } | { blob: string }) & { mimeType?: string }>;
  /** Completion values of a URI template variable for what the user typed so far. */
  complete?(variable: string, value: string): Promise<string[]>;
}

export interface McpPrompt {
  name: string;
  title?: string;
  description?: string;
  arguments: Array<{
    name: string;
    title?: string;
    description?: string;
    required: boolean;
    /** Completion values for what the user typed so far. */
    complete?(value: string): Promise<string[]>;
  }>;
  /** Messages are text, or the URI of a resource to embed (read through the same endpoints). */
  render(
    args: Record<string, string>,
  ): Promise<Array<{ role: 'user' | 'assistant'; text: string } | { role: 'user' | 'assistant'; resource: string }>>;
  ask?: McpAsk;
}

/** Cache hints sent on 2026-07-28 list/read/discover results (Naftiko adapter `ttlMs` / `cacheScope`). */
export interface McpCacheHints {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

/** One `type: mcp` adapter of a capability. */
export interface McpEndpoint {
  namespace: string;
  title?: string;
  version: string;
  instructions?: string;
  tools: McpTool[];
  resources: McpResource[];
  prompts: McpPrompt[];
  /**
   * undefined = allowed; a Response (401/403 with WWW-Authenticate) = denied. Throws a GatewayError when the
   * adapter's authentication cannot work (e.g. its secret is not set).
   */
  authenticate?(req: Request): Promise<Response | undefined>;
  /** Public documents served before authentication (OAuth protected-resource metadata). */
  wellKnown?(req: Request): Response | undefined;
  /** Default `{ ttlMs: 0, cacheScope: 'private' }`. */
  cacheHints?: McpCacheHints;
  /** The tool a task id says it belongs to (unverified: the tool's task verifies it). */
  taskTool?(taskId: string): string | undefined;
}

/** Read per request, so a new endpoint list (a reloaded plan) applies to the next request. */
export interface McpRegistry {
  current(): readonly McpEndpoint[];
}

export interface McpAppOptions {
  /** Host header allow-list; when the bind address is loopback, localhost, 127.0.0.1 and [::1] (any port) always pass. */
  allowedHosts?: string[];
  /** Exact origins allowed (CORS and the Origin check); requests with no Origin always pass. */
  allowedOrigins?: string[];
  /** e.g. '127.0.0.1' or '0.0.0.0'. */
  bindAddress: string;
  /** Default 'capgate'. */
  serverName?: string;
  /** Default: the package version. */
  serverVersion?: string;
  /**
   * Give 2025-era clients a session on initialize (Mcp-Session-Id) holding their declared capabilities, log level
   * and resource subscriptions; a session the client ended (DELETE) is refused with 404. Default off (stateless).
   */
  issueSessionId?: boolean;
  /** Told about every answered request (metrics, request log). */
  observer?: Observer;
}
