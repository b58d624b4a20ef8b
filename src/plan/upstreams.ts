/**
 * @module plan/upstreams — compile `consumes` http entries into UpstreamPlans: base URI, auth,
 * parameters, operations (path templates, bodies, formats, projections).
 */
import type {
  ConsumesHttpSpec,
  ConsumedOperationSpec,
  ConsumedParamSpec,
  ConsumedResourceSpec,
} from '../documents/types.ts';
import { compileTemplate, type Template } from '../mapping/template.ts';
import { compileJsonTemplate } from '../mapping/json-template.ts';
import { isRawFormat, type RawFormat } from '../mapping/formats.ts';
import type { BodyPlan, ConsumedOperationPlan, ConsumedParamPlan, UpstreamPlan } from './types.ts';
import { pathAt, type DocContext } from './context.ts';
import { bindVarOf } from '../secrets/names.ts';
import { escapeSegment } from '../common/json-pointer.ts';

export function buildUpstream(ctx: DocContext, spec: ConsumesHttpSpec, pointer: string): UpstreamPlan {
  const secrets = new Set<string>();
  const baseUri = compileBaseUri(ctx, spec, pointer, secrets);
  collectAuthSecrets(ctx, spec, pointer, secrets);
  const params = (spec.inputParameters ?? []).map((p, i) =>
    compileParam(ctx, p, `${pointer}/inputParameters/${i}`, undefined, secrets),
  );
  // A `headers:` map on the consumer is shorthand for header parameters with fixed values.
  for (const [name, value] of Object.entries((spec as { headers?: Record<string, unknown> }).headers ?? {})) {
    params.push(
      compileParam(ctx, { name, in: 'header', value: String(value) }, `${pointer}/headers/${name}`, undefined, secrets),
    );
  }
  const operations = new Map<string, ConsumedOperationPlan>();
  const upstream: UpstreamPlan = {
    id: `${ctx.capability.name}/${spec.namespace}`,
    namespace: spec.namespace,
    capability: ctx.capability,
    baseUri,
    auth: spec.authentication,
    params,
    operations,
    secrets: [...secrets],
    source: { file: ctx.loaded.file, pointer },
  };
  (spec.resources ?? []).forEach((res, ri) => {
    (res.operations ?? []).forEach((op, oi) => {
      const p = `${pointer}/resources/${ri}/operations/${oi}`;
      if (operations.has(op.name)) {
        ctx.sink.error(
          'OPERATION_DUPLICATE',
          `${p}/name`,
          `operation '${op.name}' is declared twice in namespace '${spec.namespace}'`,
        );
        return;
      }
      const built = buildOperation(ctx, upstream, res, op, p, `${pointer}/resources/${ri}`);
      if (built) operations.set(op.name, built);
    });
  });
  return upstream;
}

function compileBaseUri(
  ctx: DocContext,
  spec: ConsumesHttpSpec,
  pointer: string,
  secrets: Set<string>,
): Template | undefined {
  const p = `${pointer}/baseUri`;
  let raw = (spec.baseUri ?? '').trim();
  if (!raw) {
    ctx.sink.warn(
      'BASEURI_MISSING',
      spec.baseUri === undefined ? pointer : p,
      `namespace '${spec.namespace}' has no baseUri; it can only be served with an upstream override`,
      `run with --upstream ${spec.namespace}=https://api.example.com or set CAPGATE_UPSTREAMS="${spec.namespace}=…"`,
    );
    return undefined;
  }
  if (raw.endsWith('/') && raw.length > 1) {
    raw = raw.replace(/\/+$/, '');
    ctx.sink.warn(
      'BASEURI_TRAILING_SLASH',
      p,
      `baseUri ends with '/'; capgate strips it (resource paths start with '/')`,
    );
  }
  const t = compileTemplate(raw, { singleBrace: true });
  const unknown: string[] = [];
  for (const v of t.vars) {
    const bind = bindVarOf(v, ctx.capability);
    if (bind && ctx.capability.declaredVars.has(bind)) secrets.add(bind);
    else unknown.push(v);
  }
  if (unknown.length) {
    ctx.sink.warn(
      'BASEURI_UNBOUND_VARIABLE',
      p,
      `baseUri of '${spec.namespace}' uses ${unknown.map((u) => `'${u}'`).join(', ')}, which no bind declares; it can only be served with an upstream override`,
      `declare it under binds, or run with --upstream ${spec.namespace}=<url>`,
    );
    return undefined;
  }
  if (t.vars.length === 0 && !/^https?:\/\/[^/\s]+/i.test(raw)) {
    ctx.sink.error(
      'BASEURI_INVALID',
      p,
      `baseUri '${raw}' is not an absolute http(s) URL`,
      'write it as https://host[/base-path]',
    );
    return undefined;
  }
  return t;
}

