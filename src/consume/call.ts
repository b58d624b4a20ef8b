/**
 * @module consume/call — execute one consumed operation: build, authenticate, send, answer a
 * Digest challenge once, and hand back status, media type and raw body. Parsing by
 * `outputRawFormat` happens later (invoke/shape.ts), so pass-through responses are never parsed.
 * A redirect or error answer has the secrets it may echo scrubbed here, the one place every
 * upstream answer passes (REST, MCP, steps, waits, forward); success answers are not scanned.
 */
import { digestAuthorization } from '../auth/index.ts';
import type { ConsumedOperationPlan } from '../plan/types.ts';
import type { ConsumeDeps } from './deps.ts';
import type { UpstreamResponse } from './http.ts';
import { buildRequest, type BuiltRequest } from './request.ts';
import { applyAuth } from './auth.ts';
import type { Scope } from '../mapping/scope.ts';
import { renderSecretText } from '../secrets/inject.ts';
import { GatewayError } from '../common/errors.ts';
import type { RequestTrace } from '../common/observe.ts';
import { scrubBytes, scrubNeedles, scrubText, type ScrubNeedle } from '../secrets/scrub.ts';

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Extra headers (forward's trusted headers). */
  readonly headers?: Record<string, string>;
  /** Raw body to send when the operation builds none (forward). */
  readonly body?: Uint8Array;
  /** The inbound request's identity: its id and trace context go upstream, and the call is counted on it. */
  readonly trace?: RequestTrace;
  /** A tighter bound for each request of the call, in ms (a wait's time left; a Digest answer gets it too). */
  readonly timeoutMs?: number;
}

/** One upstream call, reported to the observer (namespace, operation, status or error code, time). */
export async function callOperation(
  op: ConsumedOperationPlan,
  scope: Scope,
  deps: ConsumeDeps,
  opts: CallOptions = {},
): Promise<UpstreamResponse> {
  const observer = deps.observer;
  if (!observer) return exchange(op, scope, deps, opts);
  const started = performance.now();
  let status: number | string = 'INTERNAL';
  try {
    const res = await exchange(op, scope, deps, opts);
    status = res.status;
    return res;
  } catch (err) {
    status = err instanceof GatewayError ? err.code : 'INTERNAL';
    throw err;
  } finally {
    observer.upstream({
      namespace: op.upstream.namespace,
      operation: op.name,
      status,
      seconds: (performance.now() - started) / 1000,
    });
  }
}

async function exchange(
  op: ConsumedOperationPlan,
  scope: Scope,
  deps: ConsumeDeps,
  opts: CallOptions,
): Promise<UpstreamResponse> {
  const built = buildRequest(op, scope, deps);
  const lookup = built.lookup;
  if (op.upstream.auth) await applyAuth(op.upstream, built, lookup, deps);
  const trace = opts.trace;
  if (trace) {
    trace.upstreamCalls++;
    built.headers['x-request-id'] = trace.id;
    if (trace.traceparent) built.headers.traceparent = trace.traceparent;
  }
  const headers = opts.headers ? withTrusted(built.headers, opts.headers) : built.headers;
  const body = built.body ?? opts.body;
  let res = await send(deps, built, headers, body, opts.signal, opts.timeoutMs);
  const auth = op.upstream.auth;
  if (res.status === 401 && auth?.type === 'digest') {
    const challenge = headerValue(res.headers['www-authenticate']);
    const answer = challenge
      ? digestAuthorization(challenge, {
          method: built.method,
          uri: built.url.pathname + built.url.search,
          username: renderSecretText(auth.username, lookup).text,
          password: renderSecretText(auth.password, lookup).text,
        })
      : undefined;
    if (answer) res = await send(deps, built, { ...headers, authorization: answer }, body, opts.signal, opts.timeoutMs);
  }
  if (res.status < 300) return res;
  const sent = headers.authorization;
  return scrubbed(res, scrubNeedles(deps.secretsOf(op.upstream.capability), sent ? [sent] : []));
}

/** The answer without the secrets it echoes, in its body and every header value. */
function scrubbed(res: UpstreamResponse, needles: readonly ScrubNeedle[]): UpstreamResponse {
  if (!needles.length) return res;
  const body = scrubBytes(res.body, needles);
  const headers: UpstreamResponse['headers'] = {};
  for (const [name, v] of Object.entries(res.headers))
    headers[name] = Array.isArray(v)
      ? v.map((x) => scrubText(x, needles))
      : v === undefined
        ? v
        : scrubText(v, needles);
  return { ...res, body, headers };
}

// A module function, not a per-call closure: this runs on every upstream call (docs/performance.md).
function send(
  deps: ConsumeDeps,
  built: BuiltRequest,
  headers: Record<string, string>,
  body: CallBody,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<UpstreamResponse> {
  const req = { url: built.url, method: built.method, headers, body, signal };
  return deps.http.request(timeoutMs === undefined ? req : { ...req, timeoutMs });
}

type CallBody = BuiltRequest['body'] | Uint8Array;

/** Forwarded (trusted) headers fill what the operation does not set; a caller's Accept replaces the default. */
function withTrusted(own: Record<string, string>, trusted: Record<string, string>): Record<string, string> {
  const out = { ...own };
  for (const [k, v] of Object.entries(trusted)) if (!(k in out) || k === 'accept') out[k] = v;
  return out;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
