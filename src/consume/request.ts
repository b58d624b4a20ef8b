/**
 * @module consume/request — build the upstream request of a consumed operation from the
 * compiled plan and a value scope: base URL (override, or baseUri over binds), path with
 * one-segment encoding, query/header/cookie/body parameters, and the body. Absent optional
 * parameters are omitted, never sent empty; absent required ones are INPUT_MISSING (400).
 */
// undici's own FormData: the npm undici that sends our requests cannot serialise Node 20's global one.
import { FormData } from 'undici';
import { GatewayError } from '../common/errors.ts';
import type { BodyPlan, ConsumedOperationPlan, ConsumedParamPlan, UpstreamPlan } from '../plan/types.ts';
import { pathSegmentEncoder, renderTemplate, textEncoder, xmlEncoder, type Lookup } from '../mapping/template.ts';
import { renderJsonTemplate } from '../mapping/json-template.ts';
import type { ConsumeDeps } from './deps.ts';
import type { SecretValues } from '../secrets/types.ts';
import { secretLookup } from '../secrets/inject.ts';
import type { Scope } from '../mapping/scope.ts';

export interface BuiltRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | FormData;
  /** The template lookup used (binds, then the scope): auth reuses it. */
  readonly lookup: Lookup;
}

const DEFAULT_ACCEPT = 'application/json, */*;q=0.5';

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

export function buildRequest(op: ConsumedOperationPlan, scope: Scope, deps: ConsumeDeps): BuiltRequest {
  const secrets = checkedSecrets(op.upstream, deps);
  const lookup = secretLookup(op.upstream.capability, secrets, scope);
  const base = baseUrl(op.upstream, deps, lookup);
  const path = renderPath(op, lookup);
  const url = new URL(base + path);
  const headers: Record<string, string> = { accept: DEFAULT_ACCEPT };
  const bodyFields: Record<string, unknown> = {};
  const cookies: string[] = [];
  for (const p of op.upstream.params) applyParam(op, p, lookup, url, headers, bodyFields, cookies);
  for (const p of op.params) applyParam(op, p, lookup, url, headers, bodyFields, cookies);
  if (cookies.length) headers.cookie = cookies.join('; ');
  const body = renderBody(op.body, lookup, bodyFields, op.method, headers);
  return body === undefined
    ? { url, method: op.method, headers, lookup }
    : { url, method: op.method, headers, body, lookup };
}

/** Secrets the upstream needs must all be present, else 503 naming them (never their values). */
export function checkedSecrets(upstream: UpstreamPlan, deps: ConsumeDeps): SecretValues {
  const secrets = deps.secretsOf(upstream.capability);
  const missing = upstream.secrets.filter((s) => !secrets.values.has(s));
  if (missing.length) {
    throw new GatewayError(
      'SECRET_MISSING',
      `upstream '${upstream.namespace}' needs ${missing.map((m) => `'${m}'`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`,
      {
        details: {
          namespace: upstream.namespace,
          missing,
          reasons: missing.map((m) => secrets.missing.get(m)).filter(Boolean),
        },
      },
    );
  }
  return secrets;
}

export function baseUrl(upstream: UpstreamPlan, deps: ConsumeDeps, lookup: Lookup): string {
  const override = deps.overrideOf(upstream);
  if (override) return override.replace(/\/+$/, '');
  if (!upstream.baseUri) {
    throw new GatewayError('UPSTREAM_NOT_CONFIGURED', `upstream '${upstream.namespace}' has no base URL`, {
      details: { namespace: upstream.namespace, hint: `start capgate with --upstream ${upstream.namespace}=<url>` },
    });
  }
  const { text } = renderTemplate(upstream.baseUri, lookup);
  return text.replace(/\/+$/, '');
}

function renderPath(op: ConsumedOperationPlan, lookup: Lookup): string {
  const { text, missing } = renderTemplate(op.path, lookup, (value, v, t) => {
    const s = textEncoder(value, v, t);
    // No encoding of '.' or '..' survives URL normalisation (%2E%2E is a dot segment too): refuse.
    if (s === '.' || s === '..') {
      throw new GatewayError(
        'INPUT_INVALID',
        `invalid input: path parameter '${v.name}' of ${op.upstream.namespace}.${op.name} may not be '.' or '..'`,
        {
          details: { invalid: [`'${v.name}' may not be '.' or '..'`] },
        },
      );
    }
    // Percent-encoding refuses a lone surrogate: only then is the text repaired.
    try {
      return pathSegmentEncoder(s, v, t);
    } catch {
      return pathSegmentEncoder(wellFormed(s), v, t);
    }
  });
  if (missing.length) {
    throw new GatewayError(
      'INPUT_MISSING',
      `missing required input ${missing.map((m) => `'${m}'`).join(', ')} (path of ${op.upstream.namespace}.${op.name})`,
      { details: { missing } },
    );
  }
  return text;
}

/**
 * Add `name=value` after the query already in the URL without re-serialising it: `url.searchParams.append` would
 * rewrite all of it (`flag` → `flag=`, `%20` → `+`), and a forwarded query string must reach the upstream as sent.
 */
function appendQuery(url: URL, name: string, value: string): void {
  const pair = new URLSearchParams([[name, value]]).toString();
  url.search = url.search.length > 1 ? `${url.search.slice(1)}&${pair}` : pair;
}

