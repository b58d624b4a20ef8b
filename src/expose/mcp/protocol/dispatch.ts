/**
 * @module expose/mcp/protocol/dispatch — routes one JSON-RPC request to its handler and wraps the result for the
 * client's protocol era; transport-neutral (HTTP and stdio share it).
 */
import {
  INTERNAL_ERROR,
  METHOD_NOT_FOUND,
  RpcError,
  rpcError,
  rpcResult,
  type RpcId,
  type RpcReply,
} from './jsonrpc.ts';
import { isPlainObject } from '../../../common/json.ts';
import { resolveCall, runTool } from './tool-call.ts';
import { listResources, listTemplates, readResource } from './resources.ts';
import { getPrompt, listPrompts } from './prompts.ts';
import { MODERN_VERSIONS, SERVER_INFO_META, negotiateLegacy, type Era } from './versions.ts';
import type { EndpointView } from './view.ts';
import type { JsonObject, LogLevel, McpPrompt, McpTool, ToolCallContext } from './types.ts';
import { resolveAsk, type AskChannel } from './ask.ts';
import { toolErrorResult } from './errors.ts';
import { GatewayError } from '../../../common/errors.ts';
import { invalidParams } from './jsonrpc.ts';
import type { RequestTrace } from '../../../common/observe.ts';
import {
  LEGACY_TASK_METHODS,
  MODERN_TASK_METHODS,
  callToolOrTask,
  withTaskCapabilities,
  type TaskMethod,
} from './tasks.ts';
import { complete } from './completion.ts';
import { setLevelParam } from './logging.ts';
import { declaredInMeta, requireCapabilities } from './client-capabilities.ts';
import { resourceFor } from './resources.ts';
import type { McpSession } from './sessions.ts';

export interface ServerInfo {
  name: string;
  version: string;
}

/** Everything one request needs besides its own id/method/params. */
export interface Exchange {
  era: Era;
  view: EndpointView;
  serverInfo: ServerInfo;
  signal: AbortSignal;
  headers?: Headers;
  /** Present only when the transport can deliver progress for this request (client sent a token, stream possible). */
  progress?: ToolCallContext['progress'];
  /** The request's id and trace context, for the upstream calls a tool makes. */
  trace?: RequestTrace;
  /** The 2025-era session the request names, when the transport keeps sessions and knows it. */
  session?: McpSession;
  /** The transport keeps 2025-era sessions, where a log level and resource subscriptions can live. */
  keepsSessions?: boolean;
  /** Present only when the client asked for log messages for this request (its level already applied). */
  log?: (level: LogLevel, message: string) => void;
  /** 2025-era: send the client a request on this call's stream and wait for its answer (elicitation). */
  request?: (method: string, params: JsonObject) => Promise<unknown>;
}

type Handler = (params: unknown, ex: Exchange) => Promise<JsonObject> | JsonObject;

/** Results of these methods carry 2026-07-28 cache hints. */
const CACHEABLE = new Set([
  'server/discover',
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'prompts/list',
  'resources/read',
]);

function requireCapability(ex: Exchange, cap: 'resources' | 'prompts', method: string): void {
  if (!(cap in ex.view.capabilities)) throw new RpcError(METHOD_NOT_FOUND, `Method not found: ${method}`);
}

/**
 * Getters, so the transport's signal and Headers are only built when a tool actually reads them.
 * A class, not an object literal: a literal with getters is a dictionary-mode object whose
 * accessors survive young-generation GC; per request that tripled the MCP path's GC time.
 */
class ExchangeContext implements ToolCallContext {
  readonly progress?: ToolCallContext['progress'];
  constructor(private readonly ex: Exchange) {
    if (ex.progress) this.progress = ex.progress;
  }
  get signal(): AbortSignal {
    return this.ex.signal;
  }
  get headers(): Headers | undefined {
    return this.ex.headers;
  }
  get trace(): RequestTrace | undefined {
    return this.ex.trace;
  }
  get log(): ToolCallContext['log'] {
    return this.ex.log;
  }
  get request(): ToolCallContext['request'] {
    return this.ex.request;
  }
}

