/**
 * @module invoke/wait — `x-capgate-wait`: repeat a consumed call until the value at `until` is
 * terminal, with interval, exponential backoff, jitter and a deadline. Progress is reported
 * from the vendor's own fields; cancellation stops at once. When the deadline passes the last
 * state is returned with `done: false` — waiting longer is the caller's choice, not an error.
 */
import type { ConsumedOperationPlan, OperationPlan, WaitPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import { callOperation } from '../consume/call.ts';
import { scopeLookup } from '../mapping/scope.ts';
import { GatewayError } from '../common/errors.ts';
import { shapeResponse, parsed } from './upstream-result.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';
import { isPlainObject } from '../common/json.ts';

/**
 * The longest any caller may hold one request open waiting (REST `Prefer: wait`, MCP `maxWaitSeconds`, a declared
 * timeout).
 */
export const MAX_WAIT_MS = 300_000;

export async function waitForOperation(
  op: OperationPlan,
  call: ConsumedOperationPlan,
  scope: Record<string, unknown>,
  req: InvokeRequest,
  deps: InvokeDeps,
): Promise<InvokeResult> {
  deps.observer?.waiting(1);
  try {
    return await pollUntilSettled(op, call, scope, req, deps);
  } finally {
    deps.observer?.waiting(-1);
  }
}

async function pollUntilSettled(
  op: OperationPlan,
  call: ConsumedOperationPlan,
  scope: Record<string, unknown>,
  req: InvokeRequest,
  deps: InvokeDeps,
): Promise<InvokeResult> {
  const w = op.wait!;
  const deadline = deps.clock.now() + Math.min(Math.max(0, req.waitMs ?? w.timeoutMs), MAX_WAIT_MS);
  let interval = w.intervalMs;
  let polls = 0;
  const reported = { last: -Infinity };
  for (;;) {
    const res = await callOperation(call, scope, deps, { signal: req.signal, trace: req.trace });
    polls++;
    if (res.status >= 400) return shapeResponse(call, res, op.output, scopeLookup(scope));
    const body = parsed(call, res);
    const state = w.until.evaluate(body);
    const done = w.terminal.some((t) => t === state || String(t) === String(state));
    report(w, body, polls, reported, req);
    const remaining = deadline - deps.clock.now();
    if (done || remaining <= 0) return withDone(shapeResponse(call, res, op.output, scopeLookup(scope)), done, body);
    const pause = Math.min(remaining, jittered(interval, w.jitter, deps.random));
    await deps.clock.sleep(pause, req.signal).catch(() => {
      throw new GatewayError('CANCELLED', 'the wait was cancelled');
    });
    interval = Math.min(interval * w.backoff, w.maxIntervalMs);
  }
}

function jittered(interval: number, jitter: number, random: () => number): number {
  return Math.max(1, Math.round(interval * (1 + jitter * (2 * random() - 1))));
}

/**
 * One progress notification per poll whose progress moved forward (MCP requires it to increase).
 * Without a vendor counter progress is the poll count; with one, a poll before the vendor reports
 * anything counts as 0.
 */
function report(w: WaitPlan, body: unknown, polls: number, reported: { last: number }, req: InvokeRequest): void {
  if (!req.progress) return;
  const current = num(w.progress?.current?.evaluate(body));
  const total = num(w.progress?.total?.evaluate(body));
  const message = w.progress?.message?.evaluate(body);
  const state = w.until.evaluate(body);
  const progress = current ?? (w.progress?.current ? 0 : polls);
  if (progress <= reported.last) return;
  reported.last = progress;
  req.progress({
    progress,
    ...(total !== undefined ? { total } : {}),
    message: typeof message === 'string' && message ? message : `status: ${String(state)}`,
  });
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Put `done` on an object result; the raw pass-through case is re-expressed as JSON. */
function withDone(result: InvokeResult, done: boolean, body: unknown): InvokeResult {
  let value: unknown;
  if (result.body.kind === 'json') value = result.body.value;
  else if (result.body.kind === 'raw') value = body;
  else return { ...result, done };
  if (isPlainObject(value)) value = { ...value, done };
  return { ...result, done, body: { kind: 'json', value } };
}
