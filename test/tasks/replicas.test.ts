/**
 * Tasks across replicas: real `capgate serve` processes started from the same files and CAPGATE_TASK_KEY. A task
 * started on one is read, waited for, cancelled and finished on another, over MCP (SDK v1 for 2025-11-25, the
 * ext-tasks client for 2026-07-28) and REST (status URLs). A process with another key refuses the ids, and no key
 * ever reaches a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { CreateTaskResultSchema } from '@modelcontextprotocol/sdk/experimental/tasks';
import { resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { AMBA_PROJECT_ID, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { extTasksSession, rpc } from '../helpers/mcp-tasks.ts';
import { OTHER_TASK_KEY, REPLICA_TASK_KEY } from '../helpers/task-keys.ts';
import { TIME_SCALE } from '../e2e/harness.ts';

let sim: RunningSimulator;
let a: GatewayProcess;
let b: GatewayProcess;
let other: GatewayProcess;
const clients: Client[] = [];

beforeAll(async () => {
  sim = await startSimulator({ timeScale: TIME_SCALE });
  [a, b, other] = await Promise.all([
    startGatewayProcess(sim.url, { CAPGATE_TASK_KEY: REPLICA_TASK_KEY }),
    startGatewayProcess(sim.url, { CAPGATE_TASK_KEY: REPLICA_TASK_KEY }),
    startGatewayProcess(sim.url, { CAPGATE_TASK_KEY: OTHER_TASK_KEY }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([a?.stop(), b?.stop(), other?.stop()]);
  await sim?.close();
  for (const p of [a, b, other]) {
    if (!p) continue;
    expect(p.stderr()).not.toContain(REPLICA_TASK_KEY);
    expect(p.stderr()).not.toContain(OTHER_TASK_KEY);
    // The key is given: no warning about a per-process key.
    expect(p.stderr()).not.toContain('CAPGATE_TASK_KEY is not set');
  }
});

async function sdkV1(url: string): Promise<Client> {
  const c = new Client({ name: 'capgate-replica-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  await c.listTools();
  clients.push(c);
  return c;
}

const runCalls = (n: number) => Array.from({ length: n }, (_, i) => `page.step${i}`);

describe('MCP 2025-11-25 (SDK v1) across processes', () => {
  it('a task created on one process is followed and finished on another', async () => {
    const [ca, cb] = await Promise.all([sdkV1(a.mcp), sdkV1(b.mcp)]);
    const created = await ca.request(
      {
        method: 'tools/call',
        params: {
          name: 'amba-purchase-domain',
          arguments: { projectId: AMBA_PROJECT_ID, domain: 'replica-v1.dev' },
          task: {},
        },
      },
      CreateTaskResultSchema,
    );
    const taskId = created.task.taskId;
    expect(created.task.status).toBe('working');
    expect((await cb.experimental.tasks.getTask(taskId)).taskId).toBe(taskId);
    const result = (await cb.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)) as any;
    expect(result.structuredContent).toMatchObject({
      data: { status: 'succeeded', result: { domain: 'replica-v1.dev' } },
      done: true,
    });
    expect((await ca.experimental.tasks.getTask(taskId)).status).toBe('completed');
  });

  it('cancelled on another process; a process with another key does not know the task', async () => {
    const [ca, cb, co] = await Promise.all([sdkV1(a.mcp), sdkV1(b.mcp), sdkV1(other.mcp)]);
    const created = await ca.request(
      { method: 'tools/call', params: { name: 'bctrl-run-operation', arguments: { calls: runCalls(40) }, task: {} } },
      CreateTaskResultSchema,
    );
    const taskId = created.task.taskId;
    await expect(co.experimental.tasks.getTask(taskId)).rejects.toMatchObject({ code: -32602 });
    expect(await cb.experimental.tasks.cancelTask(taskId)).toMatchObject({ taskId, status: 'cancelled' });
    expect((await ca.experimental.tasks.getTask(taskId)).status).toBe('cancelled');
  });
});

describe('MCP 2026-07-28 (ext-tasks) across processes', () => {
  it('a task created on one process settles through another', async () => {
    const sa = await extTasksSession(a.mcp, 'capgate-replicas');
    const sb = await extTasksSession(b.mcp, 'capgate-replicas');
    try {
      const exec = await sa.tasks.callTool('amba-purchase-domain', {
        projectId: AMBA_PROJECT_ID,
        domain: 'replica-v2.dev',
      });
      expect(exec.kind).toBe('task');
      if (exec.kind !== 'task') return;
      const ref = exec.serializeReference();
      await exec.detach();
      const resumed = await sb.tasks.resumeTask(ref);
      const { outcome } = await resumed.settle();
      expect((resultFromTaskOutcome(outcome) as any).structuredContent).toMatchObject({
        data: { status: 'succeeded', result: { domain: 'replica-v2.dev' } },
        done: true,
      });
    } finally {
      await sa.close();
      await sb.close();
    }
  });

  it('a run started on one process is cancelled from another; another key is -32602', async () => {
    const sa = await extTasksSession(a.mcp, 'capgate-replicas');
    const sb = await extTasksSession(b.mcp, 'capgate-replicas');
    try {
      const exec = await sa.tasks.callTool('bctrl-run-operation', { calls: runCalls(40) });
      if (exec.kind !== 'task') throw new Error('expected a task');
      const taskId = exec.handle.taskId;
      const foreign = await rpc(other.mcp, 'tasks/get', { taskId });
      expect(foreign.body.error.code).toBe(-32602);
      await sb.tasks.task(taskId).cancel();
      expect((await sb.tasks.task(taskId).snapshot()).status).toBe('cancelled');
      expect((await sa.tasks.task(taskId).snapshot()).status).toBe('cancelled');
      await exec.detach();
    } finally {
      await sa.close();
      await sb.close();
    }
  });
});

describe('REST async across processes', () => {
  const purchase = (base: string, domain: string, prefer = 'respond-async') =>
    fetch(`${base}/amba/projects/${AMBA_PROJECT_ID}/domains/purchase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer },
      body: JSON.stringify({ domain }),
    });

  it('202 with Location and Retry-After on one process; the status URL polled to the result on another', async () => {
    const res = await purchase(a.rest, 'replica-rest.dev');
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('respond-async');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/_capgate\/tasks\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const accepted = (await res.json()) as any;
    expect(accepted).toMatchObject({ status: 'working', pollIntervalMs: 1000 });
    expect(accepted.operationId).toEqual(expect.any(String));
    let state: any;
    for (let i = 0; i < 50; i++) {
      const r = await fetch(`${b.rest}${location}`);
      expect(r.status).toBe(200);
      state = await r.json();
      if (state.status !== 'working') break;
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect(state).toMatchObject({
      status: 'completed',
      vendorStatus: 'succeeded',
      resultStatus: 200,
      result: { data: { status: 'succeeded', result: { domain: 'replica-rest.dev' } }, done: true },
    });
  });

  it('Prefer: wait=N on the status URL waits there for the end; a failed purchase is failed with its reason', async () => {
    const ok = await purchase(a.rest, 'replica-wait.dev');
    const started = Date.now();
    const waited = await fetch(`${b.rest}${ok.headers.get('location')}`, { headers: { prefer: 'wait=10' } });
    expect(waited.headers.get('preference-applied')).toBe('wait=10');
    expect(await waited.json()).toMatchObject({ status: 'completed', result: { done: true } });
    expect(Date.now() - started).toBeLessThan(9_000);
    const taken = await purchase(a.rest, 'taken.dev');
    const failed = (await (
      await fetch(`${b.rest}${taken.headers.get('location')}`, { headers: { prefer: 'wait=10' } })
    ).json()) as any;
    expect(failed).toMatchObject({ status: 'failed', message: 'Domain is not available for registration.' });
    expect(failed.result.data.status).toBe('failed');
  });

  it('DELETE cancels a run started on another process; where no cancel is declared it says so (405)', async () => {
    const run = await fetch(`${a.rest}/bctrl/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ calls: runCalls(40) }),
    });
    expect(run.status).toBe(202);
    const location = run.headers.get('location')!;
    const cancelled = await fetch(`${b.rest}${location}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', vendorStatus: 'cancelled' });
    expect(((await (await fetch(`${a.rest}${location}`)).json()) as any).status).toBe('cancelled');
    const purchase1 = await purchase(a.rest, 'replica-nocancel.dev');
    const refused = await fetch(`${b.rest}${purchase1.headers.get('location')}`, { method: 'DELETE' });
    expect(refused.status).toBe(405);
    expect(((await refused.json()) as any).detail).toMatch(/cannot be cancelled/);
  });

  it('a status URL from a process with another key, or a tampered one, is 404 without internals', async () => {
    const res = await purchase(other.rest, 'other-key.dev');
    const location = res.headers.get('location')!;
    const foreign = await fetch(`${a.rest}${location}`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/problem\+json/);
    const tampered = await fetch(`${a.rest}${location.slice(0, -2)}AA`);
    expect(tampered.status).toBe(404);
    expect(await tampered.text()).not.toMatch(/stack|at \w+ \(/);
  });

  it('without Prefer: respond-async the route answers as before; Prefer: wait submits and waits', async () => {
    const plain = await purchase(a.rest, 'replica-plain.dev', '');
    expect(plain.status).toBe(202);
    expect(plain.headers.get('location')).toMatch(/\/amba\/projects\/.+\/operations\//);
    const waited = await purchase(b.rest, 'replica-prefer-wait.dev', 'wait=10');
    expect(waited.status).toBe(200);
    expect(await waited.json()).toMatchObject({ data: { status: 'succeeded' }, done: true });
  });
});
