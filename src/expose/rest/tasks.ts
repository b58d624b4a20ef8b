/**
 * @module expose/rest/tasks — REST async for routes with `x-capgate-task`: `Prefer: respond-async` answers
 * `202 Accepted` with `Location` (a status URL under TASKS_PATH carrying the signed task id, so any replica answers
 * it) and `Retry-After`; `GET` on it reads the normalised state (with the route's own result once terminal, the
 * open questions while the operation waits for input), `Prefer: wait=N` waits for it, `POST` answers its questions,
 * `DELETE` cancels where the upstream offers cancellation. Each status request is authenticated as the route that
 * started the task.
 */
import type { RestRoutePlan } from '../../plan/types.ts';
import type { InvokeRequest, InvokeResult } from '../../invoke/types.ts';
import type { TaskState } from '../../invoke/task.ts';
import type { TaskHandle, TaskKind } from '../../invoke/task-handle.ts';
import type { RequestTrace } from '../../common/observe.ts';
import { GatewayError } from '../../common/errors.ts';
import { isPlainObject, parseJsonOrUndefined } from '../../common/json.ts';
import { problemResponse } from './problem.ts';
import { parsePreferWait } from './prefer.ts';

/** Where task status URLs live on every REST port. */
export const TASKS_PATH = '/_capgate/tasks';

/** What the REST app needs to run tasks (the gateway builds it from invoke/task and the shared signing key). */
export interface RestTasks {
  start(
    route: RestRoutePlan,
    req: InvokeRequest,
  ): Promise<{ state: TaskState; result?: undefined } | { result: InvokeResult; state?: undefined }>;
  peek(id: string): { kind: TaskKind; target: string } | undefined;
  open(id: string): TaskHandle;
  read(route: RestRoutePlan, handle: TaskHandle, id: string, call: TaskCall): Promise<TaskState>;
  cancel(route: RestRoutePlan, handle: TaskHandle, id: string, call: TaskCall): Promise<TaskState>;
  wait(route: RestRoutePlan, handle: TaskHandle, id: string, waitMs: number, call: TaskCall): Promise<TaskState>;
  /** Answer open questions (keys → `{action, content}`); INPUT_INVALID, with nothing sent, when one does not fit. */
  answer(
    route: RestRoutePlan,
    handle: TaskHandle,
    id: string,
    responses: Record<string, unknown>,
    call: TaskCall,
  ): Promise<void>;
  /** The longest a status request may wait, in seconds. */
  readonly maxWaitSeconds: number;
}

export interface TaskCall {
  readonly signal?: AbortSignal;
  readonly trace?: RequestTrace;
}

/** A route's key inside a task id: its method and path as registered. */
export function routeKey(route: RestRoutePlan): string {
  return `${route.method} ${route.path}`;
}

/** `Prefer: respond-async` (RFC 7240), alone or beside other preferences. */
export function prefersAsync(prefer: string | null): boolean {
  if (!prefer) return false;
  return prefer.split(',').some((p) => /^\s*respond-async\s*(;.*)?$/i.test(p));
}

/** 202 Accepted for a started task, or the plain answer (`render`) when there was nothing to follow. */
export async function startAsync(
  tasks: RestTasks,
  route: RestRoutePlan,
  req: InvokeRequest,
  render: (result: InvokeResult) => Response,
): Promise<Response> {
  const started = await tasks.start(route, req);
  if (started.result) return render(started.result);
  const state = started.state!;
  // Settled at once (an operation read that had already finished): the answer is the result itself.
  if (state.status !== 'working' && state.result) return render(state.result);
  return stateResponse(state, 202, { 'preference-applied': 'respond-async', location: statusUrl(state.id) });
}

export function statusUrl(id: string): string {
  return `${TASKS_PATH}/${id}`;
}

/**
 * A request to a status URL: which route's task it is, checked by that route's guard, then the read, wait or
 * cancellation. A forged id is 404, an expired one 410.
 */
