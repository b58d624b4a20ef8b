/**
 * @module mapping/value-types — reading a value as the type an output parameter declares, and the JSON
 * Schema type names that describe it. The output shape and the outputSchema derived from it use the
 * same rules, so a value never contradicts the schema advertised for it.
 */
import { isPlainObject } from '../common/json.ts';

/** Declared output types that promise something (others, or none, accept any value). */
const TYPED = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array']);

/** A JSON number as text (surrounding blanks allowed); rejects hex, `Infinity`, '' and the like. */
const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * `v` read as the declared `type`, or undefined when it cannot be read losslessly: numbers from numeric
 * text, booleans from `true`/`false`, text from numbers and booleans (objects and arrays as their JSON
 * text). undefined and null stay as they are; an undeclared or unknown type accepts anything.
 */
export function conform(v: unknown, type: string | undefined): unknown {
  if (v === undefined || v === null || type === undefined) return v;
  switch (type) {
    case 'string':
      if (typeof v === 'string') return v;
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'number':
      return numberOf(v);
    case 'integer': {
      const n = numberOf(v);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return v === 'true' ? true : v === 'false' ? false : undefined;
    case 'object':
      return isPlainObject(v) ? v : undefined;
    case 'array':
      return Array.isArray(v) ? v : undefined;
    default:
      return v;
  }
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

/** True when the declared type constrains values (conform may refuse some). */
export function isTyped(type: string | undefined): type is string {
  return type !== undefined && TYPED.has(type);
}

/** The JSON Schema `type` of a declared output type; undefined when it promises nothing. */
export function schemaType(type: string | undefined): string | undefined {
  return isTyped(type) ? type : undefined;
}

/** The JSON Schema `type` of one concrete value (`integer` only when that was declared). */
export function typeOfValue(v: unknown, declared?: string): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return declared === 'integer' && Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}
