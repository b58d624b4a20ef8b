/**
 * @module expose/mcp/protocol/tasks — MCP tasks in both forms on one endpoint: the 2025-11-25 experimental tasks
 * (`params.task` on tools/call, `execution.taskSupport`, tasks/get, blocking tasks/result, tasks/list, tasks/cancel)
 * and the 2026-07-28 `io.modelcontextprotocol/tasks` extension (declared per request in `_meta`, the server decides,
 * `resultType: "task"`, tasks/get with the result inlined, cooperative tasks/cancel, tasks/update, -32021 without
 * the extension). Transport-neutral; the endpoint behind each tool does the upstream work (McpToolTask).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isPlainObject } from '../../../common/json.ts';
import { GatewayError } from '../../../common/errors.ts';
import {
  INTERNAL_ERROR,
  INVALID_PARAMS,
  METHOD_NOT_FOUND,
  MISSING_CAPABILITY,
  RpcError,
  invalidParams,
  type RpcId,
} from './jsonrpc.ts';
import { invalidArgumentsResult, thrownToolResult, type CallToolResult } from './errors.ts';
import { describeErrors } from '../../../common/json-schema.ts';
import { validatorsOf } from './schema-validation.ts';
import { shapeResult } from './tool-call.ts';
import { elicitation } from './ask.ts';
import { requireCapabilities } from './client-capabilities.ts';
import { CLIENT_CAPABILITIES_META, SUBSCRIPTION_ID_META, type Era } from './versions.ts';
import type { EndpointView } from './view.ts';
import type { JsonObject, McpTaskState, McpTool, ToolCallContext, ToolResult } from './types.ts';

/** The 2026-07-28 tasks extension's identifier (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** 2025-11-25: `_meta` key naming the task a message belongs to. */
export const RELATED_TASK_META = 'io.modelcontextprotocol/related-task';

/** Longest a blocking tasks/result holds the request (the endpoint caps its waits the same way). */
const RESULT_WAIT_MS = 300_000;

const hasTasks = new WeakMap<EndpointView, boolean>();

function viewHasTasks(view: EndpointView): boolean {
  let v = hasTasks.get(view);
  if (v === undefined) hasTasks.set(view, (v = [...view.tools.values()].some((t) => t.task !== undefined)));
  return v;
}

/** The capabilities a server announces, with tasks in the era's own form when a tool can run as one. */
export function withTaskCapabilities(view: EndpointView, era: Era): JsonObject {
  if (!viewHasTasks(view)) return view.capabilities;
  if (era === 'legacy') return { ...view.capabilities, tasks: { cancel: {}, requests: { tools: { call: {} } } } };
  const extensions = isPlainObject(view.capabilities.extensions) ? view.capabilities.extensions : {};
  return { ...view.capabilities, extensions: { ...extensions, [TASKS_EXTENSION]: {} } };
}

/** `execution.taskSupport` of a tool in tools/list (2025-11-25 clients decide from it whether to ask for a task). */
export function taskSupportOf(tool: McpTool): 'optional' | 'required' | undefined {
  return tool.task ? (tool.task.required ? 'required' : 'optional') : undefined;
}

/** 2026-07-28: whether this request's own `_meta` declares the tasks extension (nothing earlier counts). */
export function declaresTasks(params: unknown): boolean {
  const meta = isPlainObject(params) && isPlainObject(params._meta) ? params._meta : undefined;
  const caps = meta && isPlainObject(meta[CLIENT_CAPABILITIES_META]) ? meta[CLIENT_CAPABILITIES_META] : undefined;
  return !!caps && isPlainObject(caps.extensions) && isPlainObject(caps.extensions[TASKS_EXTENSION]);
}

function missingTasksExtension(what: string): RpcError {
  return new RpcError(
    MISSING_CAPABILITY,
    `Missing required client capability: ${what} needs the ${TASKS_EXTENSION} extension`,
    {
      requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
    },
  );
}

/**
 * What must happen before a task starts (the questions a tool asks the user): the arguments to start it with, or
 * the answer to give instead (a question still open, a declined one).
 */
export type BeforeTask = (args: JsonObject) => Promise<{ args: JsonObject } | { result: JsonObject }>;

/**
 * A `tools/call`: a task when the tool can run as one and the client takes tasks (2025: it asked with `params.task`;
 * 2026: it declared the extension, and the server decides), else a plain call (`run`). `prepare` runs first when
 * the call becomes a task.
 */
