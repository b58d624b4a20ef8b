/**
 * @module invoke/upstream-result — turn an upstream response into an InvokeResult: error statuses pass
 * through raw (the vendor's own error body), undeclared or `$` outputs pass the bytes through
 * (checked to be a JSON object when `type: object` is declared), declared shapes parse by
 * `outputRawFormat` and map. A redirect passes through (status, Location) only where the output is the upstream
 * body; a mapped output cannot follow it, so there it is an UPSTREAM_REDIRECT error.
 */
import { GatewayError } from '../common/errors.ts';
import { isPlainObject } from '../common/json.ts';
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
  return withHeaders(shapeSuccess(op, res, output, inputs), res);
}

function shapeSuccess(
  op: ConsumedOperationPlan,
  res: UpstreamResponse,
  output: OutputShape | undefined,
  inputs: Lookup,
): InvokeResult {
  if (res.status === 204 || res.body.length === 0) return { status: res.status, body: { kind: 'empty' } };
  if (!output) return { status: res.status, body: rawBody(res) };
  if (output.passthrough && op.format === 'json') return passThrough(op, res, output);
  const parsed = parseBody(op.format, res.body.toString('utf8'), { outputSchema: op.outputSchema });
  const shaped = applyShape(output, parsed, inputs);
  if (!shaped.matched) throw mappingFailed(op, 'matched nothing in the upstream response');
  return { status: res.status, body: { kind: 'json', value: shaped.value } };
}

/**
 * The upstream's own bytes. A pass-through declared `type: object` promises an object, so the body is parsed
 * once to check it (not JSON: UPSTREAM_FORMAT; another JSON type: MAPPING_FAILED); the parsed value rides
 * along so an exposer that needs it (MCP structuredContent) does not parse again.
 */
function passThrough(op: ConsumedOperationPlan, res: UpstreamResponse, output: OutputShape): InvokeResult {
  const node = output.nodes[0];
  if (node.kind !== 'passthrough' || node.type !== 'object') return { status: res.status, body: rawBody(res) };
  const json = parseBody('json', res.body.toString('utf8'));
  if (!isPlainObject(json)) throw mappingFailed(op, `declares an object, but the upstream answered ${jsonKind(json)}`);
  return { status: res.status, body: { ...rawBody(res), json } };
}

function mappingFailed(op: ConsumedOperationPlan, why: string): GatewayError {
  const operation = `${op.upstream.namespace}.${op.name}`;
  return new GatewayError('MAPPING_FAILED', `the output mapping of ${operation} ${why}`, { details: { operation } });
}

function jsonKind(v: unknown): string {
  if (v === null) return 'JSON null';
  if (Array.isArray(v)) return 'a JSON array';
  return `a JSON ${typeof v}`;
}

export function parsed(op: ConsumedOperationPlan, res: UpstreamResponse): unknown {
  if (res.body.length === 0) return undefined;
  return parseBody(op.format, res.body.toString('utf8'), { outputSchema: op.outputSchema });
}

/** The whitelisted upstream headers of a result (passed-headers.ts). */
export function withHeaders(result: InvokeResult, res: UpstreamResponse): InvokeResult {
  const headers = passedHeaders(res);
  return headers ? { ...result, headers } : result;
}

/** A 304 never has a body (a Response with one cannot be built); other redirects keep theirs. */
export function redirectBody(res: UpstreamResponse): InvokeResult['body'] {
  return res.status === 304 || res.body.length === 0 ? { kind: 'empty' } : rawBody(res);
}

function rawBody(res: UpstreamResponse): Extract<InvokeResult['body'], { kind: 'raw' }> {
  return { kind: 'raw', bytes: res.body, contentType: res.contentType || 'application/octet-stream' };
}
