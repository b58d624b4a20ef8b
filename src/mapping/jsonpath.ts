/**
 * @module mapping/jsonpath — compiles JSONPath strings once at load time into fast accessors (definite paths) or a
 * jsonpath-plus fallback (indefinite paths); the only importer of jsonpath-plus.
 */

import { JSONPath } from 'jsonpath-plus';

/** A JSONPath expression compiled once; `evaluate` is called per request. */
export interface CompiledPath {
  readonly source: string;
  /** `$` or `$.`: evaluation returns the root itself. */
  readonly isRoot: boolean;
  /** Only names and indexes: evaluation yields one value, walked without jsonpath-plus. */
  readonly definite: boolean;
  /** The match (definite) or the array of matches (indefinite); `undefined` when nothing matches. */
  evaluate(root: unknown): unknown;
}

/** Thrown at compile time for an expression that cannot be parsed; the loader adds the location. */
export class JsonPathSyntaxError extends Error {
  readonly expression: string;
  constructor(expression: string, problem: string) {
    super(`Invalid JSONPath "${clip(expression)}": ${problem}`);
    this.name = 'JsonPathSyntaxError';
    this.expression = expression;
  }
}

/** True for strings meant as JSONPath: `$` alone or `$` followed by `.` or `[` (so `${var}` templates are not). */
export function isJsonPath(s: string): boolean {
  return s === '$' || s.startsWith('$.') || s.startsWith('$[');
}

type Segment =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wild' }
  | { kind: 'deep' }
  | { kind: 'slice'; text: string }
  | { kind: 'union'; items: ReadonlyArray<string | number> }
  | { kind: 'filter'; expr: string };

/** Compile a Jayway-style JSONPath expression; throws JsonPathSyntaxError when malformed. */
export function compilePath(expr: string): CompiledPath {
  if (typeof expr !== 'string') throw new JsonPathSyntaxError(String(expr), 'expression must be a string');
  const segments = parseSegments(expr);
  const keys = definiteKeys(segments);
  if (keys) return walker(expr, keys, false);
  return fallback(expr, segments);
}

/**
 * Compile the simplified `$.<step>.<a>.<b>` walk used by step mappings and lookups (names only; `$.step` is the whole
 * output).
 */
export function compileDotWalk(expr: string): CompiledPath {
  if (typeof expr !== 'string' || !expr.startsWith('$')) {
    throw new JsonPathSyntaxError(String(expr), "must start with '$'");
  }
  if (expr === '$' || expr === '$.') return walker(expr, [], true);
  if (!expr.startsWith('$.')) throw new JsonPathSyntaxError(expr, "expected '.' after '$'");
  const keys = expr.slice(2).split('.');
  for (const key of keys) {
    if (key === '') throw new JsonPathSyntaxError(expr, 'empty name between dots');
    if (/[[\]*]/.test(key))
      throw new JsonPathSyntaxError(expr, `'${clip(key)}': indexes and wildcards are not allowed here`);
  }
  return walker(expr, keys, true);
}

// ---------------------------------------------------------------------------------------------
// Definite paths: a key list walked in a loop (O(depth), no allocation per evaluation).

function definiteKeys(segments: readonly Segment[]): Array<string | number> | undefined {
  const keys: Array<string | number> = [];
  for (const s of segments) {
    if (s.kind === 'key') keys.push(s.name);
    else if (s.kind === 'index') keys.push(s.index);
    else return undefined;
  }
  return keys;
}

/** `numericKeysIndexArrays` lets the dot walk read `$.step.items.0`, which plain names cannot otherwise express. */
function walker(source: string, keys: ReadonlyArray<string | number>, numericKeysIndexArrays: boolean): CompiledPath {
  const n = keys.length;
  return {
    source,
    isRoot: n === 0,
    definite: true,
    evaluate(root: unknown): unknown {
      let cur: unknown = root;
      for (let i = 0; i < n; i++) {
        if (cur === null || typeof cur !== 'object') return undefined;
        const key = keys[i]!;
        if (Array.isArray(cur)) {
          const idx = arrayIndex(key, cur.length, numericKeysIndexArrays);
          if (idx < 0) return undefined;
          cur = cur[idx];
        } else {
          if (typeof key !== 'string' || !Object.hasOwn(cur, key)) return undefined;
          cur = (cur as Record<string, unknown>)[key];
        }
      }
      return cur;
    },
  };
}

