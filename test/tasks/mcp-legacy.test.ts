/**
 * MCP 2025-11-25 experimental tasks, driven by the official SDK v1 client (`client.experimental.tasks`) against the
 * bundled capabilities and the simulator: submit, poll, complete, fail, cancel, a tampered id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { CreateTaskResultSchema } from '@modelcontextprotocol/sdk/experimental/tasks';
import { startStack, type Stack } from '../e2e/harness.ts';
import { AMBA_PROJECT_ID } from '../../src/simulator/index.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

async function stream(name: string, args: Record<string, unknown>) {
  const seen: Array<{ type: string; [k: string]: any }> = [];
  for await (const m of s.mcp.experimental.tasks.callToolStream({ name, arguments: args })) seen.push(m as any);
  return seen;
}

describe('2025-11-25 experimental tasks, SDK v1 client', () => {
  it('initialize announces tasks and tools/list marks task tools with execution.taskSupport', async () => {
    expect(s.mcp.getServerCapabilities()?.tasks).toEqual({ cancel: {}, requests: { tools: { call: {} } } });
    const { tools } = await s.mcp.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('amba-purchase-domain')?.execution).toEqual({ taskSupport: 'optional' });
    expect(byName.get('bctrl-wait-for-operation')?.execution).toEqual({ taskSupport: 'optional' });
    expect(byName.get('amba-get-operation')?.execution).toBeUndefined();
  });

  it('submit → taskCreated → status → result: a purchase followed to its end', async () => {
    const seen = await stream('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'acme-v1.dev' });
    expect(seen[0].type).toBe('taskCreated');
    expect(seen[0].task).toMatchObject({ status: 'working', ttl: 3_600_000, pollInterval: 1000 });
    const last = seen.at(-1)!;
    expect(last.type).toBe('result');
    expect(last.result.structuredContent).toMatchObject({
      data: { status: 'succeeded', result: { domain: 'acme-v1.dev' } },
      done: true,
    });
    expect(last.result._meta['io.modelcontextprotocol/related-task']).toEqual({ taskId: seen[0].task.taskId });
    // tasks/get is the bare Task; the id keeps answering after the end.
    const got = await s.mcp.experimental.tasks.getTask(seen[0].task.taskId);
    expect(got).toMatchObject({ taskId: seen[0].task.taskId, status: 'completed' });
  });

  it('a failed operation is a failed task whose tasks/result is the tool error', async () => {
    const seen = await stream('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'taken.io' });
    const created = seen.find((m) => m.type === 'taskCreated')!;
    expect(seen.at(-1)!.type).toBe('error');
    const task = await s.mcp.experimental.tasks.getTask(created.task.taskId);
    expect(task.status).toBe('failed');
    expect(task.statusMessage).toBe('Domain is not available for registration.');
    const result = (await s.mcp.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema)) as any;
    expect(result.isError).toBe(true);
    expect(result._meta['capgate/error'].code).toBe('OPERATION_FAILED');
    expect(result._meta['io.modelcontextprotocol/related-task']).toEqual({ taskId: created.task.taskId });
  });

  it('cancelTask cancels a run through the upstream; cancelling a terminal task is refused', async () => {
    const calls = Array.from({ length: 40 }, (_, i) => `page.step${i}`);
    const created = await s.mcp.request(
      { method: 'tools/call', params: { name: 'bctrl-run-operation', arguments: { calls }, task: {} } },
      CreateTaskResultSchema,
    );
    const taskId = created.task.taskId;
    const cancelled = await s.mcp.experimental.tasks.cancelTask(taskId);
    expect(cancelled).toMatchObject({ taskId, status: 'cancelled' });
    expect((await s.mcp.experimental.tasks.getTask(taskId)).status).toBe('cancelled');
    await expect(s.mcp.experimental.tasks.cancelTask(taskId)).rejects.toThrow(/already cancelled/);
  });

  it('a tampered id is an invalid-params error; tasks/list knows no tasks (nothing is stored)', async () => {
    const seen = await stream('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'acme-v1-tamper.dev' });
    const id: string = seen[0].task.taskId;
    const flipped = id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A');
    await expect(s.mcp.experimental.tasks.getTask(flipped)).rejects.toMatchObject({ code: -32602 });
    expect((await s.mcp.experimental.tasks.listTasks()).tasks).toEqual([]);
  });

  it('a plain callTool of a task tool still works for clients that do not use tasks', async () => {
    const r = await s.call('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'acme-plain.dev' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ data: { status: 'succeeded' }, done: true });
  });
});
