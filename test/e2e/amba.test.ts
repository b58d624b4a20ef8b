/** End to end: capabilities/amba-operations.yaml over REST and MCP against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTypedViewOf, startStack, textOf, type Stack } from './harness.ts';
import { AMBA_PROJECT_ID as PROJECT } from '../../src/simulator/index.ts';

const LIVE = '0f3a9c1e-6d2b-4e8f-a5c7-3b1d9e7f5a2c';
const FOREVER = '2b5c9e3f-8d4a-4b0f-87e9-5d3f1a9b7c4e';
const SETTLED = '3c6d0f4a-9e5b-4c1a-98fa-6e4a2b0c8d5f';
const base = `/amba/projects/${PROJECT}/operations`;

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe('amba-operations.yaml', () => {
  it('REST GET returns the vendor operation as sent, amba-get-operation its typed view', async () => {
    const rest = await s.get(`${base}/${SETTLED}`);
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({
      data: {
        id: SETTLED,
        kind: 'dns_verification',
        status: 'succeeded',
        failed_reason: null,
        result: { verified: true, records_checked: 3 },
        metadata: { domain: 'acme-robotics.dev' },
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    });
    const tool = await s.call('amba-get-operation', { projectId: PROJECT, operationId: SETTLED });
    expect(tool.isError).toBeFalsy();
    expectTypedViewOf(tool.structuredContent, rest.body);
  });

  it('lists with kind/status/limit/offset filters (MCP is the typed view of REST)', async () => {
    const rest = await s.get(`${base}?kind=domain_purchase&status=failed&limit=1&offset=0`);
    expect(rest.status).toBe(200);
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.data[0]).toMatchObject({ kind: 'domain_purchase', status: 'failed', result: null });
    expect(typeof rest.body.data[0].failed_reason).toBe('string');
    const tool = await s.call('amba-list-operations', {
      projectId: PROJECT,
      kind: 'domain_purchase',
      status: 'failed',
      limit: 1,
      offset: 0,
    });
    expectTypedViewOf(tool.structuredContent, rest.body);
    // limit is clamped into 1..200, not rejected
    const clamped = await s.call('amba-list-operations', { projectId: PROJECT, limit: 500 });
    expect(clamped.structuredContent.data).toHaveLength(8);
  });

  it('amba-wait-for-operation returns the terminal state and reports progress', async () => {
    s.sim.reset();
    const seen: Array<{ progress: number; message?: string }> = [];
    const r = await s.call(
      'amba-wait-for-operation',
      { projectId: PROJECT, operationId: LIVE, maxWaitSeconds: 10 },
      (p) => seen.push(p),
    );
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      done: true,
      data: { id: LIVE, status: 'succeeded', result: { domain: 'acme-robotics.dev' } },
    });
    expect(seen.length).toBeGreaterThan(0);
    const values = seen.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    expect(seen.at(-1)!.message).toBe('status: succeeded');
  });

  it('amba-wait-for-operation returns done: false after maxWaitSeconds', async () => {
    const r = await s.call('amba-wait-for-operation', {
      projectId: PROJECT,
      operationId: FOREVER,
      maxWaitSeconds: 0.3,
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ done: false, data: { id: FOREVER, status: 'running' } });
  });

  it('REST Prefer: wait returns the settled state and Preference-Applied', async () => {
    s.sim.reset();
    const r = await s.get(`${base}/${LIVE}`, { prefer: 'wait=10' });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('wait=10');
    expect(r.body).toMatchObject({ done: true, data: { status: 'succeeded' } });
  });

  it('vendor errors: invalid id, unknown id and bad filter', async () => {
    const invalid = await s.get(`${base}/not-a-uuid`);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      error: { code: 'INVALID_OPERATION_ID', message: 'operationId must be a valid UUID.' },
    });
    const missing = await s.get(`${base}/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const filter = await s.get(`${base}?status=done`);
    expect(filter.status).toBe(400);
    expect(filter.body.error.code).toBe('INVALID_QUERY');

    const t1 = await s.call('amba-get-operation', { projectId: PROJECT, operationId: 'not-a-uuid' });
    expect(t1.isError).toBe(true);
    expect(textOf(t1)).toMatch(/^Upstream returned 400: .*operationId must be a valid UUID/);
    const t2 = await s.call('amba-list-operations', { projectId: PROJECT, status: 'done' });
    expect(t2.isError).toBe(true);
    expect(textOf(t2)).toMatch(/Upstream returned 400: .*status must be one of pending, running, succeeded, failed/);
    const t3 = await s.call('amba-wait-for-operation', {
      projectId: PROJECT,
      operationId: '00000000-0000-4000-8000-000000000000',
      maxWaitSeconds: 1,
    });
    expect(t3.isError).toBe(true);
    expect(textOf(t3)).toMatch(/Upstream returned 404: .*No such operation on this project/);
  });
});
