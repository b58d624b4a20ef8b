/**
 * @module invoke/forward — `forward`: proxy the request remainder to a consumed namespace.
 * Method, path, query string and body pass through; only trusted headers are copied (never the
 * caller's Authorization or cookies unless listed); consumes-level parameters and auth apply.
 */
import type { ActionPlan, ConsumedOperationPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import type { Template } from '../mapping/template.ts';
import { callOperation } from '../consume/call.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';
import { decodeOrKeep } from '../common/text.ts';
import { withHeaders } from './upstream-result.ts';

type Forward = Extract<ActionPlan, { kind: 'forward' }>;

export async function forward(action: Forward, req: InvokeRequest, deps: InvokeDeps): Promise<InvokeResult> {
  const f = req.forward!;
  const segments = f.path.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  const op: ConsumedOperationPlan = {
    upstream: action.upstream,
    name: 'forward',
    method: f.method as ConsumedOperationPlan['method'],
    path: literalTemplate(
      '/' + segments.map((s) => encodeURIComponent(decodeOrKeep(s))).join('/') + (f.query ? `?${f.query}` : ''),
    ),
    params: [],
    format: 'json',
  };
  const headers: Record<string, string> = {};
  for (const name of action.trustedHeaders) {
    const v = f.headers.get(name);
    if (v !== null) headers[name.toLowerCase()] = v;
  }
  const ct = f.headers.get('content-type');
  if (ct && f.body?.length) headers['content-type'] = ct;
  const res = await callOperation(op, {}, deps, { signal: req.signal, headers, body: f.body });
  const body =
    res.body.length && res.status !== 304
      ? { kind: 'raw' as const, bytes: res.body, contentType: res.contentType || 'application/octet-stream' }
      : { kind: 'empty' as const };
  const result = { status: res.status, body, upstreamError: res.status >= 400 };
  // A forward is a pass-through: a redirect reaches the caller with its Location, to follow or not.
  return res.status >= 300 ? withHeaders(result, res) : result;
}

/** The forwarded path is data, never a template: braces in it must not be interpreted. */
function literalTemplate(text: string): Template {
  return { source: text, parts: [text], vars: [], constant: true };
}