export async function callToolOrTask(
  tool: McpTool,
  given: JsonObject,
  params: unknown,
  ctx: ToolCallContext,
  era: Era,
  run: () => Promise<CallToolResult>,
  prepare?: BeforeTask,
): Promise<JsonObject> {
  const task = tool.task;
  let asTask: boolean;
  if (era === 'modern') {
    // A legacy `params.task` is ignored: on 2026-07-28 the server alone decides.
    asTask = task !== undefined && declaresTasks(params);
    if (task?.required && !asTask) throw missingTasksExtension(`tool ${tool.name}`);
  } else {
    asTask = isPlainObject(params) && isPlainObject(params.task);
    if (asTask && !task)
      throw new RpcError(METHOD_NOT_FOUND, `Tool ${tool.name} does not support task-augmented calls`);
    if (!asTask && task?.required) throw new RpcError(METHOD_NOT_FOUND, `Tool ${tool.name} must be called as a task`);
  }
  if (!asTask) return (await run()) as unknown as JsonObject;
  let args = given;
  if (prepare) {
    const ready = await prepare(given);
    if ('result' in ready) return ready.result;
    args = ready.args;
  }
  const { input } = validatorsOf(tool);
  if (!input(args)) return invalidArgumentsResult(tool.name, describeErrors(input.errors)) as unknown as JsonObject;
  let started: Awaited<ReturnType<NonNullable<McpTool['task']>['start']>>;
  try {
    started = await task!.start(args, ctx);
  } catch (err) {
    return thrownToolResult(err, tool.name) as unknown as JsonObject;
  }
  if ('result' in started) return shaped(tool, started.result, era);
  const state = started.task;
  if (era === 'legacy') return { task: legacyTask(state) };
  // Nothing left to follow: the answer is the result itself.
  if (isEnded(state) && !state.error && state.result) return shaped(tool, state.result, era);
  return { ...createdTask(state), resultType: 'task' };
}

function shaped(tool: McpTool, r: ToolResult, era: Era): JsonObject {
  try {
    return shapeResult(tool, r, era) as unknown as JsonObject;
  } catch (err) {
    return thrownToolResult(err, tool.name) as unknown as JsonObject;
  }
}

/** A task that has ended (or could not be followed): nothing will change any more. */
function isEnded(s: McpTaskState): boolean {
  return s.status !== 'working' && s.status !== 'input_required';
}

/** The questions of an `input_required` task as MCP input requests (elicitation forms), keyed by question key. */
function inputRequestsOf(s: McpTaskState): JsonObject {
  const out: JsonObject = {};
  for (const q of s.questions ?? []) out[q.key] = elicitation(q);
  return out;
}

/** The task fields every form shares (2026 names). */
function createdTask(s: McpTaskState): JsonObject {
  const out: JsonObject = { taskId: s.taskId, status: modernStatus(s) };
  if (s.statusMessage !== undefined) out.statusMessage = s.statusMessage;
  out.createdAt = s.createdAt;
  out.lastUpdatedAt = s.lastUpdatedAt;
  out.ttlMs = Math.max(1, Math.round(s.ttlMs));
  out.pollIntervalMs = Math.max(1, Math.round(s.pollIntervalMs));
  return out;
}

/**
 * 2026: a tool that ran and answered an error (the operation failed, or could no longer be read) ends `completed`
 * with `isError`; `failed` is kept for a task the gateway could not follow.
 */
function modernStatus(s: McpTaskState): string {
  if (s.error) return 'failed';
  return s.status === 'failed' ? 'completed' : s.status;
}

/** 2025-11-25 `Task`: a failed operation is `failed`, times are `ttl` / `pollInterval`. */
function legacyTask(s: McpTaskState): JsonObject {
  const out: JsonObject = { taskId: s.taskId, status: s.error ? 'failed' : s.status };
  const message = s.error ? s.error.message : s.statusMessage;
  if (message !== undefined) out.statusMessage = message;
  out.createdAt = s.createdAt;
  out.lastUpdatedAt = s.lastUpdatedAt;
  out.ttl = Math.round(s.ttlMs);
  out.pollInterval = Math.round(s.pollIntervalMs);
  return out;
}

/** 2026 `DetailedTask`: the state, with the result (or the error) inlined once terminal. */
function detailedTask(tool: McpTool, s: McpTaskState): JsonObject {
  const out = createdTask(s);
  if (s.error) {
    out.error = { code: INTERNAL_ERROR, message: s.error.message, data: { code: s.error.code } };
  } else if (s.status === 'input_required') {
    out.inputRequests = inputRequestsOf(s);
  } else if (out.status === 'completed' && s.result) {
    out.result = { ...shaped(tool, s.result, 'modern'), resultType: 'complete' };
  }
  return out;
}

