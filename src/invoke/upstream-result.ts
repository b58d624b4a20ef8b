/**
 * @module invoke/upstream-result — turn an upstream response into an InvokeResult: error statuses pass
 * through raw (the vendor's own error body), undeclared or `$` outputs pass the bytes through
 * without parsing, declared shapes parse by `outputRawFormat` and map. A redirect passes through
 * (status, Location) only where the output is the upstream body; a mapped output cannot follow
 * it, so there it is an UPSTREAM_REDIRECT error.
 */
import { GatewayError } from '../common/errors.ts';
import type { ConsumedOperationPlan } from '../plan/types.ts';
import type { UpstreamResponse } from '../consume/http.ts';
import { parseBody } from '../mapping/formats.ts';
import { applyShape, type OutputShape } from '../mapping/output.ts';
import type { Lookup } from '../mapping/template.ts';
import type { InvokeResult } from './types.ts';
import { headerText, passedHeaders } from './passed-headers.ts';
import { isRedirect, redirectError } from './redirect.ts';

export function shapeResponse(
  op: ConsumedOperationPlan,
  res: UpstreamResponse,
  output: OutputShape | undefined,
  inputs: Lookup,
): InvokeResult {
  if (res.status >= 400) return withHeaders({ status: res.status, upstreamError: true, body: rawBody(res) }, res);
  if (isRedirect(res.status)) {
    if (!output || output.passthrough) return withHeaders({ status: res.status, body: redirectBody(res) }, res);
    throw redirectError(res.status, headerText(res.headers.location), {
      operation: `${op.upstream.namespace}.${op.name}`,
    });
  }
  if (res.status === 204 || res.body.length === 0) return { status: res.status, body: { kind: 'empty' } };
  if (!output || (output.passthrough && op.format === 'json')) return { status: res.status, body: rawBody(res) };
  const parsed = parseBody(op.format, res.body.toString('utf8'), { outputSchema: op.outputSchema });
  const shaped = applyShape(output, parsed, inputs);
  if (!shaped.matched) {
    throw new GatewayError(
      'MAPPING_FAILED',
      `the output mapping of ${op.upstream.namespace}.${op.name} matched nothing in the upstream response`,
      {
        details: { operation: `${op.upstream.namespace}.${op.name}` },
      },
    );
  }
  return { status: res.status, body: { kind: 'json', value: shaped.value } };
}

export function parsed(op: ConsumedOperationPlan, res: UpstreamResponse): unknown {
  if (res.body.length === 0) return undefined;
  return parseBody(op.format, res.body.toString('utf8'), { outputSchema: op.outputSchema });
}

/** The whitelisted upstream headers on a redirect or error result (success results carry none). */
export function withHeaders(result: InvokeResult, res: UpstreamResponse): InvokeResult {
  const headers = passedHeaders(res);
  return headers ? { ...result, headers } : result;
}

/** A 304 never has a body (a Response with one cannot be built); other redirects keep theirs. */
export function redirectBody(res: UpstreamResponse): InvokeResult['body'] {
  return res.status === 304 || res.body.length === 0 ? { kind: 'empty' } : rawBody(res);
}

function rawBody(res: UpstreamResponse): InvokeResult['body'] {
  return { kind: 'raw', bytes: res.body, contentType: res.contentType || 'application/octet-stream' };
}
