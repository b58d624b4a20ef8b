/**
 * @module simulator/bctrl — bctrl durable operation endpoint (queued → … → terminal, step progress) with
 * `{code,message,details}` errors.
 */

import { Hono } from 'hono';
import type { Snapshot } from './lifecycle.ts';
import { bearerToken, isUuid, type VendorContext } from './context.ts';
import { BCTRL_OPERATIONS, BCTRL_WORKSPACE_ID, type BctrlFixture } from './fixtures.ts';

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

/** Router for everything under `<sim>/bctrl`. */
export function bctrlRoutes(ctx: VendorContext): Hono {
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
    const f = BCTRL_OPERATIONS.find((op) => op.id === id.toLowerCase());
    if (!f) return bctrlError(404, 'NOT_FOUND', 'Operation not found.');
    return c.json(operationView(ctx, f));
  });

  app.all('*', () => bctrlError(404, 'NOT_FOUND', 'Route not found.'));
  return app;
}