function paramValue(p: ConsumedParamPlan, lookup: Lookup): unknown {
  if (p.value) {
    const { text, missing } = renderTemplate(p.value, lookup);
    return missing.length && p.value.vars.length === missing.length ? undefined : text;
  }
  if (p.literal !== undefined) return p.literal;
  if (p.in === 'environment') return process.env[p.name];
  return lookup(p.name);
}

function applyParam(
  op: ConsumedOperationPlan,
  p: ConsumedParamPlan,
  lookup: Lookup,
  url: URL,
  headers: Record<string, string>,
  body: Record<string, unknown>,
  cookies: string[],
): void {
  if (p.in === 'path') return;
  const v = paramValue(p, lookup);
  if (v === undefined || v === '') {
    if (p.required && p.in !== 'environment') {
      throw new GatewayError(
        'INPUT_MISSING',
        `missing required input '${p.name}' (${p.in} parameter of ${op.upstream.namespace}.${op.name})`,
        { details: { missing: [p.name] } },
      );
    }
    return;
  }
  switch (p.in) {
    case 'query':
      for (const item of Array.isArray(v) ? v : [v])
        appendQuery(url, p.name, textEncoder(item, { name: '', index: 0 }, EMPTY_T));
      return;
    case 'header':
      headers[p.name.toLowerCase()] = headerValue(op, p, textEncoder(v, { name: '', index: 0 }, EMPTY_T));
      return;
    case 'cookie':
      cookies.push(`${p.name}=${encodeComponent(textEncoder(v, { name: '', index: 0 }, EMPTY_T))}`);
      return;
    case 'body':
      body[p.name] = v;
      return;
  }
}

const EMPTY_T = { source: '', parts: [], vars: [], constant: true } as const;

/**
 * A header parameter's value as a header can carry it. Control characters (CR and LF above all)
 * each become a space, so a value can never start another header. Text beyond Latin-1 is the
 * caller's mistake (400 naming the parameter, never its value): it has no faithful header form
 * (RFC 8187 encoding is for parameters inside structured headers, which a plain header is not).
 */
function headerValue(op: ConsumedOperationPlan, p: ConsumedParamPlan, text: string): string {
  let controls = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      throw new GatewayError(
        'INPUT_INVALID',
        `invalid input: header parameter '${p.name}' of ${op.upstream.namespace}.${op.name} may only hold Latin-1 text`,
        { details: { invalid: [`'${p.name}' goes in a header and may only hold Latin-1 text`] } },
      );
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) controls = true;
  }
  return controls ? replaceControls(text) : text;
}

function replaceControls(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += (c < 0x20 && c !== 0x09) || c === 0x7f ? ' ' : text[i];
  }
  return out;
}

/** encodeURIComponent, which refuses a lone surrogate: only then is the text repaired (well-formed text pays nothing). */
function encodeComponent(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(wellFormed(s));
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Each lone surrogate becomes U+FFFD, as URLSearchParams does for query values. */
function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd');
}

function renderBody(
  plan: BodyPlan | undefined,
  lookup: Lookup,
  fields: Record<string, unknown>,
  method: string,
  headers: Record<string, string>,
): string | FormData | undefined {
  if (!plan) {
    const keys = Object.keys(fields);
    if (!keys.length || NO_BODY.has(method)) return undefined;
    headers['content-type'] = 'application/json';
    // A lone body parameter named `body` is the whole body (the generated files' convention).
    if (keys.length === 1 && keys[0].toLowerCase() === 'body') {
      const whole = fields[keys[0]];
      return typeof whole === 'string' ? whole : JSON.stringify(whole);
    }
    return JSON.stringify(fields);
  }
  switch (plan.kind) {
    case 'json-text':
      headers['content-type'] = 'application/json';
      return renderJsonTemplate(plan.template, lookup);
    case 'json-data':
      headers['content-type'] = 'application/json';
      return JSON.stringify(renderData(plan.data, lookup) ?? null);
    case 'text':
      headers['content-type'] = plan.mediaType;
      return renderTemplate(plan.template, lookup).text;
    case 'xml':
      headers['content-type'] = 'application/xml';
      return renderTemplate(plan.template, lookup, xmlEncoder).text;
    case 'form': {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const data = renderData(plan.data, lookup);
      return new URLSearchParams(flatPairs(data)).toString();
    }
    case 'multipart': {
      const form = new FormData();
      for (const [k, v] of flatPairs(renderData(plan.data, lookup))) form.append(k, v);
      return form;
    }
  }
}

/**
 * Structured body data: a string that is exactly `{{x}}` takes the value with its JSON type;
 * other strings interpolate; a key whose value is missing is dropped (not sent as null).
 */
export function renderData(data: unknown, lookup: Lookup): unknown {
  if (typeof data === 'string') {
    const whole = /^\{\{\s*([^{}\s]+)\s*\}\}$/.exec(data);
    if (whole) return lookup(whole[1]);
    if (!data.includes('{{')) return data;
    return data.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_, n: string) =>
      textEncoder(lookup(n), { name: n, index: 0 }, EMPTY_T),
    );
  }
  if (Array.isArray(data)) return data.map((d) => renderData(d, lookup)).filter((d) => d !== undefined);
  if (data && typeof data === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      const r = renderData(v, lookup);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return data;
}

function flatPairs(data: unknown): Array<[string, string]> {
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data as Record<string, unknown>).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x): [string, string] => [
      k,
      typeof x === 'object' ? JSON.stringify(x) : String(x),
    ]),
  );
}
