/**
 * @module mapping/output-schema — the JSON Schema of what an output shape produces, for MCP
 * `outputSchema`. It follows `output.ts` node by node: every value `evalNode` can produce validates
 * against the schema given here (test/mapping/output-types.test.ts checks real tool results with Ajv).
 */
import type { OutputShape, ShapeNode } from './output.ts';
import { conform, schemaType, typeOfValue } from './value-types.ts';

type Schema = Record<string, unknown>;

/**
 * The schema of a shape declared precisely enough to promise a structure (one object with
 * properties); undefined otherwise. Mapped leaves may be null (missing in the upstream, or not
 * readable as their declared type).
 */
export function shapeSchema(shape: OutputShape): Schema | undefined {
  if (shape.nodes.length !== 1) return undefined;
  const n = shape.nodes[0];
  if (n.kind !== 'object') return undefined;
  return { ...nodeSchema(n), type: 'object' };
}

/** What `evalNode` yields for `n`, null included wherever it may yield nothing (a container then holds null). */
function nodeSchema(n: ShapeNode): Schema {
  switch (n.kind) {
    case 'object':
      return {
        type: n.path ? ['object', 'null'] : 'object',
        properties: Object.fromEntries(n.props.map(([k, c]) => [k, nodeSchema(c)])),
      };
    case 'array':
      return { type: ['array', 'null'], ...(n.items ? { items: itemSchema(n.items) } : {}) };
    case 'static':
      if (n.constant) return { type: typeOfValue(n.value, n.type) };
      // Rendered text is always a string; other declared types are read from it and may fail (null).
      return n.type === undefined || n.type === 'string' ? { type: 'string' } : typedOrNull(n.type);
    case 'scalar':
      if (n.translate?.hasDefault) {
        // Every value is one of the translations (read as the declared type), or null.
        const values = [...n.translate.map.values(), n.translate.default].map((v) => conform(v, n.type) ?? null);
        return { enum: uniqueJson([...values, null]) };
      }
      return typedOrNull(n.type);
    case 'passthrough':
    case 'declared':
      return typedOrNull(n.type);
  }
}

/** An array element: what the item node yields, or null when it yields nothing. */
function itemSchema(n: ShapeNode): Schema {
  const s = nodeSchema(n);
  if (n.kind === 'object' && !n.path) return { ...s, type: ['object', 'null'] };
  if (n.kind === 'static' && typeof s.type === 'string') return { type: [s.type, 'null'] };
  return s;
}

/** Distinct values by their JSON text (objects compare by content, as JSON Schema `enum` does). */
function uniqueJson(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) if (!seen.has(JSON.stringify(v))) seen.set(JSON.stringify(v), v);
  return [...seen.values()];
}

function typedOrNull(type: string | undefined): Schema {
  const t = schemaType(type);
  return t === undefined ? {} : { type: [t, 'null'] };
}