/** Position in an array for a key, or -1. Negative indexes count from the end (Jayway). */
function arrayIndex(key: string | number, length: number, numericKeys: boolean): number {
  let idx: number;
  if (typeof key === 'number') idx = key < 0 ? length + key : key;
  else if (numericKeys && /^\d+$/.test(key)) idx = Number(key);
  else return -1;
  return idx >= 0 && idx < length ? idx : -1;
}

// ---------------------------------------------------------------------------------------------
// Indefinite paths: jsonpath-plus on a canonical form of the parsed path.

function fallback(source: string, segments: readonly Segment[]): CompiledPath {
  const canonical = toJsonPathPlus(source, segments);
  for (const s of segments) if (s.kind === 'filter') checkFilter(source, s.expr);
  JSONPath.toPathArray(canonical); // parse once now; jsonpath-plus caches it for evaluation
  return {
    source,
    isRoot: false,
    definite: false,
    evaluate(root: unknown): unknown {
      // jsonpath-plus treats a falsy document as "no document"; a primitive has no children anyway.
      if (root === null || typeof root !== 'object') return undefined;
      try {
        const found: unknown = JSONPath({
          path: canonical,
          json: root,
          wrap: true,
          resultType: 'all',
          ignoreEvalErrors: true,
          eval: 'safe',
        });
        const values = Array.isArray(found) ? matchValues(found as PlusMatch[]) : [];
        return values.length > 0 ? values : undefined;
      } catch {
        return undefined; // any evaluation failure means "no value", never an error
      }
    },
  };
}

interface PlusMatch {
  value: unknown;
  parent: unknown;
  parentProperty: unknown;
}

/** jsonpath-plus sees an array's own `length` as a member; Jayway (and JSON) do not, so those matches are dropped. */
function matchValues(found: readonly PlusMatch[]): unknown[] {
  const values: unknown[] = [];
  for (const m of found) {
    if (m.parentProperty === 'length' && Array.isArray(m.parent)) continue;
    values.push(m.value);
  }
  return values;
}

