/**
 * @module plan/references — checks that what a consumed call needs is provided: every variable of
 * the consumed path template must come from `with`, an input, an exposed path variable or a
 * bind. Case-only mismatches are accepted (510 real bindings depend on it) with one warning.
 */
import type { ActionPlan, InputParamPlan, WithEntry } from './types.ts';
import { closest, findKey, type DocContext } from './context.ts';
import { declaredBindOf } from '../secrets/names.ts';

export interface BindingScope {
  readonly inputs: readonly InputParamPlan[];
  readonly with: readonly WithEntry[];
  /** Inputs exist implicitly (REST operation or MCP tool that declares none). */
  readonly implicit: boolean;
  /** Argument names of a literal MCP `inputSchema` (its properties), which `with` may reference too. */
  readonly schemaNames?: readonly string[];
}

/** Report unbound consumed path variables of a call action. */
export function checkCallBindings(ctx: DocContext, action: ActionPlan, scope: BindingScope, pointer: string): void {
  if (action.kind !== 'call') return;
  const op = action.op;
  const provided = [...scope.inputs.map((i) => i.name), ...scope.with.map((w) => w.key)];
  for (const v of op.path.vars) {
    if (declaredBindOf(v, ctx.capability)) continue;
    const hit = findKey(provided, v);
    if (hit === v) continue;
    if (hit) {
      warnOnce(
        ctx,
        'CASE_MISMATCH',
        pointer,
        `path variable {${v}} of ${op.upstream.namespace}.${op.name} is provided as '${hit}' (case differs); matched case-insensitively`,
      );
      continue;
    }
    const message = `path variable {${v}} of ${op.upstream.namespace}.${op.name} is not provided by any input or \`with\``;
    if (scope.implicit) {
      ctx.sink.warn(
        'CALL_PATH_VAR_UNBOUND',
        pointer,
        `${message}; requests must supply '${v}' (e.g. as a query parameter)`,
        `add \`with: { ${v}: <ns>.${v} }\``,
      );
    } else {
      ctx.sink.error(
        'CALL_PATH_VAR_UNBOUND',
        pointer,
        message,
        `declare an input '${v}' or add \`with: { ${v}: <namespace>.<input> }\``,
      );
    }
  }
}

/**
 * `with` references must name an input that exists (when inputs are declared): a reference that resolves to
 * nothing is a load error, never text sent upstream.
 */
export function checkWithRefs(ctx: DocContext, scope: BindingScope, pointer: string, prefix: string): void {
  const names = [...scope.inputs.map((i) => i.name), ...(scope.schemaNames ?? [])];
  scope.with.forEach((w) => {
    if (w.kind !== 'ref') return;
    const hit = findKey(names, w.name);
    if (hit === w.name) return;
    if (hit) {
      warnOnce(
        ctx,
        'CASE_MISMATCH',
        `${pointer}/with/${w.key}`,
        `'${prefix}.${w.name}' matches input '${hit}' only case-insensitively`,
      );
      return;
    }
    if (scope.implicit) return;
    const near = names.length ? ` (inputs: ${names.join(', ')})` : '';
    ctx.sink.error(
      'WITH_UNKNOWN_INPUT',
      `${pointer}/with/${w.key}`,
      `'${prefix}.${w.name}' names no input of this operation${near}`,
      hintFor(prefix, w.name, names),
    );
  });
}

function hintFor(prefix: string, name: string, names: string[]): string {
  const near = closest(name, names) ?? bracketNear(name, names);
  if (near) return `did you mean '${prefix}.${near}'?`;
  if (name.includes('[') && prefix === 'tools')
    return `MCP input names cannot contain brackets: declare an input such as '${plainName(name)}' and write '${prefix}.${plainName(name)}', or list '${name}' in a literal inputSchema`;
  return names.length ? `inputs are: ${names.join(', ')}` : `declare an input named '${name}'`;
}

/** `page[number]` → an input written without the brackets (`pageNumber`, `page_number`, `page-number`). */
function bracketNear(name: string, names: string[]): string | undefined {
  if (!name.includes('[')) return undefined;
  const flat = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return names.find((n) => flat(n) === flat(name));
}

function plainName(name: string): string {
  return name.replace(/\[([^\]]*)\]/g, '_$1').replace(/[^A-Za-z0-9_*-]/g, '');
}

export function warnOnce(ctx: DocContext, code: string, pointer: string, message: string, hint?: string): void {
  if (ctx.warnedOnce.has(code)) return;
  ctx.warnedOnce.add(code);
  ctx.sink.warn(code, pointer, `${message} (reported once per file)`, hint);
}
