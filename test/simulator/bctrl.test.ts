import { describe, expect, it } from 'vitest';
import { SIMULATOR_TOKENS } from '../../src/simulator/index.ts';
import { bearer, fakeSimulator, T0 } from './harness.ts';

const AUTH = bearer(SIMULATOR_TOKENS.bctrl);
const OPS = '/bctrl/v1/operations';
const SUCCEEDS = 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9';
const FAILS = 'e2d3c4b5-a697-4869-9786-b5c4d3e2f1a0';
const FOREVER = 'd3c4b5a6-9786-4a5b-a877-c6d5e4f3a2b1';
const CANCELLED = 'c4b5a697-8695-4b4c-b968-d7e6f5a4b3c2';
const TIMED_OUT = 'b5a69788-7584-4c3d-8a59-e8f7a6b5c4d3';
const WATCH = '9e8d7c6b-5a49-4838-a726-1f0e9d8c7b6a';

describe('bctrl get operation', () => {
  it('goes queued → dispatching → running (step progress advancing) → succeeded', async () => {
    const h = fakeSimulator();
    const seen: { status: string; step?: number }[] = [];
    for (const ms of [0, 600, 1100, 2500, 3900, 4000]) {
      h.at(ms);
      const r = await h.get(`${OPS}/${SUCCEEDS}`, AUTH);
      expect(r.status).toBe(200);
      seen.push({ status: r.body.status, step: r.body.progress?.step });
    }
    expect(seen).toEqual([
      { status: 'queued', step: undefined },
      { status: 'dispatching', step: undefined },
      { status: 'running', step: 1 },
      { status: 'running', step: 3 },
      { status: 'running', step: 5 },
      { status: 'succeeded', step: 5 },
    ]);
  });

  it('reports progress details while running and a full result when done', async () => {
    const h = fakeSimulator();
    h.at(2500);
    const running = (await h.get(`${OPS}/${SUCCEEDS}`, AUTH)).body;
    expect(running.progress).toEqual({
      step: 3,
      totalSteps: 5,
      message: 'Step 3 of 5: page.click',
      currentCall: 'page.click',
      lastEventType: 'step.started',
    });
    expect(running).toMatchObject({ currentCall: 'page.click', result: null, error: null, finishedAt: null });
    expect(running.lastHeartbeatAt).not.toBeNull();
    h.at(5000);
    const done = (await h.get(`${OPS}/${SUCCEEDS}`, AUTH)).body;
    expect(done.result).toMatchObject({ mode: 'fail-fast', ok: true, runtime: 'chromium' });
    expect(done.result.steps).toHaveLength(5);
    expect(done).toMatchObject({ runtimeKind: 'browser', workspaceId: expect.any(String), currentCall: null });
    expect(done.finishedAt).not.toBeNull();
  });

  it('fails at the failing step with error and partial result', async () => {
    const h = fakeSimulator();
    h.at(10_000);
    const r = (await h.get(`${OPS}/${FAILS}`, AUTH)).body;
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'STEP_FAILED', details: { step: 2, stepErrorCode: 'UNKNOWN_REF' } });
    expect(r.result.ok).toBe(false);
    expect(r.result.steps.at(-1)).toMatchObject({ index: 2, ok: false, error: { code: 'UNKNOWN_REF' } });
  });

  it('passes through cancelling before cancelled', async () => {
    const h = fakeSimulator();
    h.at(3500);
    const cancelling = (await h.get(`${OPS}/${CANCELLED}`, AUTH)).body;
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.cancelRequestedAt).not.toBeNull();
    h.at(4000);
    const cancelled = (await h.get(`${OPS}/${CANCELLED}`, AUTH)).body;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error.code).toBe('CANCELLED');
  });

  it('keeps the desktop run going forever and reports a settled timed_out run', async () => {
    const h = fakeSimulator();
    h.at(86_400_000);
    const forever = (await h.get(`${OPS}/${FOREVER}`, AUTH)).body;
    expect(forever.status).toBe('running');
    expect(forever.progress).toMatchObject({ step: 2, totalSteps: 3 });
    expect(Date.parse(forever.lastHeartbeatAt)).toBeGreaterThan(Date.parse(forever.startedAt));
    expect((await h.get(`${OPS}/${TIMED_OUT}`, AUTH)).body.status).toBe('timed_out');
  });

  it('uses {code, message, details} errors for 400, 404 and 401', async () => {
    const h = fakeSimulator();
    const bad = await h.get(`${OPS}/123`, AUTH);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
      details: expect.any(Object),
    });
    const missing = await h.get(`${OPS}/00000000-0000-4000-8000-000000000000`, AUTH);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String), details: {} });
    const anon = await h.get(`${OPS}/${SUCCEEDS}`, bearer('sim-chainloop-token'));
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('UNAUTHORIZED');
  });
});

describe('bctrl on-demand run (the demo operation to watch)', () => {
  const view = async (h: ReturnType<typeof fakeSimulator>) => {
    const b = (await h.get(`${OPS}/${WATCH}`, AUTH)).body;
    return { status: b.status, step: b.progress?.step, createdAt: b.createdAt };
  };

  it('plays queued → running through 6 steps → succeeded over 7 s from simulator start', async () => {
    const h = fakeSimulator();
    const seen = [];
    for (const ms of [0, 1500, 4100, 6900, 7000]) {
      h.at(ms);
      seen.push(await view(h));
    }
    expect(seen.map((v) => [v.status, v.step])).toEqual([
      ['queued', undefined],
      ['running', 1],
      ['running', 4],
      ['running', 6],
      ['succeeded', 6],
    ]);
  });

  it('a read once the run has been settled for 5 s starts a fresh run at that read, so a late user sees it too', async () => {
    const h = fakeSimulator();
    h.at(11_900);
    expect((await view(h)).status).toBe('succeeded');
    h.at(60_000);
    const fresh = await view(h);
    expect(fresh.status).toBe('queued');
    expect(fresh.createdAt).toBe(new Date(T0 + 60_000).toISOString());
    h.at(63_000);
    expect(await view(h)).toMatchObject({ status: 'running', step: 3 });
    h.at(67_000);
    expect((await view(h)).status).toBe('succeeded');
    // Reads while it is settled (a wait's last poll, a second look) keep the result.
    h.at(71_900);
    expect((await view(h)).status).toBe('succeeded');
  });

  it('reset() restarts it with the other fixtures', async () => {
    const h = fakeSimulator();
    h.at(60_000);
    expect((await view(h)).status).toBe('queued');
    h.at(63_000);
    h.sim.reset();
    expect((await view(h)).status).toBe('queued');
    h.at(70_000);
    expect((await view(h)).status).toBe('succeeded');
  });
});
