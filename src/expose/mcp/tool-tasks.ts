/**
 * @module expose/mcp/tool-tasks — the task side of a planned tool (`x-capgate-task`): start, read, cancel and wait
 * through invoke/task, with the state's result turned into the tool result a plain call answers (a failed operation
 * is a tool error carrying the final state, a cancelled one a CANCELLED tool error). Task ids are checked to be this
 * tool's own; a forged or expired one is a NOT_FOUND error.
 */
import { GatewayError } from '../../common/errors.ts';
import type { McpToolPlan } from '../../plan/types.ts';
import type { InvokeResult } from '../../invoke/types.ts';
import {
  answerTask,
  cancelTask,
  openTask,
  readTask,
  startTask,
  taskOf,
  waitTask,
  type TaskDeps,
  type TaskState,
} from '../../invoke/task.ts';
import type { TaskHandle } from '../../invoke/task-handle.ts';
import type { McpTaskState, McpToolTask, ToolCallContext, ToolResult } from './protocol/types.ts';

/** The tool's result for what invoke returned; `blocks`: with its content blocks (a completed operation's answer). */
export type ToResult = (result: InvokeResult, blocks: boolean) => ToolResult;

export function toolTask(t: McpToolPlan, deps: TaskDeps, toResult: ToResult): McpToolTask | undefined {
  const op = t.operation;
  const task = taskOf(op);
  if (!task) return undefined;
  const open = (id: string): TaskHandle => {
    const h = openTask(id, deps);
    if (h.kind !== 'mcp' || h.target !== t.name) {
      throw new GatewayError('NOT_FOUND', 'no such task: the task id belongs to another tool', {
        details: { reason: 'invalid' },
      });
    }
    return h;
  };
  const stateOf = (s: TaskState): McpTaskState => toMcpState(s, toResult);
  /** A failure that is not the operation's outcome ends the task as failed (the gateway could not follow it). */
  const following = async (h: TaskHandle, id: string, work: () => Promise<TaskState>): Promise<McpTaskState> => {
    try {
      return stateOf(await work());
    } catch (err) {
      if (!(err instanceof GatewayError) || err.code === 'CANCELLED' || err.code === 'METHOD_NOT_ALLOWED') throw err;
      return {
        taskId: id,
        status: 'failed',
        statusMessage: err.message,
        createdAt: iso(h.createdAt),
        lastUpdatedAt: iso(deps.clock.now()),
        ttlMs: h.expiresAt - h.createdAt,
        pollIntervalMs: task.pollIntervalMs,
        error: err,
      };
    }
  };
  const call = (ctx: ToolCallContext) => ({ signal: ctx.signal, trace: ctx.trace });
  return {
    required: task.required,
    asks: task.input !== undefined,
    async start(args, ctx) {
      const r = await startTask(op, { kind: 'mcp', name: t.name }, { params: args, ...call(ctx) }, deps);
      return r.result ? { result: toResult(r.result, true) } : { task: stateOf(r.state) };
    },
    get(id, ctx) {
      const h = open(id);
      return following(h, id, () => readTask(op, h, id, deps, call(ctx)));
    },
    cancel(id, ctx) {
      const h = open(id);
      return following(h, id, () => cancelTask(op, h, id, deps, call(ctx)));
    },
    wait(id, waitMs, ctx) {
      const h = open(id);
      return following(h, id, () => waitTask(op, h, id, waitMs, deps, call(ctx)));
    },
    async answer(id, responses, ctx) {
      const h = open(id);
      await answerTask(op, h, id, responses, deps, call(ctx));
    },
  };
}

function toMcpState(s: TaskState, toResult: ToResult): McpTaskState {
  const out: McpTaskState = {
    taskId: s.id,
    status: s.status,
    createdAt: iso(s.createdAt),
    lastUpdatedAt: iso(s.updatedAt),
    ttlMs: s.ttlMs,
    pollIntervalMs: s.pollIntervalMs,
  };
  if (s.message !== undefined) out.statusMessage = s.message;
  if (s.questions)
    out.questions = s.questions.map((q) => ({ key: q.key, message: q.message, schema: { ...q.schema } }));
  if (s.result) out.result = resultOf(s, s.result, toResult);
  return out;
}

/**
 * The tool result of a terminal state: as a plain call answers it (content blocks included), but an operation that
 * failed or was cancelled is a tool error (its answer is not the tool's content).
 */
function resultOf(s: TaskState, result: InvokeResult, toResult: ToResult): ToolResult {
  const r = toResult(result, s.status === 'completed');
  if (!r.ok || s.status === 'completed') return r;
  const details = {
    ...(s.operationId !== undefined ? { operationId: s.operationId } : {}),
    ...(s.vendorStatus !== undefined ? { vendorStatus: s.vendorStatus } : {}),
  };
  const error =
    s.status === 'cancelled'
      ? new GatewayError('CANCELLED', 'the upstream operation was cancelled', { details })
      : new GatewayError('OPERATION_FAILED', `the upstream operation failed: ${s.message ?? 'no reason given'}`, {
          details,
        });
  return { ok: false, error, value: r.value };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
