/**
 * MCP 2026-07-28 tasks extension (SEP-2663) on the bundled capabilities and the simulator: raw requests for the wire
 * details, and the official `@modelcontextprotocol/ext-tasks` client driving the same tools end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { startStack, type Stack } from '../e2e/harness.ts';
import { AMBA_PROJECT_ID } from '../../src/simulator/index.ts';
import { extTasksSession, listenUntil, pollUntilSettled, rpc, TASKS_EXTENSION } from '../helpers/mcp-tasks.ts';

/** Chainloop's operation that runs forever (fixtures.ts). */
const FOREVER_CHAINLOOP = 'c3e5a7b9-4d6f-4b8c-8e2a-3f5b7c9d1e4a';
/** Amba's purchase settled 30 minutes before the simulator started. */
const SETTLED_AMBA = '4d7e1a5b-0f6c-4d2b-a90b-7f5b3c1d9e6a';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const purchase = (domain: string) =>
  rpc(s.mcpUrl, 'tools/call', {
    name: 'amba-purchase-domain',
    arguments: { projectId: AMBA_PROJECT_ID, domain },
  });

describe('2026-07-28 tasks extension, raw wire', () => {
  it('is advertised under capabilities.extensions in server/discover', async () => {
    const r = await rpc(s.mcpUrl, 'server/discover', {});
    expect(r.body.result.capabilities.extensions).toEqual({ [TASKS_EXTENSION]: {} });
    expect(r.body.result.capabilities.tasks).toBeUndefined();
  });

  it('submit → task → working → completed with the tool result inlined', async () => {
    const created = await purchase('acme-submit.dev');
    expect(created.status).toBe(200);
    const t = created.body.result;
    expect(t).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 3_600_000, pollIntervalMs: 1000 });
    expect(t.taskId).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(t.createdAt).toMatch(ISO);
    expect(t.lastUpdatedAt).toMatch(ISO);
    for (const k of ['result', 'error', 'inputRequests', 'requestState', 'task', 'ttl', 'pollInterval'])
      expect(t).not.toHaveProperty(k);
    // Strongly consistent: the id works at once.
    const now = await rpc(s.mcpUrl, 'tasks/get', { taskId: t.taskId });
    expect(now.body.result).toMatchObject({ resultType: 'complete', taskId: t.taskId });
    const done = await pollUntilSettled(s.mcpUrl, t.taskId);
    expect(done.result.status).toBe('completed');
    expect(done.result.result.resultType).toBe('complete');
    expect(done.result.result.isError).toBeUndefined();
    expect(done.result.result.structuredContent).toMatchObject({
      data: { status: 'succeeded', kind: 'domain_purchase', result: { domain: 'acme-submit.dev' } },
      done: true,
    });
    expect(done.result.result._meta?.['io.modelcontextprotocol/related-task']).toBeUndefined();
  });

  it('a failed operation ends completed with an isError result carrying OPERATION_FAILED and the final state', async () => {
    const t = (await purchase('taken.dev')).body.result;
    const done = await pollUntilSettled(s.mcpUrl, t.taskId);
    expect(done.result.status).toBe('completed');
    const result = done.result.result;
    expect(result.isError).toBe(true);
    expect(result._meta['capgate/error'].code).toBe('OPERATION_FAILED');
    expect(result.content[0].text).toContain('Domain is not available for registration.');
    expect(result.structuredContent.data).toMatchObject({ status: 'failed' });
  });

  it('tasks/cancel calls the declared cancel and the task ends cancelled; a second cancel is acknowledged', async () => {
    const calls = Array.from({ length: 40 }, (_, i) => `page.step${i}`);
    const t = (await rpc(s.mcpUrl, 'tools/call', { name: 'bctrl-run-operation', arguments: { calls } })).body.result;
    expect(t.status).toBe('working');
    const ack = await rpc(s.mcpUrl, 'tasks/cancel', { taskId: t.taskId });
    expect(ack.status).toBe(200);
    expect(ack.body.result.resultType).toBe('complete');
    for (const k of ['taskId', 'status', 'result', 'error']) expect(ack.body.result).not.toHaveProperty(k);
    const got = await rpc(s.mcpUrl, 'tasks/get', { taskId: t.taskId });
    expect(got.body.result.status).toBe('cancelled');
    const again = await rpc(s.mcpUrl, 'tasks/cancel', { taskId: t.taskId });
    expect(again.body.result).toMatchObject({ resultType: 'complete' });
  });

  it('cancelling a task whose upstream offers no cancellation says it cannot (-32602, METHOD_NOT_ALLOWED)', async () => {
    const t = (
      await rpc(s.mcpUrl, 'tools/call', {
        name: 'chainloop-wait-for-operation',
        arguments: { operation_id: FOREVER_CHAINLOOP },
      })
    ).body.result;
    expect(t.resultType).toBe('task');
    const r = await rpc(s.mcpUrl, 'tasks/cancel', { taskId: t.taskId });
    expect(r.body.error.code).toBe(-32602);
    expect(r.body.error.data.code).toBe('METHOD_NOT_ALLOWED');
    expect(r.body.error.message).toMatch(/cannot be cancelled/);
    expect((await rpc(s.mcpUrl, 'tasks/get', { taskId: t.taskId })).body.result.status).toBe('working');
  });

  it('a wait tool whose operation has already settled answers at once instead of creating a task', async () => {
    const r = await rpc(s.mcpUrl, 'tools/call', {
      name: 'amba-wait-for-operation',
      arguments: { projectId: AMBA_PROJECT_ID, operationId: SETTLED_AMBA },
    });
    expect(r.body.result.resultType).toBe('complete');
    expect(r.body.result.structuredContent).toMatchObject({ data: { status: 'succeeded' }, done: true });
  });

  it('a tampered or unknown id is -32602 and names no internals', async () => {
    const t = (await purchase('acme-tamper.dev')).body.result;
    const [payload, mac] = t.taskId.split('.');
    // The same handle, living a year longer.
    const wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...wire, x: wire.x + 31_536_000_000 })).toString('base64url')}.${mac}`;
    for (const taskId of [forged, `${payload}.${'A'.repeat(43)}`, 'tasks-conformance-nonexistent-12345']) {
      const r = await rpc(s.mcpUrl, 'tasks/get', { taskId });
      expect(r.status).toBe(200);
      expect(r.body.error.code).toBe(-32602);
      expect(JSON.stringify(r.body)).not.toMatch(/stack|at \w+ \(/);
    }
  });

  it('-32021 (HTTP 400) for tasks/* from a request that did not declare the extension', async () => {
    const t = (await purchase('acme-undeclared.dev')).body.result;
    for (const [method, params] of [
      ['tasks/get', { taskId: t.taskId }],
      ['tasks/cancel', { taskId: t.taskId }],
      ['tasks/update', { taskId: t.taskId, inputResponses: {} }],
    ] as const) {
      const r = await rpc(s.mcpUrl, method, params, {});
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(-32021);
      expect(r.body.error.data.requiredCapabilities).toEqual({ extensions: { [TASKS_EXTENSION]: {} } });
    }
  });

  it('without the extension a submitting tool runs synchronously: it submits and waits for the outcome', async () => {
    const r = await rpc(
      s.mcpUrl,
      'tools/call',
      { name: 'amba-purchase-domain', arguments: { projectId: AMBA_PROJECT_ID, domain: 'acme-sync.dev' } },
      {},
    );
    expect(r.body.result.resultType).toBe('complete');
    expect(r.body.result.structuredContent).toMatchObject({ data: { status: 'succeeded' }, done: true });
  });

  it('tasks/update is acknowledged (no input is ever outstanding); tasks/result and tasks/list are -32601 (404)', async () => {
    const t = (await purchase('acme-update.dev')).body.result;
    const u = await rpc(s.mcpUrl, 'tasks/update', { taskId: t.taskId, inputResponses: { 'unknown-key': {} } });
    expect(u.body.result).toEqual(expect.objectContaining({ resultType: 'complete' }));
    expect(u.body.result).not.toHaveProperty('status');
    for (const method of ['tasks/result', 'tasks/list']) {
      const r = await rpc(s.mcpUrl, method, { taskId: t.taskId });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe(-32601);
    }
  });

  it('Mcp-Name must carry the task id on tasks/get (-32020 otherwise)', async () => {
    const t = (await purchase('acme-header.dev')).body.result;
    const r = await rpc(s.mcpUrl, 'tasks/get', { taskId: t.taskId }, undefined, { 'mcp-name': 'another-task' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(-32020);
  });
});

describe('2026-07-28 notifications/tasks on subscriptions/listen', () => {
  it('acknowledges the known task ids and sends the DetailedTask on each status change, to the result', async () => {
    const t = (await purchase('acme-listen.dev')).body.result;
    const terminal = (ms: any[]) => ms.some((m) => m.method === 'notifications/tasks' && m.params.status !== 'working');
    const { status, messages } = await listenUntil(s.mcpUrl, { taskIds: [t.taskId, 'not-a-task'] }, terminal);
    expect(status).toBe(200);
    expect(messages[0]).toMatchObject({
      method: 'notifications/subscriptions/acknowledged',
      params: {
        notifications: { taskIds: [t.taskId] },
        _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' },
      },
    });
    const updates = messages.filter((m) => m.method === 'notifications/tasks');
    expect(updates[0].params).toMatchObject({ taskId: t.taskId, status: 'working' });
    const last = updates.at(-1).params;
    expect(last).toMatchObject({
      taskId: t.taskId,
      status: 'completed',
      _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' },
    });
    expect(last.result.structuredContent).toMatchObject({ data: { status: 'succeeded' }, done: true });
    // One notification per status, not one per read.
    expect(new Set(updates.map((u) => u.params.status)).size).toBe(updates.length);
  });

  it('asking for task notifications without declaring the extension is -32021 (400)', async () => {
    const t = (await purchase('acme-listen-undeclared.dev')).body.result;
    const r = await listenUntil(s.mcpUrl, { taskIds: [t.taskId] }, () => true, {});
    expect(r.status).toBe(400);
    expect(r.reply.error.code).toBe(-32021);
    expect(r.reply.error.data.requiredCapabilities).toEqual({ extensions: { [TASKS_EXTENSION]: {} } });
  });
});

describe('2026-07-28 tasks extension, @modelcontextprotocol/ext-tasks client', () => {
  const session = () => extTasksSession(s.mcpUrl);

  it('submits, follows and settles a purchase as a task', async () => {
    const { tasks, close } = await session();
    try {
      const exec = await tasks.callTool('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'acme-ext.dev' });
      expect(exec.kind).toBe('task');
      const { outcome } = await exec.settle();
      const result = resultFromTaskOutcome(outcome) as any;
      expect(result.structuredContent).toMatchObject({ data: { status: 'succeeded' }, done: true });
    } finally {
      await close();
    }
  });

  it('reports a failed purchase as a tool error, and cancels a run', async () => {
    const { tasks, close } = await session();
    try {
      const failed = await tasks.callTool('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'taken.app' });
      const { outcome } = await failed.settle();
      expect((resultFromTaskOutcome(outcome) as any).isError).toBe(true);
      const run = await tasks.callTool('bctrl-run-operation', { calls: Array.from({ length: 40 }, () => 'page.wait') });
      expect(run.kind).toBe('task');
      await run.cancel();
      const settled = await run.settle();
      expect(settled.outcome.status ?? settled.lastTask?.status).toBe('cancelled');
    } finally {
      await close();
    }
  });
});