function collectAuthSecrets(ctx: DocContext, spec: ConsumesHttpSpec, pointer: string, secrets: Set<string>): void {
  const auth = spec.authentication as Record<string, unknown> | undefined;
  if (!auth) return;
  if (auth.type === 'apikey' && !auth.placement) {
    ctx.sink.warn(
      'AUTH_APIKEY_PLACEMENT',
      `${pointer}/authentication`,
      'apikey authentication without `placement`; sending it as a header',
      'add `placement: header` or `placement: query`',
    );
  }
  for (const [k, v] of Object.entries(auth)) {
    if (typeof v === 'string') checkSecretTemplate(ctx, compileTemplate(v), `${pointer}/authentication/${k}`, secrets);
    else if (k === 'headers' && v && typeof v === 'object') {
      for (const [h, hv] of Object.entries(v))
        if (typeof hv === 'string')
          checkSecretTemplate(ctx, compileTemplate(hv), `${pointer}/authentication/headers/${h}`, secrets);
    }
  }
}

/** Every `{{X}}` in a secret-bearing field must be a declared bind variable. */
export function checkSecretTemplate(ctx: DocContext, t: Template, pointer: string, secrets: Set<string>): void {
  for (const v of t.vars) {
    const bind = bindVarOf(v, ctx.capability);
    if (bind && ctx.capability.declaredVars.has(bind)) secrets.add(bind);
    else if (bind) {
      ctx.sink.error(
        'BIND_UNDECLARED',
        pointer,
        `'{{${v}}}' names bind variable '${bind}', which no binds entry declares`,
        `add it under binds, e.g. binds: [{ namespace: env, keys: { ${bind}: ${bind} } }]`,
      );
    }
  }
}

function buildOperation(
  ctx: DocContext,
  upstream: UpstreamPlan,
  res: ConsumedResourceSpec,
  op: ConsumedOperationSpec,
  pointer: string,
  resPointer: string,
): ConsumedOperationPlan | undefined {
  const rawPath = op.path ?? res.path ?? '';
  const pathText = rawPath && !rawPath.startsWith('/') ? `/${rawPath}` : rawPath;
  const path = compileTemplate(pathText, { singleBrace: true });
  const secrets = new Set<string>();
  const merged = new Map<string, ConsumedParamPlan>();
  (res.inputParameters ?? []).forEach((p, i) =>
    merged.set(`${p.in}:${p.name}`, compileParam(ctx, p, `${resPointer}/inputParameters/${i}`, path, secrets)),
  );
  (op.inputParameters ?? []).forEach((p, i) =>
    merged.set(`${p.in}:${p.name}`, compileParam(ctx, p, `${pointer}/inputParameters/${i}`, path, secrets)),
  );
  const format = compileFormat(ctx, op, pointer);
  if (!format) return undefined;
  const projections = (op.outputParameters ?? []).flatMap((o, i) => {
    const expr = typeof o.value === 'string' ? o.value : o.mapping;
    if (!o.name || typeof expr !== 'string' || !expr.startsWith('$')) return [];
    const compiled = pathAt(ctx, expr, `${pointer}/outputParameters/${i}`);
    return compiled ? [{ name: o.name, path: compiled }] : [];
  });
  return {
    upstream,
    name: op.name,
    description: op.description,
    method: op.method ?? 'GET',
    path,
    params: [...merged.values()],
    body: compileBody(ctx, op, pointer),
    format,
    outputSchema: op.outputSchema,
    projections: projections.length ? projections : undefined,
  };
}

