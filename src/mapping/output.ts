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
 * - every value is read as its declared type (`value-types.ts`): numeric text becomes a number,
 *   `true`/`false` a boolean, a number in a `string` field its text; a value that cannot be read
 *   as its type yields nothing (null inside objects and arrays). `output-schema.ts` describes the
 *   result by the same rules, so values and the advertised outputSchema always agree.
 * - `value` is a static value (a template rendered over the request inputs), read as its declared
 *   type too; `x-capgate-translate` maps values.
 */
import { compilePath, type CompiledPath } from './jsonpath.ts';
import { compileTemplate, renderTemplate, type Template, type Lookup } from './template.ts';
import { conform, isTyped } from './value-types.ts';
import type { OutputParamSpec } from '../documents/types.ts';

export { conform } from './value-types.ts';

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
      /** A value known at compile time (no placeholders, a non-string, or `x-capgate-literal`). */
      readonly constant: boolean;
      /** The constant, read as the declared type when it can be (else as written). */
      readonly value?: unknown;
      readonly template?: Template;
      /** The input a template that is exactly one `{{x}}` copies, keeping its JSON type. */
      readonly single?: string;
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
  if (p.value !== undefined && p.mapping === undefined) return compileStatic(p);
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

const SINGLE = /^\{\{\s*([^{}\s]+)\s*\}\}$/;

function compileStatic(p: OutputParamSpec): ShapeNode {
  const raw = p.value;
  const base = { kind: 'static' as const, name: p.name, type: p.type };
  if (typeof raw !== 'string' || p['x-capgate-literal'] === true)
    return { ...base, constant: true, value: constantOf(raw, p.type) };
  const template = compileTemplate(raw);
  if (template.constant) return { ...base, constant: true, value: constantOf(raw, p.type) };
  return { ...base, constant: false, template, single: SINGLE.exec(raw.trim())?.[1] };
}

/** A constant read as its declared type; one that cannot be is kept as written (the plan warns about it). */
function constantOf(raw: unknown, type: string | undefined): unknown {
  const v = conform(raw, type);
  return v === undefined ? raw : v;
}

/**
 * Static values whose constant cannot be read as their declared type (e.g. `{type: number, value: abc}`),
 * with the JSON pointer of each below `pointer`: the plan reports them, the value is returned as written.
 */
export function mistypedValues(
  params: readonly OutputParamSpec[],
  pointer: string,
): Array<{ pointer: string; value: unknown; type: string }> {
  const out: Array<{ pointer: string; value: unknown; type: string }> = [];
  const walk = (p: OutputParamSpec, at: string) => {
    if (p.value !== undefined && p.mapping === undefined) {
      const node = compileStatic(p);
      if (node.kind === 'static' && node.constant && isTyped(p.type) && conform(p.value, p.type) === undefined)
        out.push({ pointer: `${at}/value`, value: p.value, type: p.type });
      return;
    }
    for (const [k, v] of Object.entries(p.properties ?? {})) walk(v, `${at}/properties/${escapePointer(k)}`);
    if (p.items) walk(p.items, `${at}/items`);
  };
  params.forEach((p, i) => walk(p, `${pointer}/${i}`));
  return out;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
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
      return conform(root, node.type);
    case 'static':
      return renderStatic(node, inputs);
    case 'scalar': {
      // The declared type is that of the result: a translated value is read as it after translation.
      const v = node.path.evaluate(root);
      return conform(node.translate ? translate(v, node.translate) : v, node.type);
    }
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
    // Items with neither mapping nor properties are the element itself, read as the item type.
    const v = items.kind === 'declared' ? conform(el, items.type) : evalNode(items, el, inputs);
    return v === undefined ? null : v;
  });
}

function renderStatic(node: Extract<ShapeNode, { kind: 'static' }>, inputs: Lookup): unknown {
  if (node.constant) return node.value;
  const template = node.template!;
  // `{{x}}` alone keeps x's JSON type for typed non-text values; everything else renders as text first.
  if (node.single !== undefined && isTyped(node.type) && node.type !== 'string')
    return conform(inputs(node.single), node.type);
  return conform(renderTemplate(template, inputs).text, node.type);
}

function translate(v: unknown, t: Translate | undefined): unknown {
  if (!t || v === undefined) return v;
  const key = v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (t.map.has(key)) return t.map.get(key);
  return t.hasDefault ? t.default : v;
}

/**
 * Mock mode (no upstream). Unnamed parameters work as in simple mode: the first that yields a value
 * is the result itself. Once some parameter has a name, the result is an object keyed by name (`value`
 * for an unnamed one). Static values are read as their declared type. undefined when nothing yields.
 */
export function applyMock(shape: OutputShape, inputs: Lookup): unknown {
  if (shape.nodes.every((n) => n.kind === 'passthrough' || n.name === undefined)) {
    for (const node of shape.nodes) {
      const v = mockValue(node, inputs);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const node of shape.nodes) {
    const v = mockValue(node, inputs);
    if (v !== undefined) out[node.kind === 'passthrough' ? 'value' : (node.name ?? 'value')] = v;
  }
  return Object.keys(out).length ? out : undefined;
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
