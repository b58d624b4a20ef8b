/**
 * @module documents/schema — checks a normalised Naftiko document against capgate's JSON Schema and turns Ajv errors
 * into located, readable issues.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../common/ajv.ts';
import { closest } from './suggest.ts';
import { escapeSegment, unescapeSegment } from '../common/json-pointer.ts';

/** Absolute path of capgate's capability schema (draft 2020-12), resolved from this module. */
export const SCHEMA_PATH: string = fileURLToPath(new URL('../../schema/capability.schema.json', import.meta.url));

/** One schema violation, located by a JSON pointer into the validated document. */
export interface SchemaIssue {
  pointer: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** Schema annotation: the single message for a composite rule whose branch errors would only be noise. */
const MESSAGE_KEYWORD = 'x-message';
const COMPOSITES = new Set(['oneOf', 'anyOf', 'not']);

let validator: ValidateFunction | undefined;

/** Compiles once, on first use: importing this module does no I/O. */
function compile(): ValidateFunction {
  if (validator) return validator;
  // strictRequired off: `if` sub-schemas test for keys without redeclaring them.
  const ajv = createAjv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
  ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'string' });
  validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return validator;
}

/** Validate one document (after the loader's legacy rewrites); an empty array means it conforms. */
export function validateSchema(doc: unknown): SchemaIssue[] {
  const validate = compile();
  if (validate(doc)) return [];
  return toIssues(validate.errors ?? []);
}

function toIssues(errors: ErrorObject[]): SchemaIssue[] {
  const replaced = new Map<ErrorObject, SchemaIssue>();
  const hidden = new Set<ErrorObject>();
  for (const composite of errors.filter((e) => COMPOSITES.has(e.keyword))) {
    const branches = errors.filter((b) => b !== composite && isBranchOf(b, composite));
    const summary = summarise(composite, branches);
    if (!summary) continue;
    branches.forEach((b) => hidden.add(b));
    replaced.set(composite, summary);
  }
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const e of errors) {
    const issue = replaced.get(e) ?? (hidden.has(e) || isNoise(e) ? undefined : toIssue(e));
    if (!issue) continue;
    const key = `${issue.pointer}|${issue.keyword}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** One issue standing for a composite: its `x-message`, or "missing one of" when every branch only lacks a key. */
function summarise(e: ErrorObject, branches: ErrorObject[]): SchemaIssue | undefined {
  const own = (e.parentSchema as Record<string, unknown> | undefined)?.[MESSAGE_KEYWORD];
  if (typeof own === 'string')
    return { pointer: e.instancePath, keyword: e.keyword, message: own, params: { ...e.params } };
  if (e.keyword !== 'anyOf' || branches.length === 0) return undefined;
  if (!branches.every((b) => b.keyword === 'required' && b.instancePath === e.instancePath)) return undefined;
  const keys = branches.map((b) => String(b.params.missingProperty));
  return {
    pointer: e.instancePath,
    keyword: 'required',
    message: `missing one of required properties ${keys.map((k) => `'${k}'`).join(', ')}`,
    params: { missingOneOf: keys },
  };
}

/** True when `b` was raised inside a branch of composite `e`, at or below the same instance. */
function isBranchOf(b: ErrorObject, e: ErrorObject): boolean {
  const sameInstance = b.instancePath === e.instancePath || b.instancePath.startsWith(`${e.instancePath}/`);
  return sameInstance && b.schemaPath.startsWith(`${e.schemaPath}/`);
}

/** Wrapper errors that only restate what their leaf errors already say. */
function isNoise(e: ErrorObject): boolean {
  return e.keyword === 'if' || e.keyword === 'propertyNames' || COMPOSITES.has(e.keyword);
}

function toIssue(e: ErrorObject): SchemaIssue {
  const params = { ...(e.params as Record<string, unknown>) };
  const base = { keyword: e.keyword, params };
  const at = (key: string): string => `${e.instancePath}/${escapeSegment(key)}`;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      const guess = closest(name, knownProperties(e));
      if (guess) params.suggestion = guess;
      return {
        ...base,
        pointer: at(name),
        message: `unknown property '${name}'` + (guess ? ` (did you mean '${guess}'?)` : ''),
      };
    }
    case 'required':
      return {
        ...base,
        pointer: at(String(params.missingProperty)),
        message: `missing required property '${String(params.missingProperty)}'`,
      };
    case 'dependentRequired':
      return {
        ...base,
        pointer: at(String(params.missingProperty)),
        message: `missing required property '${String(params.missingProperty)}' (needed with '${String(params.property)}')`,
      };
    case 'enum':
      return {
        ...base,
        pointer: e.instancePath,
        message: `must be one of ${listValues(params.allowedValues)}${got(e.data)}`,
      };
    case 'const':
      return {
        ...base,
        pointer: e.instancePath,
        message: `must be ${JSON.stringify(params.allowedValue)}${got(e.data)}`,
      };
    case 'false schema':
      return { ...base, pointer: e.instancePath, message: forbidden(e) };
    case 'type':
      return {
        ...base,
        pointer: e.instancePath,
        message: `must be of type ${String(params.type).split(',').join(' or ')}${got(e.data)}`,
      };
    case 'pattern':
      if (e.propertyName !== undefined) return propertyNameIssue(e, params);
      return {
        ...base,
        pointer: e.instancePath,
        message: `must match pattern "${String(params.pattern)}"${got(e.data)}`,
      };
    default:
      return { ...base, pointer: e.instancePath, message: e.message ?? `fails '${e.keyword}'` };
  }
}

/** A bad key under `propertyNames` (bind variable names): point at the key itself. */
function propertyNameIssue(e: ErrorObject, params: Record<string, unknown>): SchemaIssue {
  const name = String(e.propertyName);
  return {
    pointer: `${e.instancePath}/${escapeSegment(name)}`,
    keyword: 'propertyNames',
    params: { ...params, propertyName: name },
    message: `invalid property name '${name}': must match pattern "${String(params.pattern)}"`,
  };
}

/** Message for a key a `false` sub-schema forbids (mutually exclusive keys, port under stdio). */
function forbidden(e: ErrorObject): string {
  const key = unescapeSegment(e.instancePath.slice(e.instancePath.lastIndexOf('/') + 1));
  const exclusive = /\/dependentSchemas\/([^/]+)\/properties\//.exec(e.schemaPath);
  if (exclusive) return `property '${key}' cannot be combined with '${unescapeSegment(exclusive[1])}'`;
  return `property '${key}' is not allowed here`;
}

function knownProperties(e: ErrorObject): string[] {
  const properties = (e.parentSchema as Record<string, unknown> | undefined)?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : JSON.stringify(values);
}

/** Short rendering of the offending scalar; objects and arrays are not echoed. */
function got(data: unknown): string {
  if (data === undefined || (typeof data === 'object' && data !== null)) return '';
  const shown = JSON.stringify(data);
  return ` (got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
}
