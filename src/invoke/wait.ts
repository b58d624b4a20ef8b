/**
 * @module invoke/wait — `x-capgate-wait`: repeat a consumed call until the value at `until` is
 * terminal, with interval, exponential backoff, jitter and a deadline. Progress is reported
 * from the vendor's own fields; cancellation stops at once. When the deadline passes the last
 * state is returned with `done: false` — waiting longer is the caller's choice, not an error.
 * The deadline bounds every poll too, one in flight included: a poll it cuts short ends the wait
 * with the last known state, or with UPSTREAM_TIMEOUT when no poll has answered yet.
 */
import type { ConsumedOperationPlan, OperationPlan, WaitPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import { callOperation } from '../consume/call.ts';
import { scopeLookup } from '../mapping/scope.ts';
import { isOneOf } from '../mapping/states.ts';
import { GatewayError } from '../common/errors.ts';
import { shapeResponse, parsed } from './upstream-result.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';
import type { UpstreamResponse } from '../consume/http.ts';
import { isPlainObject } from '../common/json.ts';

/**
 * The longest any caller may hold one request open waiting (REST `Prefer: wait`, MCP `maxWaitSeconds`, a declared
 * timeout).
 */
export const MAX_WAIT_MS = 300_000;

/**
 * The least time a poll is given, even at (or past) the deadline: the poll made when the last pause
 * ends still gets a chance to answer, and `wait=0` is one bounded read. A wait therefore ends at most
 * this long after its deadline.
 */
export const MIN_POLL_MS = 1_000;

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
  const waitMs = Math.min(Math.max(0, req.waitMs ?? w.timeoutMs), MAX_WAIT_MS);
  const deadline = deps.clock.now() + waitMs;
  let interval = w.intervalMs;
  let polls = 0;
  const reported = { last: -Infinity };
  // The last answered poll, shaped only if the wait ends on it (a mapping may match only the final state).
  let last: { res: UpstreamResponse; body: unknown } | undefined;
  const finish = (res: UpstreamResponse, done: boolean, body: unknown) =>
    withDone(shapeResponse(call, res, op.output, scopeLookup(scope)), done, body);
  for (;;) {
    const bound = Math.max(deadline - deps.clock.now(), MIN_POLL_MS);
    let res: UpstreamResponse;
    try {
      res = await callOperation(call, scope, deps, { signal: req.signal, timeoutMs: bound, trace: req.trace });
    } catch (err) {
      if (!cutShort(err, bound)) throw err;
      if (last) return finish(last.res, false, last.body);
      const origin = err.details.origin;
      throw new GatewayError(
        'UPSTREAM_TIMEOUT',
        `upstream ${origin} did not answer within the ${seconds(waitMs)} wait`,
        {
          details: { origin, limit: bound },
          cause: err,
        },
      );
    }
    polls++;
    // An error status ends the wait with the upstream's answer; a redirect passes or fails as in a single read.
    if (res.status >= 300) return shapeResponse(call, res, op.output, scopeLookup(scope));
    const body = parsed(call, res);
    const state = w.until.evaluate(body);
    const done = isOneOf(w.terminal, state);
    report(w, body, polls, reported, req);
    const remaining = deadline - deps.clock.now();
    // A gateway that is stopping answers with what it has rather than cutting the wait off; an operation that waits
    // for answers will not move until it gets them.
    if (done || remaining <= 0 || deps.draining?.aborted || (w.asking !== undefined && isOneOf(w.asking, state)))
      return finish(res, done, body);
    last = { res, body };
    const pause = Math.min(remaining, jittered(interval, w.jitter, deps.random));
    if ((await pauseUnlessDraining(deps, pause, req.signal)) === 'draining') return finish(res, false, body);
    interval = Math.min(interval * w.backoff, w.maxIntervalMs);
  }
}

/** Sleep between polls; cut short by the caller going away (CANCELLED) or by the gateway stopping ('draining'). */
export async function pauseUnlessDraining(
  deps: InvokeDeps,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<'slept' | 'draining'> {
  const draining = deps.draining;
  const both = draining ? (signal ? AbortSignal.any([signal, draining]) : draining) : signal;
  try {
    await deps.clock.sleep(ms, both);
    return 'slept';
  } catch {
    if (draining?.aborted && !signal?.aborted) return 'draining';
    throw new GatewayError('CANCELLED', 'the wait was cancelled');
  }
}

/**
 * A poll ended by the bound the wait gave it (the deadline), rather than by the client's own, shorter
 * timeout: the client reports the bound that fired as `limit`.
 */
function cutShort(err: unknown, bound: number): err is GatewayError {
  return err instanceof GatewayError && err.code === 'UPSTREAM_TIMEOUT' && err.details.limit === bound;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
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
export function withDone(result: InvokeResult, done: boolean, body: unknown): InvokeResult {
  let value: unknown;
  if (result.body.kind === 'json') value = result.body.value;
  else if (result.body.kind === 'raw') value = body;
  else return { ...result, done };
  if (isPlainObject(value)) value = { ...value, done };
  return { ...result, done, body: { kind: 'json', value } };
}