export async function taskRequest(
  tasks: RestTasks,
  routes: ReadonlyMap<string, RestRoutePlan>,
  req: Request,
  id: string,
  guard: ((route: RestRoutePlan, req: Request) => Promise<Response | undefined>) | undefined,
  trace: RequestTrace,
  body: () => Promise<Uint8Array | undefined> = async () => undefined,
): Promise<Response> {
  const claim = tasks.peek(id);
  const route = claim?.kind === 'rest' ? routes.get(claim.target) : undefined;
  if (!route) {
    return problemResponse(
      new GatewayError('NOT_FOUND', 'no such task: the task id is not one this gateway issued', {
        details: { reason: 'invalid' },
      }),
    );
  }
  if (guard && route.adapter.auth) {
    const denied = await guard(route, req);
    if (denied) return denied;
  }
  const handle = tasks.open(id);
  const call = { signal: req.signal, trace };
  switch (req.method) {
    case 'GET':
    case 'HEAD': {
      const wait = parsePreferWait(req.headers.get('prefer'), tasks.maxWaitSeconds);
      const state =
        wait === undefined
          ? await tasks.read(route, handle, id, call)
          : await tasks.wait(route, handle, id, wait * 1000, call);
      const res = stateResponse(state, 200, wait === undefined ? {} : { 'preference-applied': `wait=${wait}` });
      return req.method === 'HEAD' ? new Response(null, { status: res.status, headers: res.headers }) : res;
    }
    case 'DELETE':
      return stateResponse(await tasks.cancel(route, handle, id, call), 200);
    case 'POST':
      await tasks.answer(route, handle, id, answersOf(await body()), call);
      return stateResponse(await tasks.read(route, handle, id, call), 200);
    default:
      return problemResponse(
        new GatewayError('METHOD_NOT_ALLOWED', `${req.method} is not supported on a task`, {
          details: { allowed: ['GET', 'HEAD', 'POST', 'DELETE'] },
        }),
        { allow: 'GET, HEAD, POST, DELETE, OPTIONS' },
      );
  }
}

/** A POST body answering a task's questions: a JSON object of question keys → `{action, content}`. */
function answersOf(bytes: Uint8Array | undefined): Record<string, unknown> {
  const text = bytes ? Buffer.from(bytes).toString('utf8') : '';
  const value = text.trim() === '' ? undefined : parseJsonOrUndefined(text);
  if (!isPlainObject(value)) {
    throw new GatewayError(
      'INPUT_INVALID',
      'the answers must be a JSON object of question keys, each {"action": "accept", "content": {…}} (or "decline")',
    );
  }
  return value;
}

/**
 * The normalised task state: status, timing, progress, the open questions while the operation waits for input and,
 * once terminal, the route's own result.
 */
export function taskBody(s: TaskState): Record<string, unknown> {
  const body: Record<string, unknown> = { id: s.id, status: s.status };
  if (s.message !== undefined) body.message = s.message;
  if (s.operationId !== undefined) body.operationId = s.operationId;
  if (s.vendorStatus !== undefined) body.vendorStatus = s.vendorStatus;
  if (s.progress) body.progress = s.progress;
  if (s.questions) body.questions = s.questions;
  body.createdAt = new Date(s.createdAt).toISOString();
  body.updatedAt = new Date(s.updatedAt).toISOString();
  body.expiresAt = new Date(s.expiresAt).toISOString();
  body.pollIntervalMs = s.pollIntervalMs;
  if (s.result) {
    body.resultStatus = s.result.status;
    body.result = bodyValue(s.result);
  }
  return body;
}

function stateResponse(s: TaskState, status: number, headers: Record<string, string> = {}): Response {
  const h: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers };
  if (s.status === 'working' || s.status === 'input_required')
    h['retry-after'] = String(Math.max(1, Math.ceil(s.pollIntervalMs / 1000)));
  return new Response(JSON.stringify(taskBody(s)), { status, headers: h });
}

/** A result body as JSON: parsed when it is JSON, else its text; null when empty. */
function bodyValue(r: InvokeResult): unknown {
  const b = r.body;
  if (b.kind === 'json') return b.value;
  if (b.kind === 'empty') return null;
  const text = b.bytes.toString('utf8');
  if (b.json !== undefined) return b.json;
  return /json/i.test(b.contentType) ? (parseJsonOrUndefined(text) ?? text) : text;
}
