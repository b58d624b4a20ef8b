/**
 * @module mapping/output — compile exposed `outputParameters` into a shape once, apply it to a
 * parsed upstream body per request. Pure: no I/O, no protocol types.
 *
 * Semantics (reference-compatible where sound, see README "Differences"):
 * - simple mode: parameters are tried in order, the first that yields a value is the payload;
 *   `type: object` always yields an object. When none yields anything capgate reports a mapping
 *   failure instead of silently returning the raw body.
 * - `mapping: $` (or `$.`) with no properties is a pass-through of the upstream body.
 * - arrays map each element relative to itself; a single object where an array is expected is
 *   treated as a one-element array (fixes XML one-item lists).
 * - scalars are coerced to the declared type when the value is a compatible string.
 * - `value` is a static text rendered over the request inputs; `x-capgate-translate` maps values.
 */
import { compilePath, type CompiledPath } from './jsonpath.ts';
import { compileTemplate, renderTemplate, type Template, type Lookup } from './template.ts';
import type { OutputParamSpec } from '../documents/types.ts';

export interface Translate {
  readonly map: ReadonlyMap<string, unknown>;
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

export type ShapeNode =
  | { readonly kind: 'passthrough'; readonly type?: string }
  | {
      readonly kind: 'static';
      readonly name?: string;
      readonly type?: string;
      readonly template: Template;
      readonly literal: boolean;
    }
  | {
      readonly kind: 'scalar';
      readonly name?: string;
      readonly type?: string;
      readonly path: CompiledPath;
      readonly translate?: Translate;
    }
  | {
      readonly kind: 'object';
      readonly name?: string;
      readonly path?: CompiledPath;
      readonly props: ReadonlyArray<readonly [string, ShapeNode]>;
    }
  | { readonly kind: 'array'; readonly name?: string; readonly path?: CompiledPath; readonly items?: ShapeNode }
  | { readonly kind: 'declared'; readonly name?: string; readonly type?: string };

export interface OutputShape {
  readonly nodes: readonly ShapeNode[];
  /** True when the only parameter passes the whole body through: enables zero-copy responses. */
  readonly passthrough: boolean;
  /** True when some node reads the upstream body (i.e. not only static values). */
  readonly readsBody: boolean;
}

/** Compile a parameter list. Throws JsonPathSyntaxError on a bad path (the caller locates it). */
export function compileOutputs(params: readonly OutputParamSpec[]): OutputShape {
  const nodes = params.map((p) => compileNode(p));
  const passthrough = nodes.length === 1 && nodes[0].kind === 'passthrough';
  return { nodes, passthrough, readsBody: nodes.some(readsBody) };
}

function readsBody(n: ShapeNode): boolean {
  switch (n.kind) {
    case 'static':
    case 'declared':
      return false;
    case 'object':
      return !!n.path || n.props.some(([, p]) => readsBody(p));
    default:
      return true;
  }
}

export function compileNode(p: OutputParamSpec): ShapeNode {
  const name = p.name;
  if (p.value !== undefined && p.mapping === undefined) {
    const text = typeof p.value === 'string' ? p.value : JSON.stringify(p.value);
    return {
      kind: 'static',
      name,
      type: p.type,
      template: compileTemplate(text),
      literal: p['x-capgate-literal'] === true || typeof p.value !== 'string',
    };
  }
  const path = typeof p.mapping === 'string' ? compilePath(p.mapping) : undefined;
  const type = p.type;
  if (type === 'array') return { kind: 'array', name, path, items: p.items ? compileNode(p.items) : undefined };
  if (p.properties && Object.keys(p.properties).length) {
    const props = Object.entries(p.properties).map(([k, v]) => [k, compileNode(v)] as const);
    return { kind: 'object', name, path: path && !path.isRoot ? path : undefined, props };
  }
  if (path?.isRoot && !p['x-capgate-translate']) return { kind: 'passthrough', type };
  if (path) return { kind: 'scalar', name, type, path, translate: compileTranslate(p) };
  return { kind: 'declared', name, type };
}

function compileTranslate(p: OutputParamSpec): Translate | undefined {
  const t = p['x-capgate-translate'];
  if (!t) return undefined;
  return { map: new Map(Object.entries(t.map)), hasDefault: 'default' in t, default: t.default };
}

/** Result of applying a shape: `matched: false` when no parameter produced anything. */
export interface Shaped {
  readonly matched: boolean;
  readonly value: unknown;
}

/** Simple mode: first parameter that yields a value wins. */
export function applyShape(shape: OutputShape, body: unknown, inputs: Lookup): Shaped {
  for (const node of shape.nodes) {
    const v = evalNode(node, body, inputs);
    if (v !== undefined) return { matched: true, value: v };
  }
  return { matched: false, value: undefined };
}

export function evalNode(node: ShapeNode, root: unknown, inputs: Lookup): unknown {
  switch (node.kind) {
    case 'passthrough':
      return root;
    case 'static':
      return renderStatic(node, inputs);
    case 'scalar':
      return translate(coerce(node.path.evaluate(root), node.type), node.translate);
    case 'object': {
      const base = node.path ? node.path.evaluate(root) : root;
      // A sub-object mapped from an absent or null upstream value is null, not an object of nulls.
      if (node.path && (base === undefined || base === null)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, child] of node.props) {
        const v = evalNode(child, base, inputs);
        out[k] = v === undefined ? null : v;
      }
      return out;
    }
    case 'array':
      return evalArray(node, root, inputs);
    case 'declared':
      return undefined;
  }
}