function ctxOf(ex: Exchange): ToolCallContext {
  return new ExchangeContext(ex);
}

const shared: Record<string, Handler> = {
  'tools/list': (_p, ex) => ({ tools: ex.view.toolDescriptors }),
  'tools/call': (p, ex) => {
    const { tool, args } = resolveCall(ex.view, p);
    if (tool.requires)
      requireCapabilities(tool.requires, ex.era === 'modern' ? declaredInMeta(p) : ex.session?.clientCapabilities);
    const run = (): Promise<JsonObject> => {
      if (tool.ask) return askedCall(tool, args, p, ex);
      if (ex.log) return loggedCall(ex, tool.name, () => runTool(tool, args, ctxOf(ex), ex.era));
      return runTool(tool, args, ctxOf(ex), ex.era) as unknown as Promise<JsonObject>;
    };
    // A task tool becomes a task when the client asks for one (2025) or declares the extension (2026); one that
    // asks the user asks before the task starts anything upstream.
    if (tool.task) {
      const prepare = tool.ask ? (a: JsonObject) => askFirst(tool, a, p, ex) : undefined;
      return callToolOrTask(tool, args, p, ctxOf(ex), ex.era, run as never, prepare);
    }
    return run();
  },
  'completion/complete': (p, ex) => complete(ex.view, p),
  'resources/list': (_p, ex) => {
    requireCapability(ex, 'resources', 'resources/list');
    return listResources(ex.view);
  },
  'resources/templates/list': (_p, ex) => {
    requireCapability(ex, 'resources', 'resources/templates/list');
    return listTemplates(ex.view);
  },
  'resources/read': (p, ex) => {
    requireCapability(ex, 'resources', 'resources/read');
    return readResource(ex.view, p, ctxOf(ex));
  },
  'prompts/list': (_p, ex) => {
    requireCapability(ex, 'prompts', 'prompts/list');
    return listPrompts(ex.view);
  },
  'prompts/get': async (p, ex) => {
    requireCapability(ex, 'prompts', 'prompts/get');
    const prompt = isPlainObject(p) && typeof p.name === 'string' ? ex.view.prompts.get(p.name) : undefined;
    if (!prompt?.ask) return getPrompt(ex.view, p, ctxOf(ex));
    const args = isPlainObject(p) && isPlainObject(p.arguments) ? p.arguments : {};
    const outcome = await resolveAsk(
      prompt.ask,
      promptSchema(prompt),
      'prompts/get',
      prompt.name,
      args,
      channel(p, ex),
    );
    if (outcome.kind === 'input_required') return outcome.result;
    if (outcome.kind === 'declined') throw invalidParams(`the user declined: ${outcome.question.message}`);
    return getPrompt(ex.view, { ...(p as JsonObject), arguments: outcome.args }, ctxOf(ex));
  },
};

function channel(p: unknown, ex: Exchange): AskChannel {
  return {
    era: ex.era,
    params: p,
    declared: ex.era === 'modern' ? declaredInMeta(p) : ex.session?.clientCapabilities,
    ...(ex.request ? { request: ex.request } : {}),
    now: Date.now(),
  };
}

/** A prompt's arguments as the input schema its questions are asked from. */
function promptSchema(prompt: McpPrompt): JsonObject {
  const properties: JsonObject = {};
  for (const a of prompt.arguments)
    properties[a.name] = { type: 'string', ...(a.description !== undefined && { description: a.description }) };
  const required = prompt.arguments.filter((a) => a.required).map((a) => a.name);
  return { type: 'object', properties, ...(required.length && { required }) };
}

