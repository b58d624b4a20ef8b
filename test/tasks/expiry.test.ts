/**
 * Task expiry: a task id stops opening `ttlMs` after its task was created (here a copy of the bundled Amba capability
 * declaring `ttlMs: 1500`), for the SDK v1 client (2025-11-25), the ext-tasks client (2026-07-28) and REST status
 * URLs (410 Gone). Before that the declared ttl is what each form reports.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateTaskResultSchema } from '@modelcontextprotocol/sdk/experimental/tasks';
import { AMBA_PROJECT_ID, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { CAPABILITIES_DIR, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { extTasksSession, rpc } from '../helpers/mcp-tasks.ts';
import { REPLICA_TASK_KEY } from '../helpers/task-keys.ts';

const TTL_MS = 1500;
let sim: RunningSimulator;
let gw: GatewayProcess;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-task-ttl-'));
  const yaml = await readFile(path.join(CAPABILITIES_DIR, 'amba-operations.yaml'), 'utf8');
  const anchor = '              x-capgate-task: &purchase-task\n';
  expect(yaml).toContain(anchor);
  await writeFile(path.join(dir, 'amba.yaml'), yaml.replace(anchor, `${anchor}                ttlMs: ${TTL_MS}\n`));
  // Slow enough that nothing settles before the ids expire.
  sim = await startSimulator({ timeScale: 10 });
  gw = await startGatewayProcess(sim.url, { CAPGATE_TASK_KEY: REPLICA_TASK_KEY }, [dir]);
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const pastTtl = () => new Promise((ok) => setTimeout(ok, TTL_MS + 200));

describe('an expired task id', () => {
  it('SDK v1 (2025-11-25): ttl as declared, then tasks/get is -32602 "expired"', async () => {
    const c = new Client({ name: 'capgate-expiry-test', version: '1.0.0' });
    await c.connect(new StreamableHTTPClientTransport(new URL(gw.mcp)));
    try {
      await c.listTools();
      const created = await c.request(
        {
          method: 'tools/call',
          params: {
            name: 'amba-purchase-domain',
            arguments: { projectId: AMBA_PROJECT_ID, domain: 'expiry-v1.dev' },
            task: {},
          },
        },
        CreateTaskResultSchema,
      );
      expect(created.task.ttl).toBe(TTL_MS);
      const taskId = created.task.taskId;
      expect((await c.experimental.tasks.getTask(taskId)).status).toBe('working');
      await pastTtl();
      await expect(c.experimental.tasks.getTask(taskId)).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(/expired/),
      });
    } finally {
      await c.close();
    }
  });

  it('ext-tasks (2026-07-28): ttlMs as declared, then the snapshot fails with -32602 "expired"', async () => {
    const { tasks, close } = await extTasksSession(gw.mcp);
    try {
      const exec = await tasks.callTool('amba-purchase-domain', { projectId: AMBA_PROJECT_ID, domain: 'expiry.dev' });
      if (exec.kind !== 'task') throw new Error('expected a task');
      const taskId = exec.handle.taskId;
      const snap = await tasks.task(taskId).snapshot();
      expect(snap.retentionMs).toBe(TTL_MS);
      await exec.detach();
      await pastTtl();
      await expect(tasks.task(taskId).snapshot()).rejects.toMatchObject({ code: -32602 });
      const raw = await rpc(gw.mcp, 'tasks/get', { taskId });
      expect(raw.body.error).toMatchObject({ code: -32602, data: { reason: 'expired' } });
      expect(raw.body.error.message).toMatch(/expired at \d{4}-/);
    } finally {
      await close();
    }
  });

  it('REST: the status URL answers 410 Gone once expired', async () => {
    const res = await fetch(`${gw.rest}/amba/projects/${AMBA_PROJECT_ID}/domains/purchase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ domain: 'expiry-rest.dev' }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as any;
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(TTL_MS);
    const location = res.headers.get('location')!;
    expect((await fetch(`${gw.rest}${location}`)).status).toBe(200);
    await pastTtl();
    const gone = await fetch(`${gw.rest}${location}`);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as any).detail).toMatch(/expired/);
  });
});