function evalArray(node: Extract<ShapeNode, { kind: 'array' }>, root: unknown, inputs: Lookup): unknown {
  let list = node.path ? node.path.evaluate(root) : root;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) list = [list];
  const items = node.items;
  if (!items) return list;
  return (list as unknown[]).map((el) => {
    const v = evalNode(items, el, inputs);
    return v === undefined ? null : v;
  });
}

function renderStatic(node: Extract<ShapeNode, { kind: 'static' }>, inputs: Lookup): unknown {
  if (node.literal) return node.template.source;
  return renderTemplate(node.template, inputs).text;
}

/** Declared scalar type + compatible string → typed value; anything else unchanged. */
export function coerce(v: unknown, type: string | undefined): unknown {
  if (typeof v !== 'string' || !type) return v;
  if ((type === 'number' || type === 'integer') && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

function translate(v: unknown, t: Translate | undefined): unknown {
  if (!t || v === undefined) return v;
  const key = v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (t.map.has(key)) return t.map.get(key);
  return t.hasDefault ? t.default : v;
}

/**
 * Mock mode (no upstream): an object keyed by parameter name (`value` when unnamed) holding the
 * rendered static values. Values stay strings, as in the reference engine.
 */
export function applyMock(shape: OutputShape, inputs: Lookup): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const node of shape.nodes) {
    const v = mockValue(node, inputs);
    if (v !== undefined) out[node.kind === 'passthrough' ? 'value' : (node.name ?? 'value')] = v;
  }
  return out;
}

function mockValue(node: ShapeNode, inputs: Lookup): unknown {
  switch (node.kind) {
    case 'static':
      return renderStatic(node, inputs);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, child] of node.props) {
        const v = mockValue(child, inputs);
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length ? out : undefined;
    }
    case 'array': {
      const v = node.items ? mockValue(node.items, inputs) : undefined;
      return v === undefined ? undefined : [v];
    }
    default:
      return undefined;
  }
}

/** True when mock mode can produce something (some static value somewhere). */
export function hasStaticValues(shape: OutputShape): boolean {
  const walk = (n: ShapeNode): boolean =>
    n.kind === 'static' ||
    (n.kind === 'object' && n.props.some(([, c]) => walk(c))) ||
    (n.kind === 'array' && !!n.items && walk(n.items));
  return shape.nodes.some(walk);
}

/**
 * JSON Schema of what the shape produces, when it is declared precisely enough to promise a
 * structure (an object with properties). Every mapped leaf may be null (missing in upstream).
 */
export function shapeSchema(shape: OutputShape): Record<string, unknown> | undefined {
  if (shape.nodes.length !== 1) return undefined;
  const n = shape.nodes[0];
  if (n.kind !== 'object') return undefined;
  return { ...nodeSchema(n), type: 'object' };
}

function nodeSchema(n: ShapeNode): Record<string, unknown> {
  switch (n.kind) {
    case 'object': {
      const s = { type: 'object', properties: Object.fromEntries(n.props.map(([k, c]) => [k, nodeSchema(c)])) };
      return n.path ? nullable(s) : s;
    }
    case 'array':
      return { type: ['array', 'null'], ...(n.items ? { items: nullable(nodeSchema(n.items)) } : {}) };
    case 'static':
      return { type: n.literal ? jsonType(n.type) : ['string', 'null'] };
    case 'scalar':
      if (n.translate)
        return n.translate.hasDefault
          ? { enum: [...new Set([...n.translate.map.values(), n.translate.default, null])] }
          : {};
      return { type: [jsonType(n.type), 'null'].flat() };
    default:
      return {};
  }
}

function nullable(s: Record<string, unknown>): Record<string, unknown> {
  if (s.type === 'object') return { ...s, type: ['object', 'null'] };
  return s;
}

function jsonType(t: string | undefined): string | string[] {
  switch (t) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'object':
    case 'array':
      return t;
    default:
      return ['string', 'number', 'integer', 'boolean', 'object', 'array'];
  }
}