/** A tool that asks the user first: its questions, then the call with the answers as arguments. */
async function askedCall(tool: McpTool, args: JsonObject, p: unknown, ex: Exchange): Promise<JsonObject> {
  const outcome = await resolveAsk(tool.ask!, tool.inputSchema, 'tools/call', tool.name, args, channel(p, ex));
  if (outcome.kind === 'input_required') return outcome.result;
  if (outcome.kind === 'declined') return declinedResult(outcome.question.message);
  const run = () => runTool(tool, outcome.args, ctxOf(ex), ex.era);
  if (ex.log) return loggedCall(ex, tool.name, run);
  return run() as unknown as Promise<JsonObject>;
}

/** The answers a task tool asks for, before its task starts: the arguments with them, or the result instead. */
async function askFirst(
  tool: McpTool,
  args: JsonObject,
  p: unknown,
  ex: Exchange,
): Promise<{ args: JsonObject } | { result: JsonObject }> {
  const outcome = await resolveAsk(tool.ask!, tool.inputSchema, 'tools/call', tool.name, args, channel(p, ex));
  if (outcome.kind === 'input_required') return { result: outcome.result };
  if (outcome.kind === 'declined') return { result: declinedResult(outcome.question.message) };
  return { args: outcome.args };
}

function declinedResult(message: string): JsonObject {
  return toolErrorResult(new GatewayError('CANCELLED', `The user declined: ${message}`)) as unknown as JsonObject;
}

/** A tool call told to the client's log: started, what the tool reports, then how it ended. */
async function loggedCall(ex: Exchange, name: string, run: () => Promise<unknown>): Promise<JsonObject> {
  const started = performance.now();
  ex.log!('info', `${name}: started`);
  const result = (await run()) as JsonObject;
  const ms = Math.round(performance.now() - started);
  if (result.isError === true) ex.log!('warning', `${name}: failed after ${ms} ms`);
  else ex.log!('info', `${name}: completed in ${ms} ms`);
  return result;
}

/** A 2025-era resource subscription: the URI must name a resource; it is told of changes while its session lives. */
function subscription(p: unknown, ex: Exchange, on: boolean): JsonObject {
  requireCapability(ex, 'resources', on ? 'resources/subscribe' : 'resources/unsubscribe');
  const uri = isPlainObject(p) ? p.uri : undefined;
  if (typeof uri !== 'string' || uri === '') throw new RpcError(-32602, 'Invalid params: uri is required');
  if (on && !resourceFor(ex.view, uri))
    throw new RpcError(-32602, `Invalid params: Unknown resource URI: ${uri}`, { uri });
  if (on) ex.session?.subscriptions.add(uri);
  else ex.session?.subscriptions.delete(uri);
  return {};
}

const legacyOnly: Record<string, Handler> = {
  initialize: (p, ex) => ({
    protocolVersion: negotiateLegacy(isPlainObject(p) ? p.protocolVersion : undefined),
    capabilities: legacyCapabilities(withTaskCapabilities(ex.view, 'legacy'), ex.keepsSessions === true),
    serverInfo: ex.serverInfo,
    ...(ex.view.instructions !== undefined && { instructions: ex.view.instructions }),
  }),
  ping: () => ({}),
  'logging/setLevel': (p, ex) => {
    const level = setLevelParam(p);
    if (ex.session) ex.session.logLevel = level;
    return {};
  },
  'resources/subscribe': (p, ex) => subscription(p, ex, true),
  'resources/unsubscribe': (p, ex) => subscription(p, ex, false),
};

/**
 * 2025-era clients may subscribe to resources and set a log level (2026-07-28 has listen and per-request levels),
 * both held by their session: declared only when the transport keeps sessions.
 */
function legacyCapabilities(caps: JsonObject, sessions: boolean): JsonObject {
  if (!sessions) return caps;
  const resources = isPlainObject(caps.resources) ? { ...caps.resources, subscribe: true } : undefined;
  return { ...caps, ...(resources && { resources }), logging: {} };
}

