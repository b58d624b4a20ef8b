/**
 * @module plan/tool-inputs — JSON Schemas for MCP tools: from declared inputParameters, from a
 * literal `inputSchema`, or inferred from `with` references and the consumed operation's
 * parameters when the tool declares nothing (966 real tools do), so agents know what to send.
 */
import type { ActionPlan, ConsumedParamPlan, InputParamPlan, WithEntry } from './types.ts';
import { findKey } from './context.ts';
import { isPlainObject } from '../common/json.ts';

type Schema = Record<string, unknown>;

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

export function schemaFromInputs(inputs: readonly InputParamPlan[]): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const i of inputs) {
    properties[i.name] = propertySchema(i.type, i.description, i.enum, i.items, i.default);
    if (i.required) required.push(i.name);
  }
  return objectSchema(properties, required);
}

function objectSchema(properties: Record<string, Schema>, required: string[]): Schema {
  return {
    type: 'object',
    ...(Object.keys(properties).length ? { properties } : {}),
    ...(required.length ? { required } : {}),
  };
}

function propertySchema(
  type: string | undefined,
  description?: string,
  en?: readonly unknown[],
  items?: unknown,
  def?: unknown,
): Schema {
  const t = type && JSON_TYPES.has(type) ? type : 'string';
  const s: Schema = { type: t };
  if (description) s.description = description;
  if (en?.length) s.enum = [...en];
  if (t === 'array') s.items = isPlainObject(items) ? sanitizeItems(items) : {};
  if (def !== undefined) s.default = def;
  return s;
}

function sanitizeItems(items: Schema): Schema {
  const t = typeof items.type === 'string' && JSON_TYPES.has(items.type) ? items.type : undefined;
  return t ? { type: t } : {};
}

/**
 * Infer inputs for a tool that declares none: every `with` reference (`tools.x`), every
 * template variable in `with`, and every consumed parameter not already fed by `with`.
 * Descriptions, types and required flags come from the consumed parameter the value feeds.
 */
export function inferInputs(withEntries: readonly WithEntry[], action: ActionPlan): InputParamPlan[] {
  const consumed: ConsumedParamPlan[] = action.kind === 'call' ? consumedParams(action) : [];
  const out = new Map<string, InputParamPlan>();
  const fedKeys = new Set<string>();
  for (const w of withEntries) {
    fedKeys.add(w.key.toLowerCase());
    const target =
      consumed.find((c) => c.name === w.key) ?? consumed.find((c) => c.name.toLowerCase() === w.key.toLowerCase());
    const names = w.kind === 'ref' ? [w.name] : w.kind === 'template' ? [...w.template.vars] : [];
    for (const n of names) {
      if (out.has(n) || /^[A-Z][A-Z0-9_]*$/.test(n) || n.includes('.')) continue;
      out.set(n, fromConsumed(n, target, w.kind === 'ref'));
    }
  }
  for (const c of consumed) {
    if (fedKeys.has(c.name.toLowerCase()) || c.value || c.literal !== undefined || c.in === 'environment') continue;
    if (findKey(out.keys(), c.name)) continue;
    out.set(c.name, fromConsumed(c.name, c, false));
  }
  return [...out.values()];
}

/**
 * Declared tool inputs written without `type` or `description` take them from the consumed parameter
 * they feed (through a `with` reference, else by name); a type nothing gives stays undefined, which
 * the schema renders as string. `defaulted` says whether any input lacked one of them.
 */
export function completeInputs(
  inputs: readonly InputParamPlan[],
  withEntries: readonly WithEntry[],
  action: ActionPlan,
): { inputs: InputParamPlan[]; defaulted: boolean } {
  const consumed: ConsumedParamPlan[] = action.kind === 'call' ? consumedParams(action) : [];
  const byName = (name: string) => {
    const hit = findKey(
      consumed.map((c) => c.name),
      name,
    );
    return hit === undefined ? undefined : consumed.find((c) => c.name === hit);
  };
  let defaulted = false;
  const out = inputs.map((i) => {
    if (i.type !== undefined && i.description !== undefined) return i;
    defaulted = true;
    const fed = withEntries.find((w) => w.kind === 'ref' && w.name === i.name);
    const c = fed ? byName(fed.key) : byName(i.name);
    return { ...i, type: i.type ?? c?.type, description: i.description ?? c?.description };
  });
  return { inputs: out, defaulted };
}

function consumedParams(action: Extract<ActionPlan, { kind: 'call' }>): ConsumedParamPlan[] {
  const op = action.op;
  const declared = [...op.upstream.params, ...op.params];
  const pathParams: ConsumedParamPlan[] = op.path.vars
    .filter((v) => !declared.some((d) => d.name === v) && !/^[A-Z][A-Z0-9_]*$/.test(v))
    .map((v) => ({ name: v, in: 'path', required: true }));
  return [...declared, ...pathParams];
}

function fromConsumed(name: string, c: ConsumedParamPlan | undefined, viaRef: boolean): InputParamPlan {
  return {
    name,
    in: 'body',
    type: c?.type,
    required: c ? c.required || c.in === 'path' : viaRef && false,
    description: c?.description ?? (c ? `Sent upstream as ${c.in} parameter '${c.name}'.` : undefined),
    enum: c?.enum,
  };
}
