/**
 * @module invoke/upstream-result — turn an upstream response into an InvokeResult: error statuses pass
 * through raw (the vendor's own error body), undeclared or `$` outputs pass the bytes through
 * without parsing, declared shapes parse by `outputRawFormat` and map.
 */
import { GatewayError } from '../common/errors.ts';
import type { ConsumedOperationPlan } from '../plan/types.ts';
import type { UpstreamResponse } from '../consume/http.ts';
import { parseBody } from '../mapping/formats.ts';
import { applyShape, type OutputShape } from '../mapping/output.ts';
import type { Lookup } from '../mapping/template.ts';
import type { InvokeResult } from './types.ts';

export function shapeResponse(
  op: ConsumedOperationPlan,
  res: UpstreamResponse,
  output: OutputShape | undefined,
  inputs: Lookup,
): InvokeResult {
  if (res.status >= 400) return { status: res.status, upstreamError: true, body: rawBody(res) };
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

function rawBody(res: UpstreamResponse): InvokeResult['body'] {
  return { kind: 'raw', bytes: res.body, contentType: res.contentType || 'application/octet-stream' };
}
