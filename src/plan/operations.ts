/**
 * @module plan/operations — compile one executable element (REST operation, MCP tool or
 * resource, aggregate function) into an OperationPlan: inputs, `with`, the action it runs
 * (call / steps / mock / function), output shape and the optional wait loop.
 */
import type { ExecutableSpec, ExposedParamSpec, StepSpec, WaitSpec, OutputParamSpec } from '../documents/types.ts';
import { compileOutputs, hasStaticValues, mistypedValues, type OutputShape } from '../mapping/output.ts';
import { compileDotWalk, JsonPathSyntaxError } from '../mapping/jsonpath.ts';
import { compileTemplate } from '../mapping/template.ts';
import type { ActionPlan, InputParamPlan, MappingPlan, OperationPlan, StepPlan, WaitPlan, WithEntry } from './types.ts';
import { pathAt, resolveCall, type DocContext } from './context.ts';
import { compileWith, type WithOptions } from './with.ts';
import { compileTask } from './task.ts';

export interface OperationInput {
  readonly id: string;
  readonly spec: ExecutableSpec;
  readonly pointer: string;
  readonly inputs: InputParamPlan[];
  readonly withOptions: WithOptions;
  readonly semantics?: OperationPlan['semantics'];
}

/** Compile; returns undefined when the element cannot run (errors already reported). */
export function buildOperation(ctx: DocContext, input: OperationInput): OperationPlan | undefined {
  const { spec, pointer } = input;
  const errorsBefore = ctx.sink.errorCount;
  const withEntries = compileWith(ctx, spec.with, `${pointer}/with`, input.withOptions);
  const shapes = compileShape(ctx, spec.outputParameters, `${pointer}/outputParameters`);
  const action = compileAction(ctx, spec, pointer, input.withOptions, shapes);
  const wait = spec['x-capgate-wait']
    ? compileWait(ctx, spec['x-capgate-wait'], `${pointer}/x-capgate-wait`, action)
    : undefined;
  const task = spec['x-capgate-task']
    ? compileTask(ctx, {
        spec: spec['x-capgate-task'],
        pointer: `${pointer}/x-capgate-task`,
        action,
        with: withEntries,
        wait,
        inputs: input.inputs,
        withOptions: input.withOptions,
      })
    : undefined;
  const errorsAfter = ctx.sink.errorCount;
  if (!action || errorsAfter > errorsBefore) return undefined;
  return {
    id: input.id,
    name: spec.name,
    label: spec.label,
    description: spec.description,
    capability: ctx.capability,
    ownNamespace: input.withOptions.ownNamespace,
    inputs: input.inputs,
    with: withEntries,
    action,
    output: action.kind === 'steps' || action.kind === 'mock' ? undefined : shapes,
    mockOutput: action.kind === 'mock' ? shapes : undefined,
    wait,
    ...(task ? { task } : {}),
    semantics: input.semantics,
    source: { file: ctx.loaded.file, pointer },
  };
}

function compileShape(
  ctx: DocContext,
  params: OutputParamSpec[] | undefined,
  pointer: string,
): OutputShape | undefined {
  if (!params || !params.length) return undefined;
  try {
    const shape = compileOutputs(params);
    for (const m of mistypedValues(params, pointer)) {
      ctx.sink.warn(
        'OUTPUT_VALUE_TYPE',
        m.pointer,
        `value ${JSON.stringify(m.value)} is not a ${m.type}; it is returned as written`,
        `write a ${m.type} value or declare the type the value has`,
      );
    }
    return shape;
  } catch (err) {
    const msg = err instanceof JsonPathSyntaxError ? err.message : 'invalid output parameters';
    ctx.sink.error('JSONPATH_INVALID', pointer, msg);
    return undefined;
  }
}

function compileAction(
  ctx: DocContext,
  spec: ExecutableSpec,
  pointer: string,
  w: WithOptions,
  shape: OutputShape | undefined,
): ActionPlan | undefined {
  if (spec.ref) {
    const fn = ctx.functions.get(spec.ref);
    if (!fn) {
      const refs = [...ctx.functions.keys()];
      ctx.sink.error(
        'REF_UNKNOWN',
        `${pointer}/ref`,
        `unknown aggregate function ref '${spec.ref}'`,
        refs.length ? `available refs: ${refs.join(', ')}` : 'this capability declares no aggregates',
      );
      return undefined;
    }
    return { kind: 'function', fn };
  }
  if (spec.call) {
    const op = resolveCall(ctx, spec.call, `${pointer}/call`);
    return op ? { kind: 'call', op } : undefined;
  }
  if (spec.steps?.length) {
    const steps = compileSteps(ctx, spec.steps, `${pointer}/steps`, w);
    const mappings = compileMappings(ctx, spec, pointer);
    return steps ? { kind: 'steps', steps, mappings } : undefined;
  }
  if (shape && hasStaticValues(shape)) return { kind: 'mock' };
  ctx.sink.error(
    'NOTHING_TO_RUN',
    pointer,
    `'${spec.name ?? 'operation'}' has no call, steps, ref or static output values`,
    'add `call: <namespace>.<operation>` or outputParameters with `value`',
  );
  return undefined;
}