/** 2026-07-28 removed `initialize` and `ping`; `server/discover` replaces the handshake. */
const modernOnly: Record<string, Handler> = {
  'server/discover': (_p, ex) => ({
    supportedVersions: [...MODERN_VERSIONS],
    capabilities: withTaskCapabilities(ex.view, 'modern'),
    ...(ex.view.instructions !== undefined && { instructions: ex.view.instructions }),
  }),
};

/** The task methods of each era (protocol/tasks.ts), given the request's view and context. */
function taskHandlers(methods: Readonly<Record<string, TaskMethod>>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(methods).map(([m, h]) => [
      m,
      (p: unknown, ex: Exchange) =>
        h(p, ex.view, ctxOf(ex), ex.era === 'modern' ? declaredInMeta(p) : ex.session?.clientCapabilities),
    ]),
  );
}
Object.assign(legacyOnly, taskHandlers(LEGACY_TASK_METHODS));
Object.assign(modernOnly, taskHandlers(MODERN_TASK_METHODS));

function handlerFor(method: string, era: Era): Handler | undefined {
  if (Object.hasOwn(shared, method)) return shared[method];
  const own = era === 'legacy' ? legacyOnly : modernOnly;
  return Object.hasOwn(own, method) ? own[method] : undefined;
}

/** 2026-07-28 results say they are complete, name the server, and (list/read/discover) carry cache hints. */
function decorateModern(method: string, result: JsonObject, ex: Exchange): JsonObject {
  // A result that asks the user first is `input_required`, and never cacheable.
  if (result.resultType === 'input_required') return result;
  // A task (2026 tasks extension) says so itself; everything else is complete.
  const out: JsonObject = { ...result, resultType: result.resultType === 'task' ? 'task' : 'complete' };
  if (CACHEABLE.has(method)) {
    out.ttlMs = ex.view.cacheHints.ttlMs;
    out.cacheScope = ex.view.cacheHints.cacheScope;
  }
  out._meta = { ...(isPlainObject(result._meta) ? result._meta : {}), [SERVER_INFO_META]: ex.serverInfo };
  return out;
}

/** Answer one request. Never throws: protocol faults become error replies, anything else -32603. */
export async function dispatchRequest(id: RpcId, method: string, params: unknown, ex: Exchange): Promise<RpcReply> {
  const handler = handlerFor(method, ex.era);
  if (!handler) return rpcError(id, METHOD_NOT_FOUND, `Method not found: ${method}`);
  try {
    const result = await handler(params, ex);
    return rpcResult(id, ex.era === 'modern' ? decorateModern(method, result, ex) : result);
  } catch (err) {
    if (err instanceof RpcError) return rpcError(id, err.code, err.message, err.data);
    return rpcError(id, INTERNAL_ERROR, 'Internal error');
  }
}

/** The progress token of a request, when the client asked for progress. */
export function progressTokenOf(params: unknown): string | number | undefined {
  if (!isPlainObject(params) || !isPlainObject(params._meta)) return undefined;
  const t = params._meta.progressToken;
  return typeof t === 'string' || typeof t === 'number' ? t : undefined;
}

/** Whether answering this request may stream progress (a long-running tool and a token to report against). */
export function wantsProgressStream(view: EndpointView, method: string, params: unknown): boolean {
  // The token test first: most calls carry none, and it spares the tool lookup.
  if (
    method !== 'tools/call' ||
    progressTokenOf(params) === undefined ||
    typeof (params as JsonObject).name !== 'string'
  )
    return false;
  return view.tools.get((params as JsonObject).name as string)?.longRunning === true;
}

/** Build the `notifications/progress` message for a token. */
export function progressNotification(
  token: string | number,
  p: { progress: number; total?: number; message?: string },
): JsonObject {
  const params: JsonObject = { progressToken: token, progress: p.progress };
  if (p.total !== undefined) params.total = p.total;
  if (p.message !== undefined) params.message = p.message;
  return { jsonrpc: '2.0', method: 'notifications/progress', params };
}
