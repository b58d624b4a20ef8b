/**
 * @module plan/mcp-extensions — capgate's MCP declarations, compiled once with located errors: content blocks of a
 * tool result (`x-capgate-content`), what to ask the user (`x-capgate-ask`), the client capabilities a call needs
 * (`x-capgate-requires`), completion values (`x-capgate-complete`) and `x-mcp-header` on declared tool inputs.
 */
import type { AskSpec, CompleteSpec, ContentBlockSpec, ExposedParamSpec } from '../documents/types.ts';
import type { AdapterRef, AskPlan, CompletePlan, ContentBlockPlan, InputParamPlan, QuestionPlan } from './types.ts';
import type { DocContext } from './context.ts';
import { pathAt } from './context.ts';
import { buildOperation } from './operations.ts';
import type { WithOptions } from './with.ts';
import { compileTemplate } from '../mapping/template.ts';
import { isPlainObject } from '../common/json.ts';

/** Field types an elicitation form may hold (MCP restricts forms to primitive values and arrays of enums). */
const FORM_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array']);

export function compileContent(
  ctx: DocContext,
  spec: ContentBlockSpec | ContentBlockSpec[] | undefined,
  pointer: string,
): ContentBlockPlan[] | undefined {
  if (spec === undefined) return undefined;
  const list = Array.isArray(spec) ? spec : [spec];
  const out: ContentBlockPlan[] = [];
  list.forEach((b, i) => {
    const at = Array.isArray(spec) ? `${pointer}/${i}` : pointer;
    const from = b.from === undefined ? undefined : pathAt(ctx, b.from, `${at}/from`);
    if ((b.type === 'image' || b.type === 'audio') && b.from !== undefined && b.mimeType === undefined) {
      ctx.sink.error(
        'MCP_CONTENT_INVALID',
        at,
        `an ${b.type} block taken from a value of the answer needs a mimeType`,
        'add mimeType, e.g. image/png',
      );
      return;
    }
    out.push({
      type: b.type,
      ...(from ? { from } : {}),
      ...(b.mimeType !== undefined ? { mimeType: b.mimeType } : {}),
      ...(b.uri !== undefined ? { uri: b.uri } : {}),
    });
  });
  return out;
}

/** The tool's own `x-capgate-ask` wins field by field over the adapter's. */
export function compileAsk(
  ctx: DocContext,
  own: AskSpec | undefined,
  adapter: AskSpec | undefined,
  pointer: string,
  destructive: boolean,
): AskPlan | undefined {
  if (!own && !adapter) return undefined;
  const missingArguments = own?.missingArguments ?? adapter?.missingArguments ?? false;
  const confirmSpec = own?.confirm ?? (destructive && adapter?.confirmDestructive ? true : adapter?.confirm);
  const questions: QuestionPlan[] = (own?.questions ?? []).map((q, i) => {
    checkForm(ctx, q.properties, `${pointer}/questions/${i}/properties`);
    return {
      key: q.key,
      message: compileTemplate(q.message),
      properties: q.properties,
      required: q.required ?? [],
    };
  });
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.key) || q.key === CONFIRM_KEY || q.key === MISSING_KEY)
      ctx.sink.error(
        'MCP_ASK_INVALID',
        `${pointer}/questions/${i}/key`,
        `question key '${q.key}' is used twice or is reserved (${CONFIRM_KEY}, ${MISSING_KEY})`,
      );
    seen.add(q.key);
  });
  const confirm =
    confirmSpec === undefined || confirmSpec === false
      ? undefined
      : compileTemplate(typeof confirmSpec === 'string' ? confirmSpec : '');
  if (!missingArguments && questions.length === 0 && !confirm) return undefined;
  return { missingArguments, questions, ...(confirm ? { confirm } : {}) };
}

/** The keys under which capgate asks its own questions. */
export const CONFIRM_KEY = 'confirm_call';
export const MISSING_KEY = 'missing_arguments';

function checkForm(ctx: DocContext, properties: Record<string, unknown>, pointer: string): void {
  for (const [name, schema] of Object.entries(properties)) {
    const type = isPlainObject(schema) ? schema.type : undefined;
    if (typeof type !== 'string' || !FORM_TYPES.has(type))
      ctx.sink.error(
        'MCP_ASK_INVALID',
        `${pointer}/${name}`,
        `form field '${name}' must have type string, number, integer, boolean or array (of enums)`,
      );
  }
}

/** `x-capgate-complete` of one argument or template variable. */
export function compileComplete(
  ctx: DocContext,
  spec: CompleteSpec | undefined,
  pointer: string,
  id: string,
  w: WithOptions,
): CompletePlan | undefined {
  if (!spec) return undefined;
  if (spec.values) return { kind: 'values', values: spec.values };
  const inputs: InputParamPlan[] = [{ name: 'value', in: 'query', type: 'string', required: false }];
  const operation = buildOperation(ctx, {
    id,
    spec: { call: spec.call, with: spec.with },
    pointer,
    inputs,
    withOptions: w,
  });
  if (!operation) return undefined;
  const path = spec.path === undefined ? undefined : pathAt(ctx, spec.path, `${pointer}/path`);
  return { kind: 'call', operation, ...(path ? { path } : {}) };
}

/**
 * `x-mcp-header` on declared inputs (SEP-2243): the client mirrors the argument in an `Mcp-Param-<Name>` header.
 * Only string, integer and boolean arguments may carry one, and names are tokens, unique regardless of case.
 */
export function applyMcpHeaders(
  ctx: DocContext,
  declared: readonly ExposedParamSpec[] | undefined,
  schema: Record<string, unknown>,
  pointer: string,
): Record<string, unknown> {
  if (!declared?.some((p) => p['x-mcp-header'] !== undefined)) return schema;
  const properties = isPlainObject(schema.properties) ? { ...schema.properties } : {};
  const seen = new Set<string>();
  declared.forEach((p, i) => {
    const header: unknown = p['x-mcp-header'];
    if (header === undefined) return;
    const at = `${pointer}/inputParameters/${i}/x-mcp-header`;
    const type = p.type ?? 'string';
    if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
      ctx.sink.error('MCP_HEADER_INVALID', at, 'x-mcp-header must be an HTTP header name token');
      return;
    }
    if (!['string', 'integer', 'boolean'].includes(type)) {
      ctx.sink.error('MCP_HEADER_INVALID', at, `x-mcp-header is only allowed on string, integer or boolean arguments`);
      return;
    }
    if (seen.has(header.toLowerCase())) {
      ctx.sink.error('MCP_HEADER_INVALID', at, `x-mcp-header '${header}' is used twice (names ignore case)`);
      return;
    }
    seen.add(header.toLowerCase());
    const prop = properties[p.name];
    properties[p.name] = { ...(isPlainObject(prop) ? prop : { type }), 'x-mcp-header': header };
  });
  return { ...schema, properties };
}

/** For AdapterRef-less callers: the id of a completion operation. */
export function completeId(adapter: AdapterRef, what: string): string {
  return `${adapter.namespace}:complete ${what}`;
}
