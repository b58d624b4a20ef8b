/**
 * @module plan/mcp — compile `type: mcp` adapters: tools (input/output schemas, annotations),
 * resources (dynamic via an operation, static from a file or a directory) and prompts.
 */
import path from 'node:path';
import type { McpExposeSpec, McpToolSpec, McpResourceSpec, McpPromptSpec } from '../documents/types.ts';
import type {
  AdapterRef,
  InputParamPlan,
  McpAdapterPlan,
  McpPromptPlan,
  McpResourcePlan,
  McpToolPlan,
  OperationPlan,
  CompletePlan,
  AskPlan,
} from './types.ts';
import type { DocContext } from './context.ts';
import { buildOperation, compileInput } from './operations.ts';
import { checkCallBindings, checkWithRefs, warnOnce } from './references.ts';
import type { WithOptions } from './with.ts';
import { completeInputs, inferInputs, schemaFromInputs } from './tool-inputs.ts';
import { shapeSchema } from '../mapping/output-schema.ts';
import { candidatePaths } from '../documents/locations.ts';
import { isPlainObject } from '../common/json.ts';
import { applyMcpHeaders, compileAsk, compileComplete, compileContent, completeId } from './mcp-extensions.ts';

export function buildMcpAdapter(
  ctx: DocContext,
  spec: McpExposeSpec,
  pointer: string,
  adapter: AdapterRef,
  known: ReadonlySet<string>,
): McpAdapterPlan {
  const w: WithOptions = { ownNamespace: spec.namespace, adapterPrefix: 'tools', knownNamespaces: known };
  const tools = (spec.tools ?? []).flatMap((t, i) => {
    const tool = buildTool(ctx, t, `${pointer}/tools/${i}`, adapter, w, spec['x-capgate-ask']);
    return tool ? [tool] : [];
  });
  const resources = (spec.resources ?? []).flatMap((r, i) => {
    const res = buildResource(ctx, r, `${pointer}/resources/${i}`, adapter, w);
    return res ? [res] : [];
  });
  const prompts = (spec.prompts ?? []).map((p, i) => buildPrompt(ctx, p, `${pointer}/prompts/${i}`, adapter, w));
  return { adapter, transport: spec.transport ?? 'http', tools, resources, prompts };
}

function buildTool(
  ctx: DocContext,
  t: McpToolSpec,
  pointer: string,
  adapter: AdapterRef,
  w: WithOptions,
  adapterAsk: McpExposeSpec['x-capgate-ask'],
): McpToolPlan | undefined {
  const fn = t.ref ? ctx.functions.get(t.ref) : undefined;
  const declared = (t.inputParameters ?? []).map((p, i) =>
    compileInput(ctx, p, `${pointer}/inputParameters/${i}`, 'body'),
  );
  const name = t.name ?? fn?.name;
  const id = `${adapter.namespace}:${name ?? '?'}`;
  const provisional = buildOperation(ctx, { id, spec: t, pointer, inputs: declared, withOptions: w });
  if (!provisional || !name) return undefined;
  const inputs = declared.length
    ? completeDeclared(ctx, declared, provisional, pointer)
    : inheritedOrInferred(ctx, t, provisional, fn, pointer);
  const op: OperationPlan = { ...provisional, inputs };
  const implicit = declared.length === 0 && !t.inputSchema;
  checkWithRefs(
    ctx,
    { inputs, with: op.with, implicit, schemaNames: schemaProperties(t.inputSchema) },
    pointer,
    'tools',
  );
  checkCallBindings(ctx, op.action, { inputs, with: op.with, implicit: true }, pointer);
  const description = t.description ?? fn?.description ?? '';
  const title = t.label ?? fn?.label;
  const output = op.output ?? (op.action.kind === 'function' ? op.action.fn.output : undefined);
  const notes = annotations(t, op, title);
  const content = compileContent(ctx, t['x-capgate-content'], `${pointer}/x-capgate-content`);
  const ask = compileAsk(
    ctx,
    t['x-capgate-ask'],
    adapterAsk,
    `${pointer}/x-capgate-ask`,
    notes.annotations?.destructiveHint === true,
  );
  if (ask) checkAnswersFit(ctx, ask, t.inputSchema, `${pointer}/x-capgate-ask`);
  return {
    name,
    ...(title ? { title } : {}),
    description,
    inputSchema:
      t.inputSchema && typeof t.inputSchema === 'object'
        ? { type: 'object', ...t.inputSchema }
        : applyMcpHeaders(ctx, t.inputParameters, schemaFromInputs(inputs), pointer),
    ...(output && shapeSchema(output) ? { outputSchema: shapeSchema(output) } : {}),
    ...notes,
    operation: op,
    ...(content ? { content } : {}),
    ...(ask ? { ask } : {}),
    ...(t['x-capgate-requires'] ? { requires: t['x-capgate-requires'] } : {}),
  };
}

