/**
 * @module plan/context — per-document state shared by the plan builders: the problem sink, the
 * capability, its upstreams and aggregate functions, and helpers to compile with a location.
 */
import type { ProblemSink } from '../documents/problems.ts';
import type { LoadedDocument } from '../documents/load.ts';
import type { CapabilityPlan, ConsumedOperationPlan, OperationPlan, UpstreamPlan } from './types.ts';
import { JsonPathSyntaxError, compilePath, type CompiledPath } from '../mapping/jsonpath.ts';
import { closest } from '../documents/suggest.ts';

export { closest };

export interface DocContext {
  readonly loaded: LoadedDocument;
  readonly sink: ProblemSink;
  readonly capability: CapabilityPlan;
  readonly upstreams: Map<string, UpstreamPlan>;
  /** `aggregate-namespace.function` → compiled function. */
  readonly functions: Map<string, OperationPlan>;
  /** Warn once per document for tolerated real-world quirks. */
  readonly warnedOnce: Set<string>;
}

/** Compile a JSONPath, reporting a located error instead of throwing. */
export function pathAt(ctx: DocContext, expr: string, pointer: string): CompiledPath | undefined {
  try {
    return compilePath(expr);
  } catch (err) {
    const msg = err instanceof JsonPathSyntaxError ? err.message : `invalid JSONPath '${expr}'`;
    ctx.sink.error('JSONPATH_INVALID', pointer, msg);
    return undefined;
  }
}

/** Resolve `ns.op` against the document's consumes; report a located error with what exists. */
export function resolveCall(ctx: DocContext, call: string, pointer: string): ConsumedOperationPlan | undefined {
  const dot = call.indexOf('.');
  if (dot < 0) {
    ctx.sink.error(
      'CALL_FORMAT',
      pointer,
      `call '${call}' must name a consumed operation as <namespace>.<operation>`,
      hintNamespaces(ctx),
    );
    return undefined;
  }
  const ns = call.slice(0, dot);
  const op = call.slice(dot + 1);
  const upstream = ctx.upstreams.get(ns);
  if (!upstream) {
    ctx.sink.error(
      'CALL_UNKNOWN_NAMESPACE',
      pointer,
      `call '${call}': no consumed namespace '${ns}'`,
      hintNamespaces(ctx, ns),
    );
    return undefined;
  }
  const found = upstream.operations.get(op);
  if (!found) {
    const ops = [...upstream.operations.keys()];
    const near = closest(op, ops);
    ctx.sink.error(
      'CALL_UNKNOWN_OPERATION',
      pointer,
      `call '${call}': namespace '${ns}' has no operation '${op}'`,
      near
        ? `did you mean '${ns}.${near}'?`
        : ops.length
          ? `namespace '${ns}' has operations: ${ops.slice(0, 12).join(', ')}`
          : undefined,
    );
  }
  return found;
}

function hintNamespaces(ctx: DocContext, near?: string): string | undefined {
  const names = [...ctx.upstreams.keys()];
  if (!names.length) return 'this capability consumes no namespace';
  const c = near ? closest(near, names) : undefined;
  return c ? `did you mean '${c}'?` : `consumed namespaces: ${names.join(', ')}`;
}

/** Case-insensitive lookup on a record, exact match first. */
export function findKey(names: Iterable<string>, wanted: string): string | undefined {
  let ci: string | undefined;
  const lower = wanted.toLowerCase();
  for (const n of names) {
    if (n === wanted) return n;
    if (ci === undefined && n.toLowerCase() === lower) ci = n;
  }
  return ci;
}
