/**
 * @module simulator/bctrl — bctrl durable operation endpoints (queued → … → terminal, step progress): get, run a
 * list of calls as a new operation, cancel one; `{code,message,details}` errors.
 */

import { Hono } from 'hono';
import type { Snapshot } from './lifecycle.ts';
import { bearerToken, isUuid, type VendorContext } from './context.ts';
import { BCTRL_OPERATIONS, BCTRL_WORKSPACE_ID, type BctrlFixture } from './fixtures.ts';
import { cancelledAt, newOperationId, startedAt, type StartedOperations } from './started.ts';

/** Fraction of the run after which a to-be-cancelled operation reports `cancelling`. */
const CANCEL_AT = 0.75;
/** A never-settling run advances one step per second but never reaches its last step. */
const FOREVER_STEP_MS = 1000;

function bctrlError(status: number, code: string, message: string, details: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ code, message, details }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function statusOf(f: BctrlFixture, s: Snapshot): string {
  if (s.phase === 'pending') {
    // The accepted half waits in the queue, the second half is being handed to a runtime.
    return s.age < f.schedule.pendingMs / 2 ? 'queued' : 'dispatching';
  }
  if (s.phase === 'running') {
    return f.schedule.outcome === 'cancelled' && s.fraction >= CANCEL_AT ? 'cancelling' : 'running';
  }
  return s.phase;
}

/** 0-based index of the step being executed (or last reached) at snapshot `s`. */
function stepIndex(f: BctrlFixture, s: Snapshot): number {
  const n = f.calls.length;
  let idx: number;
  if (!Number.isFinite(f.schedule.runningMs)) idx = Math.min(n - 2, Math.floor(s.runningFor / FOREVER_STEP_MS));
  else if (s.phase === 'succeeded') idx = n - 1;
  else idx = Math.min(n - 1, Math.floor(s.fraction * n));
  if (f.failure) idx = Math.min(idx, f.failure.step);
  if (f.schedule.outcome === 'cancelled') idx = Math.min(idx, Math.floor(CANCEL_AT * n));
  return Math.max(0, idx);
}

const TERMINAL_EVENT: Record<string, string> = {
  succeeded: 'operation.succeeded',
  failed: 'operation.failed',
  cancelled: 'operation.cancelled',
  timed_out: 'operation.timed_out',
};

function progressOf(f: BctrlFixture, s: Snapshot, status: string): Record<string, unknown> | null {
  if (s.phase === 'pending') return null;
  const n = f.calls.length;
  const idx = stepIndex(f, s);
  const call = f.calls[idx];
  const terminal = s.finishedAt !== undefined;
  return {
    step: idx + 1,
    totalSteps: n,
    message: terminal && s.phase === 'succeeded' ? `Completed ${n} of ${n} steps` : `Step ${idx + 1} of ${n}: ${call}`,
    currentCall: call,
    lastEventType: terminal
      ? TERMINAL_EVENT[s.phase]
      : status === 'cancelling'
        ? 'operation.cancel_requested'
        : 'step.started',
  };
}

function stepResult(f: BctrlFixture, index: number): Record<string, unknown> {
  const call = f.calls[index];
  return {
    index,
    call,
    ok: true,
    resolved: {
      call,
      contextId: null,
      handleId: null,
      method: call.split('.').pop() ?? call,
      pageId: f.runtimeKind === 'browser' ? `page_${f.id.slice(0, 8)}` : null,
      ref: null,
      sessionId: `sess_${f.id.slice(0, 8)}`,
      target: f.runtime,
    },
    result: { durationMs: 200 + index * 150 },
  };
}

function resultOf(f: BctrlFixture, s: Snapshot): Record<string, unknown> | null {
  if (s.finishedAt === undefined) return null;
  const ok = s.phase === 'succeeded';
  const reached = stepIndex(f, s);
  const steps = Array.from({ length: ok ? f.calls.length : reached }, (_, i) => stepResult(f, i));
  if (f.failure && !ok) {
    steps.push({
      index: reached,
      call: f.calls[reached],
      ok: false,
      error: { code: f.failure.code, message: f.failure.message },
    });
  }
  return { mode: 'fail-fast', ok, runtime: f.runtime, steps };
}

function errorOf(f: BctrlFixture, s: Snapshot): Record<string, unknown> | null {
  switch (s.phase) {
    case 'failed':
      return {
        code: 'STEP_FAILED',
        message: f.failure?.message ?? 'A step failed.',
        details: { step: stepIndex(f, s), call: f.calls[stepIndex(f, s)], stepErrorCode: f.failure?.code ?? 'UNKNOWN' },
      };
    case 'timed_out':
      return { code: 'TIMED_OUT', message: f.failure?.message ?? 'The operation exceeded its deadline.', details: {} };
    case 'cancelled':
      return { code: 'CANCELLED', message: 'The operation was cancelled on request.', details: {} };
    default:
      return null;
  }
}