/** A tasks/* request's task: its tool (from the id) and the id itself; unknown ids are -32602. */
function taskOf(
  view: EndpointView,
  params: unknown,
): { tool: McpTool & { task: NonNullable<McpTool['task']> }; id: string } {
  if (!isPlainObject(params)) throw invalidParams('missing params');
  const id = params.taskId;
  if (typeof id !== 'string' || id === '') throw invalidParams('taskId is required');
  for (const e of view.endpoints) {
    const name = e.taskTool?.(id);
    if (name === undefined) continue;
    const tool = view.tools.get(name);
    if (tool?.task) return { tool: tool as McpTool & { task: NonNullable<McpTool['task']> }, id };
    break;
  }
  throw new RpcError(INVALID_PARAMS, 'Failed to retrieve task: Task not found', {
    code: 'NOT_FOUND',
    reason: 'invalid',
  });
}

/** A gateway failure of a tasks/* request: a forged, expired or uncancellable task is the caller's -32602. */
function taskRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof GatewayError) {
    if (err.code === 'NOT_FOUND' || err.code === 'METHOD_NOT_ALLOWED' || err.code.startsWith('INPUT_')) {
      return new RpcError(INVALID_PARAMS, `Invalid params: ${err.message}`, {
        code: err.code,
        ...(typeof err.details.reason === 'string' ? { reason: err.details.reason } : {}),
      });
    }
    return new RpcError(INTERNAL_ERROR, `Internal error: ${err.message}`, { code: err.code });
  }
  return new RpcError(INTERNAL_ERROR, 'Internal error');
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw taskRpcError(err);
  }
}

/** `declared`: the client capabilities the request is known to carry (2025: its session's; undefined when unknown). */
export type TaskMethod = (
  params: unknown,
  view: EndpointView,
  ctx: ToolCallContext,
  declared?: JsonObject,
) => Promise<JsonObject>;

/** Most rounds of questions one blocking tasks/result puts to the client. */
const MAX_ASK_ROUNDS = 32;

/**
 * 2025-11-25 tasks/result: wait for the end; when the operation asks questions meanwhile, put each to the client as
 * `elicitation/create` on this request's stream (naming the task) and send the answers, then wait on.
 */
async function resultState(
  tool: McpTool & { task: NonNullable<McpTool['task']> },
  id: string,
  ctx: ToolCallContext,
  declared: JsonObject | undefined,
): Promise<McpTaskState> {
  const until = Date.now() + RESULT_WAIT_MS;
  for (let round = 0; ; round++) {
    const s = await guarded(() => tool.task.wait(id, Math.max(0, until - Date.now()), ctx));
    if (s.status !== 'input_required' || !s.questions?.length) return s;
    // A session whose client never offered elicitation must not be sent elicitation/create: say what is missing.
    requireCapabilities(['elicitation'], declared);
    if (!ctx.request) {
      throw new RpcError(INVALID_PARAMS, `Invalid params: ${s.statusMessage ?? 'the task waits for input'}`, {
        code: 'INPUT_REQUIRED',
        reason: 'this request cannot carry questions: accept text/event-stream to be asked',
      });
    }
    if (round >= MAX_ASK_ROUNDS || Date.now() >= until) {
      throw new RpcError(INTERNAL_ERROR, 'Internal error: the task is still asking; call tasks/result again', {
        code: 'UPSTREAM_TIMEOUT',
      });
    }
    const responses: JsonObject = {};
    for (const q of s.questions) {
      const { params } = elicitation(q);
      responses[q.key] = await ctx.request('elicitation/create', {
        ...params,
        _meta: { [RELATED_TASK_META]: { taskId: id } },
      });
    }
    await guarded(() => tool.task.answer(id, responses, ctx));
  }
}

/** 2025-11-25 task methods (the `initialize` era). */
export const LEGACY_TASK_METHODS: Readonly<Record<string, TaskMethod>> = {
  'tasks/get': async (p, view, ctx) => {
    const { tool, id } = taskOf(view, p);
    return legacyTask(await guarded(() => tool.task.get(id, ctx)));
  },
  'tasks/result': async (p, view, ctx, declared) => {
    const { tool, id } = taskOf(view, p);
    const s = await resultState(tool, id, ctx, declared);
    if (s.error) throw taskRpcError(s.error);
    if (s.status === 'working' || !s.result) {
      throw new RpcError(INTERNAL_ERROR, 'Internal error: the task is still working; call tasks/result again', {
        code: 'UPSTREAM_TIMEOUT',
      });
    }
    const result = shaped(tool, s.result, 'legacy');
    const meta = isPlainObject(result._meta) ? result._meta : {};
    return { ...result, _meta: { ...meta, [RELATED_TASK_META]: { taskId: id } } };
  },
  // Nothing is stored: a task lives in its id only, so there is no list to give (and none across callers).
  'tasks/list': async () => ({ tasks: [] }),
  'tasks/cancel': async (p, view, ctx) => {
    const { tool, id } = taskOf(view, p);
    const before = await guarded(() => tool.task.get(id, ctx));
    if (isEnded(before) || before.error) {
      throw new RpcError(INVALID_PARAMS, `Cannot cancel task: it is already ${legacyTask(before).status as string}`, {
        code: 'CONFLICT',
      });
    }
    return legacyTask(await guarded(() => tool.task.cancel(id, ctx)));
  },
};