function compileParam(
  ctx: DocContext,
  p: ConsumedParamSpec,
  pointer: string,
  path: Template | undefined,
  secrets: Set<string>,
): ConsumedParamPlan {
  const loc = p.in ?? (path?.vars.includes(p.name) ? 'path' : 'query');
  const base = {
    name: p.name,
    in: loc,
    required: p.required === true || loc === 'path',
    type: p.type,
    description: p.description,
  };
  if (typeof p.value === 'string') {
    const t = compileTemplate(p.value);
    checkSecretTemplate(ctx, t, `${pointer}/value`, secrets);
    return { ...base, value: t };
  }
  if (p.value !== undefined) return { ...base, literal: p.value };
  return base;
}

function compileFormat(ctx: DocContext, op: ConsumedOperationSpec, pointer: string): RawFormat | undefined {
  const f = op.outputRawFormat ?? 'json';
  if (isRawFormat(f)) return f;
  ctx.sink.error(
    'FORMAT_UNSUPPORTED',
    `${pointer}/outputRawFormat`,
    `outputRawFormat '${f}' is not supported`,
    'supported: json, xml, yaml, csv, tsv, psv, html, markdown, text',
  );
  return undefined;
}

function compileBody(ctx: DocContext, op: ConsumedOperationSpec, pointer: string): BodyPlan | undefined {
  const body = op.body;
  if (body === undefined || body === null) return undefined;
  checkBodySecrets(ctx, body, `${pointer}/body`);
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('['))
      return { kind: 'json-text', template: compileJsonTemplate(body) };
    return { kind: 'text', template: compileTemplate(body), mediaType: 'text/plain; charset=utf-8' };
  }
  const data = body.data;
  switch (body.type) {
    case 'json':
      // Without data, the JSON body is built from the operation's `in: body` parameters.
      if (data === undefined) return undefined;
      return typeof data === 'string'
        ? { kind: 'json-text', template: compileJsonTemplate(data) }
        : { kind: 'json-data', data };
    case 'text':
      return { kind: 'text', template: compileTemplate(String(data ?? '')), mediaType: 'text/plain; charset=utf-8' };
    case 'sparql':
      return { kind: 'text', template: compileTemplate(String(data ?? '')), mediaType: 'application/sparql-query' };
    case 'xml':
      return { kind: 'xml', template: compileTemplate(String(data ?? '')) };
    case 'formUrlEncoded':
    case 'form':
      return { kind: 'form', data };
    case 'multipartForm':
      return { kind: 'multipart', data };
    default:
      ctx.sink.error(
        'BODY_TYPE_UNSUPPORTED',
        `${pointer}/body/type`,
        `body type '${String(body.type)}' is not supported`,
        'use json, text, xml, sparql, formUrlEncoded or multipartForm',
      );
      return undefined;
  }
}

/**
 * Bind variables are injected into bodies too, so a body naming one (`{{API_KEY}}`, `{{env.X}}`) must
 * declare it like a parameter does: otherwise the request value of that name would fill it.
 */
function checkBodySecrets(ctx: DocContext, node: unknown, pointer: string): void {
  if (typeof node === 'string') {
    if (node.includes('{{')) checkSecretTemplate(ctx, compileTemplate(node), pointer, new Set());
  } else if (Array.isArray(node)) {
    node.forEach((v, i) => checkBodySecrets(ctx, v, `${pointer}/${i}`));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) checkBodySecrets(ctx, v, `${pointer}/${escapeSegment(k)}`);
  }
}
