/**
 * @module invoke/forward — `forward`: proxy the request remainder to a consumed namespace.
 * Method, path remainder and query string pass through as sent (dot segments aside: they are
 * resolved inside the remainder, and refused when they would climb above it), and so does the
 * body; only trusted headers are copied (never the caller's Authorization or cookies unless
 * listed); consumes-level parameters and auth apply.
 */
import type { ActionPlan, ConsumedOperationPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import type { Template } from '../mapping/template.ts';
import { callOperation } from '../consume/call.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';
import { GatewayError } from '../common/errors.ts';
import { withHeaders } from './upstream-result.ts';

type Forward = Extract<ActionPlan, { kind: 'forward' }>;

export async function forward(action: Forward, req: InvokeRequest, deps: InvokeDeps): Promise<InvokeResult> {
  const f = req.forward!;
  const op: ConsumedOperationPlan = {
    upstream: action.upstream,
    name: 'forward',
    method: f.method as ConsumedOperationPlan['method'],
    path: literalTemplate('/' + forwardPath(f.path) + (f.query ? `?${queryText(f.query)}` : '')),
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
  const res = await callOperation(op, {}, deps, { signal: req.signal, headers, body: f.body, trace: req.trace });
  const body =
    res.body.length && res.status !== 304
      ? { kind: 'raw' as const, bytes: res.body, contentType: res.contentType || 'application/octet-stream' }
      : { kind: 'empty' as const };
  const result = { status: res.status, body, upstreamError: res.status >= 400 };
  // A forward is a pass-through: a redirect reaches the caller with its Location, to follow or not.
  return res.status >= 300 ? withHeaders(result, res) : result;
}

/**
 * The remainder as sent, made safe to append to the upstream's base URL. URL parsers resolve dot
 * segments (`%2e` counts as a dot) against the whole path, so they are resolved here, inside the
 * remainder, and one that would climb above it (out of the base path) is refused. `\` is a `/` to a
 * URL parser and `?` or `#` would end the path, so those are encoded. Everything else — encoded
 * slashes, empty segments, a trailing slash — stays as sent; the base URL is always followed by
 * `/`, so the host can never change.
 */
export function forwardPath(remainder: string): string {
  const segments = remainder.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const dots = dotSegment(seg);
    if (dots === 0) {
      out.push(seg.replace(UNSAFE_IN_PATH, encodeChar));
      continue;
    }
    if (dots === 2) {
      if (out.length === 0) {
        throw new GatewayError('INPUT_INVALID', 'invalid input: the forwarded path climbs out of the upstream path', {
          details: { invalid: ["'..' may not climb above the forwarded path"] },
        });
      }
      out.pop();
    }
    // A dot segment at the end leaves the path ending in a slash (RFC 3986 §5.2.4).
    if (i === segments.length - 1) out.push('');
  }
  return out.join('/');
}

/** 1 for `.`, 2 for `..` (either spelled with `%2e`), else 0. */
function dotSegment(seg: string): 0 | 1 | 2 {
  if (seg.length === 0 || seg.length > 6) return 0;
  const s = seg.replace(/%2e/gi, '.');
  return s === '.' ? 1 : s === '..' ? 2 : 0;
}

const UNSAFE_IN_PATH = /[?#\\]/g;
const UNSAFE_IN_QUERY = /#/g;

function encodeChar(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** The query as sent; only a `#`, which would end it, is encoded. */
function queryText(query: string): string {
  return query.replace(UNSAFE_IN_QUERY, encodeChar);
}

/** The forwarded path is data, never a template: braces in it must not be interpreted. */
function literalTemplate(text: string): Template {
  return { source: text, parts: [text], vars: [], constant: true };
}