function operationView(ctx: VendorContext, f: BctrlFixture): Record<string, unknown> {
  const s = ctx.snapshot(f.id, f.schedule);
  const status = statusOf(f, s);
  const running = s.phase === 'running';
  const cancelAt = s.startedAt !== undefined ? s.startedAt + CANCEL_AT * f.schedule.runningMs : undefined;
  const cancelRequested = f.schedule.outcome === 'cancelled' && (status === 'cancelling' || s.phase === 'cancelled');
  const heartbeat = running ? s.startedAt! + Math.floor(s.runningFor / 1000) * 1000 : s.finishedAt;
  return {
    id: f.id,
    status,
    progress: progressOf(f, s, status),
    result: resultOf(f, s),
    error: errorOf(f, s),
    currentCall: running ? f.calls[stepIndex(f, s)] : null,
    createdAt: ctx.clock.iso(s.createdAt),
    startedAt: s.startedAt !== undefined ? ctx.clock.iso(s.startedAt) : null,
    finishedAt: s.finishedAt !== undefined ? ctx.clock.iso(s.finishedAt) : null,
    lastHeartbeatAt: heartbeat !== undefined ? ctx.clock.iso(heartbeat) : null,
    cancelRequestedAt: cancelRequested && cancelAt !== undefined ? ctx.clock.iso(cancelAt) : null,
    runtime: f.runtime,
    runtimeId: f.runtimeId,
    runtimeKind: f.runtimeKind,
    workspaceId: BCTRL_WORKSPACE_ID,
  };
}

/** How long each call of a submitted run takes (schedule ms). */
const CALL_MS = 1000;
const MAX_CALLS = 50;
const RUNTIMES: Record<string, { kind: BctrlFixture['runtimeKind']; id: string }> = {
  chromium: { kind: 'browser', id: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a' },
  'ubuntu-desktop': { kind: 'desktop', id: '1e2f3a4b-5c6d-4e7f-9a8b-9c0d1e2f3a4b' },
  sheets: { kind: 'spreadsheet', id: '2f3a4b5c-6d7e-4f8a-8b9c-0d1e2f3a4b5c' },
};

/** A run of `calls`, one second each; the first call whose name contains `fail` fails the run there. */
function submittedRun(ctx: VendorContext, runtime: string, calls: string[]): BctrlFixture {
  const failing = calls.findIndex((c) => c.includes('fail'));
  const rt = RUNTIMES[runtime];
  return {
    id: newOperationId(),
    runtime,
    runtimeKind: rt.kind,
    runtimeId: rt.id,
    schedule: startedAt(ctx.clock.elapsed(), calls.length * CALL_MS, failing < 0 ? 'succeeded' : 'failed'),
    calls,
    ...(failing < 0
      ? {}
      : { failure: { step: failing, code: 'CALL_FAILED', message: `Call ${calls[failing]} failed on the runtime` } }),
  };
}

/** Router for everything under `<sim>/bctrl`. */
export function bctrlRoutes(ctx: VendorContext, started: StartedOperations<BctrlFixture>): Hono {
  const find = (id: string) => BCTRL_OPERATIONS.find((op) => op.id === id.toLowerCase()) ?? started.find(id);
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (bearerToken(c.req.raw.headers) !== ctx.token) {
      return bctrlError(401, 'UNAUTHORIZED', 'Missing or invalid bearer token.');
    }
    await next();
  });

  app.get('/v1/operations/:id', (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return bctrlError(400, 'INVALID_REQUEST', 'Operation id must be a UUID.', { field: 'id' });
    const f = find(id);
    if (!f) return bctrlError(404, 'NOT_FOUND', 'Operation not found.');
    return c.json(operationView(ctx, f));
  });

  app.post('/v1/operations', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { runtime?: unknown; calls?: unknown } | undefined;
    const runtime = body?.runtime === undefined ? 'chromium' : body.runtime;
    if (typeof runtime !== 'string' || !Object.hasOwn(RUNTIMES, runtime)) {
      return bctrlError(400, 'INVALID_REQUEST', `runtime must be one of ${Object.keys(RUNTIMES).join(', ')}.`, {
        field: 'runtime',
      });
    }
    const calls = body?.calls;
    if (
      !Array.isArray(calls) ||
      calls.length < 1 ||
      calls.length > MAX_CALLS ||
      !calls.every((x) => typeof x === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(x))
    ) {
      return bctrlError(400, 'INVALID_REQUEST', `calls must be 1 to ${MAX_CALLS} call names such as page.goto.`, {
        field: 'calls',
      });
    }
    const f = started.add(submittedRun(ctx, runtime, calls as string[]));
    return c.json(operationView(ctx, f), 202);
  });

  // Only runs submitted here can be cancelled; one that has settled cannot.
  app.post('/v1/operations/:id/cancel', (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return bctrlError(400, 'INVALID_REQUEST', 'Operation id must be a UUID.', { field: 'id' });
    const f = started.find(id);
    if (!f) {
      return find(id)
        ? bctrlError(409, 'NOT_CANCELLABLE', 'This operation cannot be cancelled.')
        : bctrlError(404, 'NOT_FOUND', 'Operation not found.');
    }
    const now = ctx.clock.elapsed();
    if (ctx.snapshot(f.id, f.schedule).finishedAt !== undefined) {
      return bctrlError(409, 'ALREADY_FINISHED', 'The operation has already finished.');
    }
    const cancelled = { ...f, schedule: cancelledAt(f.schedule, now) };
    started.set(cancelled);
    return c.json(operationView(ctx, cancelled), 202);
  });

  app.all('*', () => bctrlError(404, 'NOT_FOUND', 'Route not found.'));
  return app;
}
