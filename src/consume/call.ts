/**
 * @module consume/call — execute one consumed operation: build, authenticate, send, answer a
 * Digest challenge once, and hand back status, media type and raw body. Parsing by
 * `outputRawFormat` is separate (parse.ts) so pass-through responses never parse.
 */
import { digestAuthorization } from '../auth/index.ts';
import type { ConsumedOperationPlan } from '../plan/types.ts';
import type { Runtime } from '../runtime/context.ts';
import type { UpstreamResponse } from './http.ts';
import { buildRequest, checkedSecrets } from './request.ts';
import { applyAuth } from './auth.ts';
import { requestLookup, type Scope } from './lookup.ts';
import { compileTemplate, renderTemplate } from '../mapping/template.ts';

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Extra headers (forward's trusted headers). */
  readonly headers?: Record<string, string>;
  /** Raw body to send when the operation builds none (forward). */
  readonly body?: Uint8Array;
}

export async function callOperation(op: ConsumedOperationPlan, scope: Scope, rt: Runtime, opts: CallOptions = {}): Promise<UpstreamResponse> {
  const built = buildRequest(op, scope, rt);
  const lookup = requestLookup(op.upstream.capability, checkedSecrets(op.upstream, rt), scope);
  await applyAuth(op.upstream, built, lookup, rt);
  const headers = { accept: 'application/json, */*;q=0.5', ...opts.headers, ...built.headers };
  const body = built.body ?? opts.body;
  const send = (h: Record<string, string>) => rt.http.request({ url: built.url, method: built.method, headers: h, body, signal: opts.signal });
  const res = await send(headers);
  const auth = op.upstream.auth;
  if (res.status === 401 && auth?.type === 'digest') {
    const challenge = headerValue(res.headers['www-authenticate']);
    const answer = challenge
      ? digestAuthorization(challenge, {
          method: built.method,
          uri: built.url.pathname + built.url.search,
          username: render(auth.username, lookup),
          password: render(auth.password, lookup),
        })
      : undefined;
    if (answer) return send({ ...headers, authorization: answer });
  }
  return res;
}

function render(v: string, lookup: (n: string) => unknown): string {
  return v.includes('{{') ? renderTemplate(compileTemplate(v), lookup).text : v;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