function compileSteps(ctx: DocContext, steps: StepSpec[], pointer: string, w: WithOptions): StepPlan[] | undefined {
  const out: StepPlan[] = [];
  const seen = new Set<string>();
  let ok = true;
  steps.forEach((s, i) => {
    const p = `${pointer}/${i}`;
    const step = compileStep(ctx, s, p, w, seen);
    if (step) out.push(step);
    else ok = false;
    seen.add(s.name);
  });
  return ok ? out : undefined;
}

function compileStep(
  ctx: DocContext,
  s: StepSpec,
  p: string,
  w: WithOptions,
  earlier: Set<string>,
): StepPlan | undefined {
  if (s.type === 'call') {
    const op = resolveCall(ctx, s.call, `${p}/call`);
    const withEntries: WithEntry[] = compileWith(ctx, s.with, `${p}/with`, w);
    return op ? { kind: 'call', name: s.name, op, with: withEntries } : undefined;
  }
  if (s.type === 'lookup') {
    if (!earlier.has(s.index)) {
      ctx.sink.error(
        'LOOKUP_INDEX_UNKNOWN',
        `${p}/index`,
        `lookup step '${s.name}' references '${s.index}', which is not an earlier step`,
        earlier.size ? `earlier steps: ${[...earlier].join(', ')}` : undefined,
      );
      return undefined;
    }
    const value = s.lookupValue.startsWith('$')
      ? { path: dotWalk(ctx, s.lookupValue, `${p}/lookupValue`) }
      : { template: compileTemplate(s.lookupValue) };
    if (s.lookupValue.startsWith('$') && !value.path) return undefined;
    const fields = (s.outputParameters ?? []).map((f) => (typeof f === 'string' ? f : f.name));
    return { kind: 'lookup', name: s.name, index: s.index, match: s.match, value, fields };
  }
  ctx.sink.error(
    'STEP_NOT_SUPPORTED',
    `${p}/type`,
    `step type '${String((s as { type?: unknown }).type)}' is not supported yet`,
    "capgate runs 'call' and 'lookup' steps; script steps are planned",
  );
  return undefined;
}

function dotWalk(ctx: DocContext, expr: string, pointer: string) {
  try {
    return compileDotWalk(expr);
  } catch (err) {
    ctx.sink.error('JSONPATH_INVALID', pointer, err instanceof Error ? err.message : `invalid path '${expr}'`);
    return undefined;
  }
}

function compileMappings(ctx: DocContext, spec: ExecutableSpec, pointer: string): MappingPlan[] {
  return (spec.mappings ?? []).flatMap((m, i) => {
    const path = dotWalk(ctx, m.value, `${pointer}/mappings/${i}/value`);
    return path ? [{ target: m.targetName.split('.'), path }] : [];
  });
}

function compileWait(
  ctx: DocContext,
  w: WaitSpec,
  pointer: string,
  action: ActionPlan | undefined,
): WaitPlan | undefined {
  if (action && action.kind !== 'call' && action.kind !== 'function') {
    ctx.sink.error(
      'WAIT_NEEDS_CALL',
      pointer,
      'x-capgate-wait repeats a consumed call; this element has no `call` or `ref`',
    );
    return undefined;
  }
  const until = pathAt(ctx, w.until, `${pointer}/until`);
  if (!until) return undefined;
  const prog = w.progress;
  const progress = prog
    ? {
        current: prog.current ? pathAt(ctx, prog.current, `${pointer}/progress/current`) : undefined,
        total: prog.total ? pathAt(ctx, prog.total, `${pointer}/progress/total`) : undefined,
        message: prog.message ? pathAt(ctx, prog.message, `${pointer}/progress/message`) : undefined,
      }
    : undefined;
  const intervalMs = w.intervalMs ?? 1000;
  return {
    until,
    terminal: w.terminal,
    failed: w.failed ?? [],
    progress,
    intervalMs,
    maxIntervalMs: Math.max(w.maxIntervalMs ?? 10_000, intervalMs),
    backoff: w.backoff ?? 1.5,
    jitter: w.jitter ?? 0.2,
    timeoutMs: w.timeoutMs ?? 30_000,
  };
}

/** Exposed input parameter spec → plan (REST: where it comes from; MCP: an argument). */
export function compileInput(
  ctx: DocContext,
  p: ExposedParamSpec,
  pointer: string,
  defaultIn: InputParamPlan['in'],
): InputParamPlan {
  const value = p.value;
  const isPath = typeof value === 'string' && value.startsWith('$');
  return {
    name: p.name,
    in: p.in ?? defaultIn,
    type: p.type,
    required: p.required ?? (p.in === 'path' || defaultIn === 'body'),
    description: p.description,
    pattern: compilePattern(ctx, p.pattern, `${pointer}/pattern`),
    enum: p.enum,
    default: p.default,
    constant: value !== undefined && !isPath ? value : undefined,
    bodyPath: isPath ? pathAt(ctx, value as string, `${pointer}/value`) : undefined,
    items: p.items,
  };
}

function compilePattern(ctx: DocContext, pattern: string | undefined, pointer: string): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch {
    ctx.sink.error('PATTERN_INVALID', pointer, `pattern '${pattern}' is not a valid regular expression`);
    return undefined;
  }
}