/** jsonpath-plus reads `.` `[` `]` `'` `;` `~` `^` `@` `,` `*` `(` `%` specially inside names. */
const PLAIN_NAME = /^[^.[\]'"`;~^@,*()%]+$/;
const QUOTABLE_NAME = /^[^\]'";^%]*$/;

function toJsonPathPlus(source: string, segments: readonly Segment[]): string {
  let out = '$';
  let afterDeep = false;
  for (const s of segments) {
    out += emitSegment(source, s, afterDeep);
    afterDeep = s.kind === 'deep';
  }
  return out;
}

function emitSegment(source: string, s: Segment, afterDeep: boolean): string {
  switch (s.kind) {
    case 'deep':
      return '..';
    case 'key':
      if (PLAIN_NAME.test(s.name) && !/^\d+$/.test(s.name)) return afterDeep ? s.name : `.${s.name}`;
      if (QUOTABLE_NAME.test(s.name)) return `['${s.name}']`;
      throw new JsonPathSyntaxError(
        source,
        `name '${clip(s.name)}' cannot be used in a wildcard, filter or deep-scan path`,
      );
    case 'index':
      // jsonpath-plus has no negative index; a one-element slice selects the same element.
      if (s.index >= 0) return `[${s.index}]`;
      return s.index === -1 ? '[-1:]' : `[${s.index}:${s.index + 1}]`;
    case 'wild':
      return afterDeep ? '*' : '[*]';
    case 'slice':
      return `[${s.text}]`;
    case 'union':
      return `[${s.items.map((item) => unionItem(source, item)).join(',')}]`;
    case 'filter':
      return `[?(${rootRefsToAtRoot(s.expr)})]`;
  }
}

function unionItem(source: string, item: string | number): string {
  if (typeof item === 'number') {
    if (item < 0) throw new JsonPathSyntaxError(source, 'negative indexes are not supported in unions');
    return String(item);
  }
  if (PLAIN_NAME.test(item) && !/^\d+$/.test(item) && item.trim() === item) return item;
  throw new JsonPathSyntaxError(source, `name '${clip(item)}' cannot be used in a union`);
}

/** Jayway writes the document root as `$` inside filters; jsonpath-plus calls it `@root`. */
function rootRefsToAtRoot(expr: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') {
        out += c + (expr[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = '';
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else out += c === '$' ? '@root' : c;
  }
  return out;
}

const UNSUPPORTED_FILTER_OPS = /=~|(^|[^.\w])(nin|in|subsetof|anyof|noneof|size|empty)\s/;

/** Reject filter syntax at load time: Jayway-only operators, then a dry run whose parse errors surface un-prefixed. */
function checkFilter(source: string, expr: string): void {
  const unquoted = expr.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, '""');
  const op = UNSUPPORTED_FILTER_OPS.exec(unquoted);
  if (op)
    throw new JsonPathSyntaxError(source, `filter operator '${op[0].trim().replace(/^[^a-z=]/, '')}' is not supported`);
  try {
    JSONPath({
      path: `$[?(${rootRefsToAtRoot(expr)})]`,
      json: [{}],
      wrap: true,
      eval: 'safe',
      ignoreEvalErrors: false,
    });
  } catch (err) {
    // jsonpath-plus prefixes runtime errors (missing fields on the dry-run document) with "jsonPath:"; the rest are
    // parse errors.
    const message = err instanceof Error ? err.message : String(err);
    if (!message.startsWith('jsonPath:'))
      throw new JsonPathSyntaxError(source, `bad filter expression: ${clip(message)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Parser: Jayway-style syntax into segments.

function parseSegments(expr: string): Segment[] {
  if (!expr.startsWith('$')) throw new JsonPathSyntaxError(expr, "must start with '$'");
  if (expr === '$' || expr === '$.') return [];
  const segments: Segment[] = [];
  let pos = 1;
  while (pos < expr.length) {
    const c = expr[pos];
    if (c === '.') pos = parseDot(expr, pos, segments);
    else if (c === '[') pos = parseBracket(expr, pos, segments);
    else if (c === ']') throw new JsonPathSyntaxError(expr, `unexpected ']' at position ${pos}`);
    else throw new JsonPathSyntaxError(expr, `expected '.' or '[' at position ${pos}`);
  }
  if (segments.at(-1)?.kind === 'deep')
    throw new JsonPathSyntaxError(expr, "'..' must be followed by a name, '*' or '['");
  return segments;
}

function parseDot(expr: string, pos: number, out: Segment[]): number {
  let p = pos + 1;
  if (expr[p] === '.') {
    out.push({ kind: 'deep' });
    p++;
    if (p >= expr.length || expr[p] === '.')
      throw new JsonPathSyntaxError(expr, "'..' must be followed by a name, '*' or '['");
    if (expr[p] === '[') return p;
  }
  if (p >= expr.length) throw new JsonPathSyntaxError(expr, "path ends with '.'");
  if (expr[p] === '*') {
    out.push({ kind: 'wild' });
    return p + 1;
  }
  let end = p;
  while (end < expr.length && expr[end] !== '.' && expr[end] !== '[') end++;
  const name = expr.slice(p, end);
  if (name.trim() === '') throw new JsonPathSyntaxError(expr, `empty name at position ${p}`);
  if (name.includes(']')) throw new JsonPathSyntaxError(expr, `unexpected ']' in name '${clip(name)}'`);
  if (name.includes("'") || name.includes('"'))
    throw new JsonPathSyntaxError(expr, `quote in name '${clip(name)}' (use ['...'])`);
  if (name.includes('(')) throw new JsonPathSyntaxError(expr, `functions such as '${clip(name)}' are not supported`);
  // A dotted name with spaces ($.first name) is read as the bracket form $['first name'].
  out.push({ kind: 'key', name });
  return end;
}

function parseBracket(expr: string, pos: number, out: Segment[]): number {
  let p = skipSpaces(expr, pos + 1);
  const c = expr[p];
  if (c === "'" || c === '"') {
    const names: string[] = [];
    for (;;) {
      const [name, next] = readQuoted(expr, p);
      names.push(name);
      p = skipSpaces(expr, next);
      if (expr[p] === ',') {
        p = skipSpaces(expr, p + 1);
        continue;
      }
      if (expr[p] === ']') break;
      throw new JsonPathSyntaxError(expr, p >= expr.length ? "unclosed '['" : `expected ',' or ']' at position ${p}`);
    }
    out.push(names.length === 1 ? { kind: 'key', name: names[0]! } : { kind: 'union', items: names });
    return p + 1;
  }
  if (c === '?') return parseFilter(expr, p, out);
  if (c === '(') throw new JsonPathSyntaxError(expr, 'script expressions [(...)] are not supported');
  const close = expr.indexOf(']', p);
  if (close < 0) throw new JsonPathSyntaxError(expr, "unclosed '['");
  const inner = expr.slice(p, close).trim();
  out.push(bracketContent(expr, inner));
  return close + 1;
}

function bracketContent(expr: string, inner: string): Segment {
  if (inner === '*') return { kind: 'wild' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  if (/^(-?\d+)?\s*:\s*(-?\d+)?(\s*:\s*(-?\d+)?)?$/.test(inner))
    return { kind: 'slice', text: inner.replace(/\s+/g, '') };
  if (/^-?\d+(\s*,\s*-?\d+)+$/.test(inner))
    return { kind: 'union', items: inner.split(',').map((x) => Number(x.trim())) };
  if (inner === '') throw new JsonPathSyntaxError(expr, "empty '[]'");
  if (inner.includes('[')) throw new JsonPathSyntaxError(expr, "unbalanced '['");
  throw new JsonPathSyntaxError(expr, `'[${clip(inner)}]' is not an index, slice, wildcard or quoted name`);
}

function parseFilter(expr: string, pos: number, out: Segment[]): number {
  const open = skipSpaces(expr, pos + 1);
  if (expr[open] !== '(') throw new JsonPathSyntaxError(expr, "expected '(' after '?'");
  const close = matchingParen(expr, open);
  const end = skipSpaces(expr, close + 1);
  if (expr[end] !== ']') throw new JsonPathSyntaxError(expr, "expected ']' after filter");
  const body = expr.slice(open + 1, close).trim();
  if (body === '') throw new JsonPathSyntaxError(expr, 'empty filter');
  out.push({ kind: 'filter', expr: body });
  return end + 1;
}

/** Index of the `)` closing the `(` at `open`, skipping quoted strings. */
function matchingParen(expr: string, open: number): number {
  let depth = 0;
  for (let i = open; i < expr.length; i++) {
    const c = expr[i];
    if (c === "'" || c === '"') i = readQuoted(expr, i)[1] - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new JsonPathSyntaxError(expr, "unbalanced '(' in filter");
}

/**
 * Read a quoted name starting at `pos` (the quote); returns the unescaped text and the index after the closing quote.
 */
function readQuoted(expr: string, pos: number): [string, number] {
  const quote = expr[pos];
  let text = '';
  for (let i = pos + 1; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '\\' && i + 1 < expr.length) {
      text += expr[++i];
      continue;
    }
    if (c === quote) return [text, i + 1];
    text += c;
  }
  throw new JsonPathSyntaxError(expr, `unclosed quote ${quote}`);
}

function skipSpaces(expr: string, pos: number): number {
  while (expr[pos] === ' ') pos++;
  return pos;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
