/**
 * @module plan/with — compile `with` bindings: `<own-namespace>.x` and
 * the adapter prefix (`rest.x` / `tools.x`, also `rest.page[number]`) are references to inputs
 * (checked against the inputs in plan/references.ts), other strings are
 * templates, non-strings are literals. A prefix naming some other namespace stays literal but
 * earns a warning (it is almost always a copy-paste mistake).
 */
import { compileTemplate } from '../mapping/template.ts';
import type { WithEntry } from './types.ts';
import type { DocContext } from './context.ts';

export interface WithOptions {
  readonly ownNamespace: string;
  /** `rest` for REST operations, `tools` for MCP tools; undefined for aggregate functions. */
  readonly adapterPrefix?: string;
  /** All namespaces of the document (consumes, exposes, binds, aggregates) for the warning. */
  readonly knownNamespaces: ReadonlySet<string>;
}

/**
 * `<prefix>.<input>`. Input names may carry brackets (JSON:API style `page[number]`, `filter[tag]`): without
 * them here such a value would be a constant and leave the gateway as the literal text `rest.page[number]`.
 */
const QUALIFIED = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_$*.[\]-]+)$/;

export function compileWith(
  ctx: DocContext,
  spec: Record<string, unknown> | undefined,
  pointer: string,
  opts: WithOptions,
): WithEntry[] {
  if (!spec) return [];
  return Object.entries(spec).map(([key, value]) => compileEntry(ctx, key, value, `${pointer}/${key}`, opts));
}

function compileEntry(ctx: DocContext, key: string, value: unknown, pointer: string, opts: WithOptions): WithEntry {
  if (typeof value !== 'string') return { key, kind: 'literal', value };
  const m = QUALIFIED.exec(value);
  if (m && !value.includes('{{')) {
    const [, prefix, name] = m;
    if (prefix === opts.ownNamespace || prefix === opts.adapterPrefix) return { key, kind: 'ref', name };
    if (opts.knownNamespaces.has(prefix)) {
      ctx.sink.warn(
        'WITH_FOREIGN_NAMESPACE',
        pointer,
        `with value '${value}' looks like a namespace reference but '${prefix}' is not this adapter's namespace; it is sent as the literal text`,
        `write '${opts.adapterPrefix ?? opts.ownNamespace}.${name}' to pass the input '${name}'`,
      );
    }
  }
  const template = compileTemplate(value);
  return template.constant ? { key, kind: 'literal', value } : { key, kind: 'template', template };
}
