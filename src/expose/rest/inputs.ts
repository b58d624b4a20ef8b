/**
 * @module expose/rest/inputs — turn an HTTP request into the invoke parameter map: body fields,
 * query values and path variables by name (so `rest.x` finds undeclared ones too), then every
 * declared input read from its location, defaulted, coerced to its type and validated. All
 * problems of one request are reported together in one 400.
 */
import { GatewayError } from '../../common/errors.ts';
import { isPlainObject, parseJsonOrUndefined } from '../../common/json.ts';
import type { InputParamPlan } from '../../plan/types.ts';

export interface RestRequestView {
  readonly pathParams: Record<string, string>;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly body: unknown;
}

export function gatherParams(inputs: readonly InputParamPlan[], view: RestRequestView): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (isPlainObject(view.body)) Object.assign(params, view.body);
  for (const [k, v] of view.query) if (!(k in params) || typeof params[k] !== 'object') params[k] = v;
  Object.assign(params, view.pathParams);
  // `rest.body` with no `body` field means the whole request body, as in the reference engine.
  if (view.body !== undefined && !Object.keys(params).some((k) => k.toLowerCase() === 'body')) params.body = view.body;
  const problems: string[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const raw = readInput(input, view);
    if (raw === undefined) {
      if (input.default !== undefined) params[input.name] = input.default;
      else if (input.required) missing.push(input.name);
      else delete params[input.name];
      continue;
    }
    const coerced = coerceInput(input, raw);
    if (coerced.error) problems.push(`'${input.name}' ${coerced.error}`);
    else params[input.name] = coerced.value;
  }
  if (missing.length) {
    throw new GatewayError('INPUT_MISSING', `missing required input ${missing.map((m) => `'${m}'`).join(', ')}`, {
      details: { missing, ...(problems.length ? { invalid: problems } : {}) },
    });
  }
  if (problems.length)
    throw new GatewayError('INPUT_INVALID', `invalid input: ${problems.join('; ')}`, {
      details: { invalid: problems },
    });
  return params;
}

function readInput(input: InputParamPlan, view: RestRequestView): unknown {
  if (input.constant !== undefined) return input.constant;
  switch (input.in) {
    case 'path':
      return ciGet(view.pathParams, input.name);
    case 'query': {
      const all = view.query.getAll(input.name);
      if (!all.length) return ciQuery(view.query, input.name);
      return input.type === 'array' ? all : all[0];
    }
    case 'header':
      return view.headers.get(input.name) ?? undefined;
    case 'cookie':
      return cookie(view.headers.get('cookie'), input.name);
    default: {
      if (input.bodyPath) return input.bodyPath.evaluate(view.body);
      const b = view.body;
      const field = isPlainObject(b) ? ciGet(b, input.name) : undefined;
      // An input named `body` without such a field is the whole body, as in the reference engine.
      return field === undefined && input.name.toLowerCase() === 'body' ? b : field;
    }
  }
}

function ciGet<T>(rec: Record<string, T>, name: string): T | undefined {
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  for (const k in rec) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

function ciQuery(q: URLSearchParams, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of q) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function cookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Coerce a raw value (string from path/query/header, JSON from the body) to the declared type. */
export function coerceInput(input: InputParamPlan, raw: unknown): { value?: unknown; error?: string } {
  const r = coerceType(input.type, raw);
  if (r.error) return r;
  if (input.enum?.length && !input.enum.some((e) => e === r.value || String(e) === String(r.value))) {
    return { error: `must be one of ${input.enum.map((e) => JSON.stringify(e)).join(', ')}` };
  }
  if (input.pattern && typeof r.value === 'string' && !input.pattern.test(r.value))
    return { error: `does not match pattern ${input.pattern.source}` };
  return r;
}

function coerceType(type: string | undefined, raw: unknown): { value?: unknown; error?: string } {
  switch (type) {
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return { error: type === 'integer' ? 'must be an integer' : 'must be a number' };
      if (type === 'integer' && !Number.isInteger(n)) return { error: 'must be an integer' };
      return { value: n };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === '1') return { value: true };
      if (raw === 'false' || raw === '0') return { value: false };
      return { error: 'must be true or false' };
    case 'array':
      if (Array.isArray(raw)) return { value: raw };
      if (typeof raw === 'string')
        return { value: raw.startsWith('[') ? (parseJsonOrUndefined(raw) ?? raw.split(',')) : raw.split(',') };
      return { error: 'must be an array' };
    case 'object':
      if (isPlainObject(raw)) return { value: raw };
      if (typeof raw === 'string' && raw.startsWith('{')) {
        const v = parseJsonOrUndefined(raw);
        if (v && typeof v === 'object') return { value: v };
      }
      return { error: 'must be an object' };
    case 'string':
      return typeof raw === 'object' && raw !== null ? { error: 'must be a string' } : { value: String(raw) };
    default:
      return { value: raw };
  }
}
