/**
 * @module invoke/task — a declared long-running operation (`x-capgate-task`) as a task, for MCP and REST alike:
 * start it (submit the work, or read the existing operation once), read its status (one upstream call, the vendor's
 * state mapped to working / completed / failed / cancelled, the element's own result once terminal), cancel it
 * through the declared cancel call, or wait for it. Nothing is stored: the signed task id carries what each read
 * needs, so any replica with the same key answers for any task.
 */
import type { ConsumedOperationPlan, OperationPlan, TaskPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';
import type { UpstreamResponse } from '../consume/http.ts';
import { callOperation } from '../consume/call.ts';
import { GatewayError } from '../common/errors.ts';
import { scopeLookup } from '../mapping/scope.ts';
import { applyWith } from './apply-with.ts';
import { parsed, shapeResponse } from './upstream-result.ts';
import { MAX_WAIT_MS, pauseUnlessDraining, waitForOperation, withDone } from './wait.ts';
import { headerText } from './passed-headers.ts';
import type { TaskHandle, TaskKind, TaskSigner } from './task-handle.ts';
import { looseName, OPERATION_ID_VAR } from '../plan/task.ts';
import type { RequestTrace } from '../common/observe.ts';
import { checkReplies, questionsOf, sendReplies, type TaskQuestion } from './task-input.ts';
import { isOneOf } from '../mapping/states.ts';

export type { TaskQuestion } from './task-input.ts';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export function isTerminal(status: TaskStatus): boolean {
  return status !== 'working' && status !== 'input_required';
}

/** Where a task stands after one status read. */
export interface TaskState {
  readonly id: string;
  readonly status: TaskStatus;
  /** What the vendor says it is doing, why it failed, or why the last read could not tell. */
  readonly message?: string;
  readonly operationId?: string;
  /** The vendor's own status value. */
  readonly vendorStatus?: unknown;
  readonly progress?: { readonly current?: number; readonly total?: number; readonly message?: string };
  /** `input_required`: the questions the operation waits on (`x-capgate-task.input`). */
  readonly questions?: readonly TaskQuestion[];
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number;
  readonly ttlMs: number;
  /** When to read again: the upstream's Retry-After when it sent one, else the declared interval. */
  readonly pollIntervalMs: number;
  /** Once terminal: what a plain call of the element answers for this state (`done: true` on objects). */
  readonly result?: InvokeResult;
}

/** What task calls need besides the plan: the execution deps and the key that signs ids. */
export interface TaskDeps extends InvokeDeps {
  readonly tasks: TaskSigner;
}

export interface TaskCall {
  readonly signal?: AbortSignal;
  readonly trace?: RequestTrace;
}

/** The declared task of an element (a tool or route whose element is an aggregate function has it there). */
export function taskOf(op: OperationPlan): TaskPlan | undefined {
  return op.task ?? (op.action.kind === 'function' ? op.action.fn.task : undefined);
}

/**
 * Start following the element's operation. A submitting element submits: an upstream error answers as the plain
 * call would (`result`), otherwise the task starts working. An element that reads an existing operation reads it
 * once, so an unknown operation fails at once and a settled one is answered at once (`state.result`).
 */
export async function startTask(
  op: OperationPlan,
  target: { kind: TaskKind; name: string },
  req: InvokeRequest,
  deps: TaskDeps,
): Promise<{ state: TaskState; result?: undefined } | { result: InvokeResult; state?: undefined }> {
  const task = taskOf(op)!;
  const now = deps.clock.now();
  const handleOf = (seed: Record<string, unknown>, operationId: string | undefined): TaskHandle => ({
    kind: target.kind,
    target: target.name,
    seed,
    ...(operationId !== undefined ? { operationId } : {}),
    createdAt: now,
    expiresAt: now + task.ttlMs,
  });
  if (task.submit) {
    const submitted = await submit(op, task, req, deps);
    if ('result' in submitted) return { result: submitted.result };
    const handle = handleOf(submitted.seed, submitted.operationId);
    return {
      state: {
        id: deps.tasks.sign(handle),
        status: 'working',
        operationId: submitted.operationId,
        createdAt: now,
        updatedAt: now,
        expiresAt: handle.expiresAt,
        ttlMs: task.ttlMs,
        pollIntervalMs: retryAfterMs(submitted.res, now) ?? task.pollIntervalMs,
      },
    };
  }
  const seed = keep(req.params, task);
  const operationId = task.operationInput !== undefined ? idText(req.params[task.operationInput]) : undefined;
  const handle = handleOf(seed, operationId);
  const state = await readTask(op, handle, deps.tasks.sign(handle), deps, req);
  // Nothing to follow: the operation could not be read. Answer as the plain call would.
  if (state.status === 'failed' && state.result?.upstreamError) return { result: state.result };
  return { state };
}

/** Open a task id (refused when forged or expired). */
export function openTask(id: string, deps: TaskDeps): TaskHandle {
  return deps.tasks.open(id, deps.clock.now());
}

/** One status read of an opened task. */
export function readTask(
  op: OperationPlan,
  handle: TaskHandle,
  id: string,
  deps: TaskDeps,
  call: TaskCall = {},
): Promise<TaskState> {
  return statusOf(op, taskOf(op)!, handle, id, deps, call);
}

/**
 * Cancel through the declared cancel call, then read where the operation is. Without a cancel call the vendor
 * cannot be asked: METHOD_NOT_ALLOWED. A task already terminal is left as it is.
 */
export async function cancelTask(
  op: OperationPlan,
  handle: TaskHandle,
  id: string,
  deps: TaskDeps,
  call: TaskCall = {},
): Promise<TaskState> {
  const task = taskOf(op)!;
  if (!task.cancel) {
    throw new GatewayError(
      'METHOD_NOT_ALLOWED',
      `this task cannot be cancelled: the upstream operation it follows offers no cancellation`,
      { details: { allowed: ['GET'] } },
    );
  }
  const before = await statusOf(op, task, handle, id, deps, call);
  if (isTerminal(before.status)) return before;
  const scope = applyWith(task.cancel.with, handle.seed);
  const res = await callOperation(task.cancel.op, scope, deps, { signal: call.signal, trace: call.trace });
  // 409: the operation settled meanwhile; the status read below tells how.
  if (res.status >= 400 && res.status !== 409) {
    throw new GatewayError('UPSTREAM_STATUS', `the cancel call of this task answered ${res.status}`, {
      status: 502,
      details: { upstreamStatus: res.status, operation: operationName(task.cancel.op) },
    });
  }
  return statusOf(op, task, handle, id, deps, call);
}

/**
 * Answer the questions a task waits on. `responses` maps question keys to what the user did (`{action, content}`,
 * as MCP elicitation answers); replies to keys that are not open are ignored. Every reply is checked before any is
 * sent (INPUT_INVALID names the first that is wrong), then each goes out with the declared answer call. Answers the
 * keys sent.
 */
export async function answerTask(
  op: OperationPlan,
  handle: TaskHandle,
  id: string,
  responses: Readonly<Record<string, unknown>>,
  deps: TaskDeps,
  call: TaskCall = {},
): Promise<string[]> {
  const task = taskOf(op)!;
  if (!task.input) return [];
  const state = await statusOf(op, task, handle, id, deps, call);
  if (state.status !== 'input_required' || !state.questions) return [];
  const replies = checkReplies(state.questions, responses);
  return sendReplies(task.input, handle.seed, replies, deps, { signal: call.signal, trace: call.trace });
}

/**
 * Read until the task is terminal, waits for input, or `waitMs` (capped at MAX_WAIT_MS) has passed; `onState` hears
 * every read.
 */
export async function waitTask(
  op: OperationPlan,
  handle: TaskHandle,
  id: string,
  waitMs: number,
  deps: TaskDeps,
  call: TaskCall = {},
  onState?: (s: TaskState) => void,
): Promise<TaskState> {
  const task = taskOf(op)!;
  const deadline = deps.clock.now() + Math.min(Math.max(0, waitMs), MAX_WAIT_MS);
  for (;;) {
    const state = await statusOf(op, task, handle, id, deps, call);
    onState?.(state);
    const remaining = deadline - deps.clock.now();
    // Waiting on for an operation that waits for answers would not help; a gateway that is stopping answers with
    // the state it has (any replica can be asked again).
    if (isTerminal(state.status) || state.status === 'input_required' || remaining <= 0 || deps.draining?.aborted)
      return state;
    const pause = Math.min(remaining, state.pollIntervalMs);
    if ((await pauseUnlessDraining(deps, pause, call.signal)) === 'draining') return state;
  }
}

/**
 * A submitting element called without a task: submit, then follow the operation with the task's states like
 * `x-capgate-wait` does (progress, backoff, the caller's deadline), answering its state with `done`.
 */
export async function submitAndWait(op: OperationPlan, req: InvokeRequest, deps: InvokeDeps): Promise<InvokeResult> {
  const task = taskOf(op)!;
  const submitted = await submit(op, task, req, deps);
  if ('result' in submitted) return submitted.result;
  const scope = applyWith(task.status.with, submitted.seed);
  // Only a task can be answered: a caller waiting without one gets the state that asks (`done: false`).
  const wait = task.input ? { ...task.wait, asking: task.input.when } : task.wait;
  return waitForOperation({ ...op, wait }, task.status.op, scope, req, deps);
}

async function submit(
  op: OperationPlan,
  task: TaskPlan,
  req: InvokeRequest,
  deps: InvokeDeps,
): Promise<{ result: InvokeResult } | { res: UpstreamResponse; seed: Record<string, unknown>; operationId: string }> {
  if (op.action.kind !== 'call') throw new GatewayError('INTERNAL', 'a submitting task element has no call');
  const call = op.action.op;
  const scope = applyWith(op.with, req.params);
  const res = await callOperation(call, scope, deps, { signal: req.signal, trace: req.trace });
  if (res.status >= 300) return { result: shapeResponse(call, res, op.output, scopeLookup(scope)) };
  const operationId = idText(task.submit!.operationId.evaluate(parsed(call, res)));
  if (operationId === undefined) {
    throw new GatewayError(
      'MAPPING_FAILED',
      `the response of ${operationName(call)} carries no operation id at ${task.submit!.operationId.source}`,
      { details: { operation: operationName(call) } },
    );
  }
  return { res, seed: { ...keep(scope, task), [OPERATION_ID_VAR]: operationId }, operationId };
}

/** Upstream answers that say nothing about the operation, only that this read failed: the task keeps working. */
const TRANSIENT_STATUS = new Set([408, 425, 429]);
const TRANSIENT_CODES = new Set([
  'UPSTREAM_UNREACHABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_TOO_LARGE',
  'UPSTREAM_NOT_CONFIGURED',
  'SECRET_MISSING',
]);

async function statusOf(
  op: OperationPlan,
  task: TaskPlan,
  handle: TaskHandle,
  id: string,
  deps: InvokeDeps,
  call: TaskCall,
): Promise<TaskState> {
  const now = deps.clock.now();
  const base = {
    id,
    ...(handle.operationId !== undefined ? { operationId: handle.operationId } : {}),
    createdAt: handle.createdAt,
    updatedAt: now,
    expiresAt: handle.expiresAt,
    ttlMs: handle.expiresAt - handle.createdAt,
    pollIntervalMs: task.pollIntervalMs,
  };
  const status = task.status;
  const scope = applyWith(status.with, handle.seed);
  let res: UpstreamResponse;
  try {
    res = await callOperation(status.op, scope, deps, { signal: call.signal, trace: call.trace });
  } catch (err) {
    if (err instanceof GatewayError && TRANSIENT_CODES.has(err.code)) {
      return { ...base, status: 'working', message: `the status read failed (${err.message}); read again later` };
    }
    throw err;
  }
  const pollIntervalMs = retryAfterMs(res, now) ?? task.pollIntervalMs;
  if (res.status >= 500 || TRANSIENT_STATUS.has(res.status)) {
    return {
      ...base,
      pollIntervalMs,
      status: 'working',
      message: `the status read answered ${res.status}; read again later`,
    };
  }
  const lookup = scopeLookup(scope);
  if (res.status >= 300) {
    // The operation cannot be read any more (gone, forbidden …): the task ends with the upstream's answer.
    return {
      ...base,
      pollIntervalMs,
      status: 'failed',
      message: `the status read answered ${res.status}`,
      result: shapeResponse(status.op, res, undefined, lookup),
    };
  }
  const body = parsed(status.op, res);
  const w = task.wait;
  const vendorStatus = w.until.evaluate(body);
  const progress = progressOf(task, body);
  const same = (list: readonly unknown[]) => isOneOf(list, vendorStatus);
  const done = same(w.terminal);
  const questions = !done && task.input && same(task.input.when) ? questionsOf(task.input, body) : [];
  if (questions.length) {
    const more = questions.length > 1 ? ` (and ${questions.length - 1} more)` : '';
    return {
      ...base,
      pollIntervalMs,
      status: 'input_required',
      message: `waiting for an answer: ${questions[0].message}${more}`,
      vendorStatus,
      ...(progress ? { progress } : {}),
      questions,
    };
  }
  const kind: TaskStatus = !done
    ? 'working'
    : same(task.cancelled)
      ? 'cancelled'
      : same(w.failed)
        ? 'failed'
        : 'completed';
  const errorText = kind === 'failed' ? textOf(task.error?.evaluate(body)) : undefined;
  const message =
    kind === 'failed'
      ? (errorText ?? `the operation ended ${String(vendorStatus)}`)
      : (progress?.message ?? `status: ${String(vendorStatus)}`);
  const state: TaskState = {
    ...base,
    pollIntervalMs,
    status: kind,
    message,
    vendorStatus,
    ...(progress ? { progress } : {}),
  };
  if (!done) return state;
  return { ...state, result: withDone(shapeResponse(status.op, res, op.output, lookup), true, body) };
}

function progressOf(task: TaskPlan, body: unknown): TaskState['progress'] {
  const p = task.wait.progress;
  if (!p) return undefined;
  const current = num(p.current?.evaluate(body));
  const total = num(p.total?.evaluate(body));
  const message = textOf(p.message?.evaluate(body));
  if (current === undefined && total === undefined && message === undefined) return undefined;
  return {
    ...(current !== undefined ? { current } : {}),
    ...(total !== undefined ? { total } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

/** The scope variables the status and cancel calls read (the rest of the caller's inputs stays out of the id). */
function keep(scope: Readonly<Record<string, unknown>>, task: TaskPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(scope)) if (v !== undefined && task.keeps.has(looseName(k))) out[k] = v;
  return out;
}

/** Retry-After (seconds or an HTTP date) in ms, within 50 ms … 1 h. */
export function retryAfterMs(res: UpstreamResponse, now: number): number | undefined {
  const raw = headerText(res.headers['retry-after'])?.trim();
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(Math.round(ms), 50), 3_600_000);
}

function idText(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v || undefined;
  if (v === undefined || v === null) return undefined;
  return JSON.stringify(v);
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function operationName(op: ConsumedOperationPlan): string {
  return `${op.upstream.namespace}.${op.name}`;
}
