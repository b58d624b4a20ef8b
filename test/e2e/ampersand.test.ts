/** End to end: capabilities/ampersand-operation.yaml over REST and MCP against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTypedViewOf, startStack, textOf, type Stack } from './harness.ts';
import {
  AMPERSAND_INSTALLATION_ID as INSTALLATION,
  AMPERSAND_INTEGRATION_ID as INTEGRATION,
  AMPERSAND_PROJECT,
} from '../../src/simulator/index.ts';

const PROJECT = AMPERSAND_PROJECT.name;
const SETTLED = '3efc0f0f-4bb9-498f-996c-9893d98ca4b5';
const LIVE_READ = 'c1e5a7d2-3b4f-4a6e-8d9c-0f1e2d3c4b5a';
const FOREVER = '2b8d4f6a-1c3e-4d5f-a7b9-c0d1e2f3a4b5';
const WRITE = '7a8b9c0d-1e2f-4a5b-8c9d-0e1f2a3b4c5d';
const installation = `/v1/projects/${PROJECT}/integrations/${INTEGRATION}/installations/${INSTALLATION}`;

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe('ampersand-operation.yaml', () => {
  it('REST GET operation returns the vendor operation as sent, the MCP tool its typed view', async () => {
    const rest = await s.get(`/v1/projects/${PROJECT}/operations/${SETTLED}`);
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({
      id: SETTLED,
      projectId: AMPERSAND_PROJECT.id,
      integrationId: INTEGRATION,
      installationId: INSTALLATION,
      configId: expect.any(String),
      actionType: 'read',
      status: 'success',
      result: '[contact] No new data found',
      metadata: {
        objects: ['contact'],
        progress: {
          installationId: INSTALLATION,
          objectName: 'contact',
          operationId: SETTLED,
          recordsProcessed: 0,
          recordsEstimatedTotal: 0,
        },
      },
      createTime: expect.any(String),
    });
    const tool = await s.call('ampersand-get-operation', { projectIdOrName: PROJECT, operationId: SETTLED });
    expect(tool.isError).toBeFalsy();
    expectTypedViewOf(tool.structuredContent, rest.body);
    // What Ampersand did not send is absent on REST and null in the typed MCP view.
    expect(tool.structuredContent.metadata).toMatchObject({ retry: null, successfulRecordIds: null });
  });

  it('a write operation keeps successfulRecordIds and has no read progress', async () => {
    s.sim.reset();
    const r = await s.call('ampersand-wait-for-operation', {
      projectIdOrName: PROJECT,
      operationId: WRITE,
      maxWaitSeconds: 10,
    });
    expect(r.structuredContent).toMatchObject({
      status: 'success',
      done: true,
      metadata: { successfulRecordIds: ['001xx000003DGbYAAW', '001xx000003DGbZAAW'], progress: null },
    });
  });

  it('lists operations with pagination (REST and MCP list the same operations)', async () => {
    const rest = await s.get(`${installation}/operations?pageSize=3`);
    expect(rest.status).toBe(200);
    expect(rest.body.results).toHaveLength(3);
    expect(rest.body.pagination.done).toBe(false);
    const token = rest.body.pagination.nextPageToken;
    expect(typeof token).toBe('string');
    const next = await s.call('ampersand-list-operations', {
      projectIdOrName: PROJECT,
      integrationId: INTEGRATION,
      installationId: INSTALLATION,
      pageSize: 3,
      pageToken: token,
    });
    expect(next.structuredContent.results).toHaveLength(3);
    expect(next.structuredContent.results.map((o: { id: string }) => o.id)).not.toContain(rest.body.results[0].id);
    const first = await s.call('ampersand-list-operations', {
      projectIdOrName: PROJECT,
      integrationId: INTEGRATION,
      installationId: INSTALLATION,
      pageSize: 3,
    });
    // Live operations progress between the two reads: compare which operations, not their counters.
    const ids = (list: Array<{ id: string }>) => list.map((o) => o.id);
    expect(ids(first.structuredContent.results)).toEqual(ids(rest.body.results));
    expect(first.structuredContent.pagination).toEqual(rest.body.pagination);
  });

  it('backfill progress and logs', async () => {
    const rest = await s.get(`${installation}/objects/lead/backfill-progress`);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({
      objectName: 'lead',
      operationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      recordsProcessed: 842,
      recordsEstimatedTotal: 842,
    });
    const tool = await s.call('ampersand-get-backfill-progress', {
      projectIdOrName: PROJECT,
      integrationId: INTEGRATION,
      installationId: INSTALLATION,
      objectName: 'lead',
    });
    expectTypedViewOf(tool.structuredContent, rest.body);

    const logs = await s.get(`/v1/projects/${PROJECT}/operations/${SETTLED}/logs`);
    expect(logs.status).toBe(200);
    expect(Array.isArray(logs.body)).toBe(true);
    expect(logs.body[0]).toMatchObject({ severity: 'INFO', message: { operation_id: SETTLED } });
    const toolLogs = await s.call('ampersand-list-logs-operation', { projectIdOrName: PROJECT, operationId: SETTLED });
    expectTypedViewOf(toolLogs.structuredContent, { logs: logs.body });
  });

  it('wait-for-operation returns the terminal state with read progress notifications', async () => {
    s.sim.reset();
    const seen: Array<{ progress: number; total?: number }> = [];
    const r = await s.call(
      'ampersand-wait-for-operation',
      { projectIdOrName: PROJECT, operationId: LIVE_READ, maxWaitSeconds: 10 },
      (p) => seen.push(p),
    );
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      id: LIVE_READ,
      status: 'success',
      done: true,
      result: '[contact] Read 5000 records',
    });
    expect(seen.length).toBeGreaterThan(0);
    const values = seen.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    expect(seen.at(-1)).toMatchObject({ progress: 5000, total: 5000 });
  });

  it('wait-for-operation returns done: false after maxWaitSeconds for a never-ending operation', async () => {
    const r = await s.call('ampersand-wait-for-operation', {
      projectIdOrName: PROJECT,
      operationId: FOREVER,
      maxWaitSeconds: 0.3,
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ id: FOREVER, status: 'in_progress', done: false, result: null });
  });

  it('REST Prefer: wait returns the settled state and Preference-Applied', async () => {
    s.sim.reset();
    const r = await s.get(`/v1/projects/${PROJECT}/operations/${LIVE_READ}`, { prefer: 'wait=10' });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('wait=10');
    expect(r.body).toMatchObject({ status: 'success', done: true });
  });

  it('vendor errors: REST passes the problem detail through, MCP reports a tool error with the vendor message', async () => {
    const rest = await s.get(`/v1/projects/${PROJECT}/operations/00000000-0000-4000-8000-000000000000`);
    expect(rest.status).toBe(404);
    expect(rest.headers.get('content-type')).toMatch(/problem\+json/);
    expect(rest.body).toMatchObject({ status: 404, detail: 'Operation not found for the given operation ID.' });
    const tool = await s.call('ampersand-get-operation', { projectIdOrName: PROJECT, operationId: 'nope' });
    expect(tool.isError).toBe(true);
    expect(textOf(tool)).toMatch(/^Upstream returned 404: .*Operation not found for the given operation ID\./);

    const bad = await s.get(`${installation}/operations?pageSize=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/pageSize/);
    const badTool = await s.call('ampersand-list-operations', {
      projectIdOrName: PROJECT,
      integrationId: INTEGRATION,
      installationId: INSTALLATION,
      pageToken: 'garbage',
    });
    expect(badTool.isError).toBe(true);
    expect(textOf(badTool)).toMatch(/Upstream returned 400: .*pageToken is not valid/);
  });
});
