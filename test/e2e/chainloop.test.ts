/** End to end: capabilities/chainloop-operations.yaml over REST and MCP against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTypedViewOf, startStack, textOf, type Stack } from './harness.ts';
import { CHAINLOOP_PROJECT_ID } from '../../src/simulator/index.ts';

const LIVE = 'a1c3e5f7-2b4d-4f6a-8c0e-1d3f5a7b9c2e';
const FOREVER = 'c3e5a7b9-4d6f-4b8c-8e2a-3f5b7c9d1e4a';
const SETTLED = 'd4f6b8c0-5e7a-4c9d-9f3b-4a6c8d0e2f5b';
const decode = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe('chainloop-operations.yaml', () => {
  it('REST GET returns the vendor operation as sent, chainloop-get-operation its typed view', async () => {
    const rest = await s.get(`/chainloop/operations/${SETTLED}`);
    expect(rest.status).toBe(200);
    expect(rest.body.operation).toMatchObject({
      id: SETTLED,
      kind: 'risk_assessment',
      status: 'ASYNC_OPERATION_STATUS_COMPLETED',
      error_message: '',
      resource_type: 'risk_assessment',
      project_id: CHAINLOOP_PROJECT_ID,
    });
    expect(decode(rest.body.operation.output)).toEqual({ risk_level: 'low', findings: 2 });
    const tool = await s.call('chainloop-get-operation', { operation_id: SETTLED });
    expect(tool.isError).toBeFalsy();
    expectTypedViewOf(tool.structuredContent, rest.body);
  });

  it('timestamps the vendor omits (not started yet) come back as null', async () => {
    // The operation is pending for its first 100 ms after a reset: retry in case this machine is slow.
    let r;
    for (let i = 0; i < 5; i++) {
      s.sim.reset();
      r = await s.call('chainloop-get-operation', { operation_id: FOREVER });
      if (r.structuredContent.operation.status === 'ASYNC_OPERATION_STATUS_PENDING') break;
    }
    expect(r!.structuredContent.operation).toMatchObject({
      status: 'ASYNC_OPERATION_STATUS_PENDING',
      started_at: null,
      finished_at: null,
    });
  });

  it('chainloop-wait-for-operation returns the terminal state and reports progress', async () => {
    s.sim.reset();
    const seen: Array<{ progress: number }> = [];
    const r = await s.call('chainloop-wait-for-operation', { operation_id: LIVE, maxWaitSeconds: 10 }, (p) =>
      seen.push(p),
    );
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      done: true,
      operation: { id: LIVE, status: 'ASYNC_OPERATION_STATUS_COMPLETED' },
    });
    expect(decode(r.structuredContent.operation.output)).toEqual({
      evaluation: 'passed',
      policies_evaluated: 12,
      violations: 0,
    });
    expect(seen.length).toBeGreaterThan(0);
    const values = seen.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
  });

  it('chainloop-wait-for-operation returns done: false after maxWaitSeconds', async () => {
    const r = await s.call('chainloop-wait-for-operation', { operation_id: FOREVER, maxWaitSeconds: 0.3 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ done: false, operation: { id: FOREVER } });
    expect(['ASYNC_OPERATION_STATUS_PENDING', 'ASYNC_OPERATION_STATUS_RUNNING']).toContain(
      r.structuredContent.operation.status,
    );
  });

  it('REST Prefer: wait returns the settled state and Preference-Applied', async () => {
    s.sim.reset();
    const r = await s.get(`/chainloop/operations/${LIVE}`, { prefer: 'wait=10' });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('wait=10');
    expect(r.body).toMatchObject({ done: true, operation: { status: 'ASYNC_OPERATION_STATUS_COMPLETED' } });
  });

  it('vendor errors: invalid id and unknown id', async () => {
    const invalid = await s.get('/chainloop/operations/not-a-uuid');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ code: 3, message: 'invalid operation_id: must be a UUID', details: [] });
    const missing = await s.get('/chainloop/operations/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 5, message: 'async operation not found' });
    const tool = await s.call('chainloop-get-operation', { operation_id: '00000000-0000-4000-8000-000000000000' });
    expect(tool.isError).toBe(true);
    expect(textOf(tool)).toMatch(/^Upstream returned 404: .*async operation not found/);
  });
});