/** Property names of a literal input schema (the arguments a caller may send). */
function schemaProperties(schema: unknown): string[] {
  if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return [];
  return Object.keys(schema.properties);
}

/**
 * Declared tool or aggregate function inputs without `type` or `description` borrow them from the
 * consumed parameter they feed (one warning per file).
 */
export function completeDeclared(
  ctx: DocContext,
  declared: InputParamPlan[],
  op: OperationPlan,
  pointer: string,
): InputParamPlan[] {
  const { inputs, defaulted } = completeInputs(declared, op.with, op.action);
  if (defaulted) {
    const first = declared.findIndex((i) => i.type === undefined || i.description === undefined);
    warnOnce(
      ctx,
      'MCP_INPUT_DEFAULTED',
      `${pointer}/inputParameters/${first}`,
      'tool and function inputs without `type` or `description` take them from the consumed parameter they feed (type string when none has one)',
      'declare `type` and `description` on each input',
    );
  }
  return inputs;
}

function inheritedOrInferred(
  ctx: DocContext,
  t: McpToolSpec,
  op: OperationPlan,
  fn: OperationPlan | undefined,
  pointer: string,
): InputParamPlan[] {
  if (fn && fn.inputs.length) return [...fn.inputs];
  if (t.inputSchema) return [];
  const inferred = inferInputs(op.with, op.action);
  if (inferred.length)
    warnOnce(
      ctx,
      'MCP_INPUTS_INFERRED',
      pointer,
      'MCP tools without inputParameters get an input schema inferred from `with` and the consumed operation',
      'declare inputParameters to control names, types and descriptions',
    );
  return inferred;
}

function annotations(
  t: McpToolSpec,
  op: OperationPlan,
  title: string | undefined,
): { annotations?: Record<string, unknown> } {
  const a: Record<string, unknown> = {};
  if (title) a.title = title;
  const fn = op.action.kind === 'function' ? op.action.fn : undefined;
  const sem = fn?.semantics;
  if (sem?.safe === true) Object.assign(a, { readOnlyHint: true, destructiveHint: false });
  if (sem?.safe === false) a.readOnlyHint = false;
  if (typeof sem?.idempotent === 'boolean') a.idempotentHint = sem.idempotent;
  const h = t.hints ?? {};
  if (typeof h.readOnly === 'boolean') a.readOnlyHint = h.readOnly;
  if (typeof h.destructive === 'boolean') a.destructiveHint = h.destructive;
  if (typeof h.idempotent === 'boolean') a.idempotentHint = h.idempotent;
  if (typeof h.openWorld === 'boolean') a.openWorldHint = h.openWorld;
  return Object.keys(a).length ? { annotations: a } : {};
}