/** 2026-07-28 extension methods; each needs the extension declared in its own `_meta`. */
export const MODERN_TASK_METHODS: Readonly<Record<string, TaskMethod>> = {
  'tasks/get': async (p, view, ctx) => {
    if (!declaresTasks(p)) throw missingTasksExtension('tasks/get');
    const { tool, id } = taskOf(view, p);
    return detailedTask(tool, await guarded(() => tool.task.get(id, ctx)));
  },
  'tasks/cancel': async (p, view, ctx) => {
    if (!declaresTasks(p)) throw missingTasksExtension('tasks/cancel');
    const { tool, id } = taskOf(view, p);
    await guarded(() => tool.task.cancel(id, ctx));
    return {};
  },
  // Answers to the questions the task waits on go to the upstream; answers to keys that are not open are ignored.
  'tasks/update': async (p, view, ctx) => {
    if (!declaresTasks(p)) throw missingTasksExtension('tasks/update');
    const { tool, id } = taskOf(view, p);
    const responses = isPlainObject(p) ? p.inputResponses : undefined;
    if (responses !== undefined && !isPlainObject(responses)) throw invalidParams('inputResponses must be an object');
    await guarded(() => tool.task.answer(id, responses ?? {}, ctx));
    return {};
  },
};

/**
 * 2025-11-25: whether a request may put questions to the client on its stream: a tasks/result of a task whose tool
 * asks while it runs.
 */
export function taskMayAsk(view: EndpointView, method: string, params: unknown): boolean {
  if (method !== 'tasks/result') return false;
  try {
    return taskOf(view, params).tool.task.asks;
  } catch {
    return false;
  }
}

/** Most task ids one listen stream follows (each costs one status read per poll interval). */
export const MAX_WATCHED_TASKS = 32;
/** Bounds on how often a watched task is read, whatever the upstream suggests. */
const WATCH_MIN_MS = 250;
const WATCH_MAX_MS = 60_000;

/**
 * 2026: the task ids a `subscriptions/listen` asks to hear about (`notifications.taskIds`), keeping those that are
 * this endpoint's tasks. Asking for any without declaring the extension in the listen request's own `_meta` is
 * -32021. Undefined when the filter names no task ids.
 */
export function listenTaskIds(params: unknown, view: EndpointView): string[] | undefined {
  const wanted = isPlainObject(params) && isPlainObject(params.notifications) ? params.notifications : undefined;
  if (!wanted || wanted.taskIds === undefined) return undefined;
  const ids = wanted.taskIds;
  if (!Array.isArray(ids) || !ids.every((i): i is string => typeof i === 'string')) {
    throw invalidParams('notifications.taskIds must be an array of task ids');
  }
  if (!declaresTasks(params)) throw missingTasksExtension('subscriptions/listen with taskIds');
  const known = ids.filter((taskId) => {
    try {
      taskOf(view, { taskId });
      return true;
    } catch {
      return false;
    }
  });
  return [...new Set(known)].slice(0, MAX_WATCHED_TASKS);
}

/**
 * Follow tasks for a listen stream: each is read at its poll interval (one upstream status call, like tasks/get)
 * and `notifications/tasks` carries its DetailedTask, naming the subscription, whenever its status changes (the
 * first read included), until it is terminal, no longer opens (expired) or `stop` is called.
 */
export function watchTasks(
  view: EndpointView,
  ids: readonly string[],
  subscriptionId: RpcId,
  send: (message: JsonObject) => void,
): () => void {
  const ctrl = new AbortController();
  const ctx: ToolCallContext = { signal: ctrl.signal };
  const follow = async (taskId: string): Promise<void> => {
    const { tool } = taskOf(view, { taskId });
    let last: unknown;
    while (!ctrl.signal.aborted) {
      const detailed = detailedTask(tool, await tool.task.get(taskId, ctx));
      if (ctrl.signal.aborted) return;
      if (detailed.status !== last) {
        last = detailed.status;
        send({
          jsonrpc: '2.0',
          method: 'notifications/tasks',
          params: { ...detailed, _meta: { [SUBSCRIPTION_ID_META]: subscriptionId } },
        });
      }
      if (last !== 'working' && last !== 'input_required') return;
      const pause = Math.min(Math.max(Number(detailed.pollIntervalMs) || 1000, WATCH_MIN_MS), WATCH_MAX_MS);
      await sleep(pause, undefined, { signal: ctrl.signal });
    }
  };
  // A task that stops opening (expired), or a stream that closed mid-read, simply ends its watch.
  for (const id of ids) follow(id).catch(() => {});
  return () => ctrl.abort();
}
