/** End to end: capabilities/bctrl-operations.yaml over REST and MCP against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTypedViewOf, startStack, textOf, type Stack } from './harness.ts';
import { BCTRL_WORKSPACE_ID } from '../../src/simulator/index.ts';

const LIVE = 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9';
const FAILS = 'e2d3c4b5-a697-4869-9786-b5c4d3e2f1a0';
const FOREVER = 'd3c4b5a6-9786-4a5b-a877-c6d5e4f3a2b1';
const TIMED_OUT = 'b5a69788-7584-4c3d-8a59-e8f7a6b5c4d3';
const WATCH = '9e8d7c6b-5a49-4838-a726-1f0e9d8c7b6a';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe('bctrl-operations.yaml', () => {
  it('REST GET returns the vendor operation as sent, bctrl-get-operation its typed view', async () => {
    const rest = await s.get(`/bctrl/operations/${TIMED_OUT}`);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({
      id: TIMED_OUT,
      status: 'timed_out',
      runtime: 'chromium',
      runtimeKind: 'browser',
      workspaceId: BCTRL_WORKSPACE_ID,
      error: { code: 'TIMED_OUT', message: 'Operation exceeded its 600s deadline', details: {} },
      result: { mode: 'fail-fast', ok: false, runtime: 'chromium' },
      currentCall: null,
      cancelRequestedAt: null,
    });
    const steps = rest.body.result.steps;
    expect(steps[0]).toMatchObject({
      index: 0,
      call: 'page.goto',
      ok: true,
      resolved: { method: 'goto' },
      result: { durationMs: 200 },
    });
    // bctrl sends `error` only on failed steps and `resolved` only on ok ones: REST passes that through.
    expect(steps[0]).not.toHaveProperty('error');
    expect(steps.at(-1)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(steps.at(-1)).not.toHaveProperty('resolved');
    const tool = await s.call('bctrl-get-operation', { id: TIMED_OUT });
    expect(tool.isError).toBeFalsy();
    expectTypedViewOf(tool.structuredContent, rest.body);
    // The typed MCP view has every declared field, null where bctrl sent none.
    expect(tool.structuredContent.result.steps[0]).toMatchObject({ ok: true, error: null });
    expect(tool.structuredContent.result.steps.at(-1)).toMatchObject({ ok: false, resolved: null });
  });

  it('a queued run has null progress, result and error', async () => {
    // The run is queued for its first 50 ms after a reset: retry in case this machine is slow.
    let r;
    for (let i = 0; i < 5; i++) {
      s.sim.reset();
      r = await s.call('bctrl-get-operation', { id: FOREVER });
      if (r.structuredContent.status === 'queued') break;
    }
    expect(r!.structuredContent).toMatchObject({
      status: 'queued',
      progress: null,
      result: null,
      error: null,
      startedAt: null,
      currentCall: null,
    });
  });

  it('bctrl-wait-for-operation returns the terminal state with step progress', async () => {
    s.sim.reset();
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const r = await s.call('bctrl-wait-for-operation', { id: LIVE, maxWaitSeconds: 10 }, (p) => seen.push(p));
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      id: LIVE,
      status: 'succeeded',
      done: true,
      error: null,
      result: { ok: true },
    });
    expect(r.structuredContent.result.steps).toHaveLength(5);
    expect(seen.length).toBeGreaterThan(0);
    const values = seen.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    expect(seen.at(-1)).toEqual({ progress: 5, total: 5, message: 'Completed 5 of 5 steps' });
  });

  it('a failing run settles as failed with the step error', async () => {
    s.sim.reset();
    const r = await s.call('bctrl-wait-for-operation', { id: FAILS, maxWaitSeconds: 10 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      status: 'failed',
      done: true,
      error: { code: 'STEP_FAILED', message: 'No element matches ref "e42" on the current page' },
    });
  });

  it('bctrl-wait-for-operation returns done: false after maxWaitSeconds', async () => {
    const r = await s.call('bctrl-wait-for-operation', { id: FOREVER, maxWaitSeconds: 0.3 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ id: FOREVER, done: false, finishedAt: null });
    expect(['queued', 'dispatching', 'running']).toContain(r.structuredContent.status);
  });

  it('REST Prefer: wait returns the settled state and Preference-Applied', async () => {
    s.sim.reset();
    const r = await s.get(`/bctrl/operations/${LIVE}`, { prefer: 'wait=10' });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('wait=10');
    expect(r.body).toMatchObject({ status: 'succeeded', done: true });
  });

  it('vendor errors: invalid id and unknown id', async () => {
    const invalid = await s.get('/bctrl/operations/not-a-uuid');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      code: 'INVALID_REQUEST',
      message: 'Operation id must be a UUID.',
      details: { field: 'id' },
    });
    const missing = await s.get('/bctrl/operations/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', message: 'Operation not found.' });
    const tool = await s.call('bctrl-wait-for-operation', { id: 'not-a-uuid' });
    expect(tool.isError).toBe(true);
    expect(textOf(tool)).toMatch(/^Upstream returned 400: .*Operation id must be a UUID\./);
  });
});

describe('the demo operation to watch (bctrl on-demand run)', () => {
  // At TIME_SCALE 0.1 the run takes 0.7 s and is kept settled for 0.5 s before a read restarts it.
  const timedWait = async () => {
    const t0 = Date.now();
    const r = await s.get(`/operations/bctrl/${WATCH}`, { prefer: 'wait=10' });
    return { ms: Date.now() - t0, body: r.body };
  };

  it('Prefer: wait really waits for it, and again for a user who comes back later', async () => {
    s.sim.reset();
    const first = await timedWait();
    expect(first.body).toMatchObject({ status: 'succeeded', done: true, progress: { current: 6, total: 6 } });
    expect(first.ms).toBeGreaterThanOrEqual(600);
    await new Promise((r) => setTimeout(r, 600));
    const again = await timedWait();
    expect(again.body).toMatchObject({ status: 'succeeded', done: true });
    expect(again.ms).toBeGreaterThanOrEqual(600);
  });
});
