/**
 * @module gateway/tasks — the task key and what the REST exposer runs tasks with: one signer per gateway (every
 * REST and MCP port of a process opens the ids the others issued; replicas given the same key open each other's),
 * and the REST face of invoke/task.
 */
import type { InvokeDeps } from '../invoke/deps.ts';
import { answerTask, cancelTask, readTask, startTask, waitTask, type TaskDeps } from '../invoke/task.ts';
import type { TaskSigner } from '../invoke/task-handle.ts';
import { MAX_WAIT_MS } from '../invoke/wait.ts';
import { routeKey, type RestTasks } from '../expose/rest/tasks.ts';
import { GatewayError } from '../common/errors.ts';
import type { Plan } from '../plan/types.ts';

export function createRestTasks(deps: InvokeDeps, signer: TaskSigner): RestTasks {
  const taskDeps: TaskDeps = { ...deps, tasks: signer };
  const opened = (kind: string, target: string, expected: string) => {
    if (kind !== 'rest' || target !== expected) {
      throw new GatewayError('NOT_FOUND', 'no such task: the task id belongs to another route', {
        details: { reason: 'invalid' },
      });
    }
  };
  return {
    start: (route, req) => startTask(route.operation, { kind: 'rest', name: routeKey(route) }, req, taskDeps),
    peek: (id) => signer.peek(id),
    open: (id) => signer.open(id, deps.clock.now()),
    read: (route, h, id, call) => {
      opened(h.kind, h.target, routeKey(route));
      return readTask(route.operation, h, id, taskDeps, call);
    },
    cancel: (route, h, id, call) => {
      opened(h.kind, h.target, routeKey(route));
      return cancelTask(route.operation, h, id, taskDeps, call);
    },
    wait: (route, h, id, waitMs, call) => {
      opened(h.kind, h.target, routeKey(route));
      return waitTask(route.operation, h, id, waitMs, taskDeps, call);
    },
    answer: async (route, h, id, responses, call) => {
      opened(h.kind, h.target, routeKey(route));
      await answerTask(route.operation, h, id, responses, taskDeps, call);
    },
    maxWaitSeconds: MAX_WAIT_MS / 1000,
  };
}

/** Whether any served element declares `x-capgate-task` (the task key only matters then). */
export function planHasTasks(plan: Plan): boolean {
  const ops = [
    ...plan.rest.flatMap((s) => s.routes.map((r) => r.operation)),
    ...[...plan.mcp.flatMap((s) => s.adapters), ...plan.stdio].flatMap((a) => a.tools.map((t) => t.operation)),
  ];
  return ops.some((op) => op.task !== undefined || (op.action.kind === 'function' && op.action.fn.task !== undefined));
}
