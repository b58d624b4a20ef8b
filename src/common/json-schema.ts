/**
 * @module common/json-schema — compiling JSON Schemas (draft 2020-12) that capgate did not write (tool schemas from
 * capability files, forms an upstream asks to be filled) on one shared Ajv instance, and turning validation failures
 * into sentences a caller can act on.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from './ajv.ts';

let ajv: Ajv2020 | undefined;

/**
 * One shared instance, created on first use (no work at import time). strict:false tolerates `x-…` keywords from
 * capability files.
 */
function sharedAjv(): Ajv2020 {
  ajv ??= createAjv({ allErrors: true, strict: false, validateFormats: true });
  return ajv;
}

/**
 * Compile one schema. `$schema` other than 2020-12 is dropped for compilation (draft-07 style schemas
 * validate the same for the keywords tools use), and the schema is evicted from Ajv's own cache so
 * that hot reloads do not accumulate compiled schemas: the caller's cache is the only owner.
 */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const a = sharedAjv();
  const { $schema, $id, ...rest } = schema;
  void $schema;
  void $id;
  const fn = a.compile(rest);
  a.removeSchema(rest);
  return fn;
}

function argumentName(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: string }).missingProperty ?? '');
    return path ? `${path}.${missing}` : missing;
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty?: string }).additionalProperty ?? '');
    return path ? `${path}.${extra}` : extra;
  }
  return path;
}

/** "missing required argument 'imo'", "argument 'count' must be integer", … joined with "; ". */
export function describeErrors(errors: ErrorObject[] | null | undefined, noun = 'argument'): string {
  if (!errors || errors.length === 0) return 'invalid value';
  const parts = new Set<string>();
  for (const e of errors) {
    const name = argumentName(e);
    if (e.keyword === 'required') parts.add(`missing required ${noun} '${name}'`);
    else if (e.keyword === 'additionalProperties') parts.add(`unknown ${noun} '${name}'`);
    else if (e.keyword === 'enum')
      parts.add(
        `${noun} '${name}' must be one of ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`,
      );
    else if (name === '') parts.add(`${noun}s ${e.message ?? 'are invalid'}`);
    else parts.add(`${noun} '${name}' ${e.message ?? 'is invalid'}`);
    if (parts.size >= 5) break;
  }
  return [...parts].join('; ');
}