function buildResource(
  ctx: DocContext,
  r: McpResourceSpec,
  pointer: string,
  adapter: AdapterRef,
  w: WithOptions,
): McpResourcePlan | undefined {
  const templated = /\{[^}]+\}/.test(r.uri);
  const base = {
    name: r.name,
    title: r.label,
    description: r.description,
    mimeType: r.mimeType,
    uri: r.uri,
    templated,
  };
  if (r.location) {
    // A directory serves each file under <uri>/<path>; a single file is served at <uri> itself.
    const target = candidatePaths(r.location, ctx.loaded.path)[0];
    if (!target) {
      ctx.sink.error(
        'RESOURCE_LOCATION',
        `${pointer}/location`,
        `resource location '${r.location}' must be a file:// path to a file or a directory`,
      );
      return undefined;
    }
    return { ...base, location: path.resolve(target) };
  }
  const vars = [...r.uri.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
  const inputs: InputParamPlan[] = vars.map((v) => ({ name: v, in: 'path', type: 'string', required: true }));
  const op = buildOperation(ctx, {
    id: `${adapter.namespace}:resource ${r.name}`,
    spec: r,
    pointer,
    inputs,
    withOptions: w,
  });
  const complete: Record<string, CompletePlan> = {};
  for (const [name, c] of Object.entries(r['x-capgate-complete'] ?? {})) {
    const at = `${pointer}/x-capgate-complete/${name}`;
    if (!vars.includes(name))
      ctx.sink.error('MCP_COMPLETE_INVALID', at, `'${name}' is not a variable of the URI template ${r.uri}`);
    const plan = compileComplete(ctx, c, at, completeId(adapter, `${r.name} ${name}`), w);
    if (plan) complete[name] = plan;
  }
  if (!op) return undefined;
  return { ...base, operation: op, ...(Object.keys(complete).length ? { complete } : {}) };
}

function buildPrompt(
  ctx: DocContext,
  p: McpPromptSpec,
  pointer: string,
  adapter: AdapterRef,
  w: WithOptions,
): McpPromptPlan {
  const args = (p.arguments ?? []).map((a, i) => {
    const complete = compileComplete(
      ctx,
      a['x-capgate-complete'],
      `${pointer}/arguments/${i}/x-capgate-complete`,
      completeId(adapter, `${p.name} ${a.name}`),
      w,
    );
    return {
      name: a.name,
      title: a.label,
      description: a.description,
      required: a.required !== false,
      ...(complete ? { complete } : {}),
    };
  });
  const file = p.location ? candidatePaths(p.location, ctx.loaded.path)[0] : undefined;
  if (p.location && !file)
    ctx.sink.error(
      'PROMPT_LOCATION',
      `${pointer}/location`,
      `prompt location '${p.location}' must be a file path or file:// URI`,
    );
  const messages = p.template?.map((m) =>
    m['x-capgate-resource'] !== undefined
      ? { role: m.role, resource: m['x-capgate-resource'] }
      : { role: m.role, content: m.content ?? '' },
  );
  const ask = compileAsk(ctx, p['x-capgate-ask'], undefined, `${pointer}/x-capgate-ask`, false);
  return {
    name: p.name,
    title: p.label,
    description: p.description,
    arguments: args,
    messages,
    file,
    ...(ask ? { ask } : {}),
  };
}

/**
 * The fields a question asks for become arguments of the call, checked against the tool's input schema: with
 * `additionalProperties: false` a field the schema does not list would make every answered call fail.
 */
function checkAnswersFit(ctx: DocContext, ask: AskPlan, inputSchema: unknown, pointer: string): void {
  if (!isPlainObject(inputSchema) || inputSchema.additionalProperties !== false) return;
  const known = isPlainObject(inputSchema.properties) ? inputSchema.properties : {};
  ask.questions.forEach((q, i) => {
    for (const name of Object.keys(q.properties))
      if (!Object.hasOwn(known, name))
        ctx.sink.error(
          'MCP_ASK_INVALID',
          `${pointer}/questions/${i}/properties/${name}`,
          `the answer field '${name}' becomes an argument, which the tool's inputSchema (additionalProperties: false) does not accept: add it to inputSchema.properties`,
        );
  });
}
