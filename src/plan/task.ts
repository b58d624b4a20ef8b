/**
 * @module plan/task — compile `x-capgate-task`: which call reads the operation's status, where its id comes from
 * (the element's own response, or one of its inputs), its states (from `x-capgate-wait` unless given), the optional
 * cancel call, and which scope variables a task handle must keep for those calls. Every problem is located.
 */
import type { TaskCallSpec, TaskInputSpec, TaskSpec } from '../documents/types.ts';
import type { CompiledPath } from '../mapping/jsonpath.ts';
import type { Template } from '../mapping/template.ts';
import type {
  ActionPlan,
  BodyPlan,
  ConsumedOperationPlan,
  InputParamPlan,
  TaskCallPlan,
  TaskInputPlan,
  TaskPlan,
  WaitPlan,
  WithEntry,
} from './types.ts';
import { pathAt, resolveCall, type DocContext } from './context.ts';
import { compileWith, type WithOptions } from './with.ts';
import { isOneOf } from '../mapping/states.ts';

/** How long a task id stays valid when the file says nothing (one hour). */
export const DEFAULT_TASK_TTL_MS = 3_600_000;
/** The scope variable a submitted operation's id is put in, for the status and cancel calls. */
export const OPERATION_ID_VAR = 'operationId';
/** What the answer call of `input` sees besides the task: the question, what the user did, and the answer. */
export const ANSWER_VARS = { key: 'key', action: 'action', content: 'content' } as const;

export interface TaskInput {
  readonly spec: TaskSpec;
  readonly pointer: string;
  readonly action: ActionPlan | undefined;
  /** The element's own `with`, compiled (the status read of an element that reads an existing operation). */
  readonly with: readonly WithEntry[];
  readonly wait: WaitPlan | undefined;
  readonly inputs: readonly InputParamPlan[];
  readonly withOptions: WithOptions;
}

export function compileTask(ctx: DocContext, t: TaskInput): TaskPlan | undefined {
  const { spec, pointer } = t;
  if (t.action && t.action.kind !== 'call') {
    ctx.sink.error('TASK_INVALID', pointer, 'x-capgate-task follows a consumed call; this element has no `call`');
    return undefined;
  }
  const errors = ctx.sink.errorCount;
  const id = spec.operationId;
  const submitted = id !== undefined && id.startsWith('$');
  let submit: TaskPlan['submit'];
  let operationInput: string | undefined;
  if (submitted) {
    const path = pathAt(ctx, id, `${pointer}/operationId`);
    if (path) submit = { operationId: path };
    if (t.wait) {
      ctx.sink.error(
        'TASK_INVALID',
        `${pointer}/operationId`,
        'this element submits the work, but its x-capgate-wait would repeat the submission',
        'remove x-capgate-wait and give the states (until, terminal …) in x-capgate-task',
      );
    }
    if (!spec.status) {
      ctx.sink.error(
        'TASK_INVALID',
        pointer,
        'an element that submits work needs `status`: the call that reads the operation',
        'add status: { call: <namespace>.<operation> }',
      );
    }
  } else if (id !== undefined) {
    operationInput = inputNamed(ctx, id, t, `${pointer}/operationId`);
  } else if (spec.status) {
    ctx.sink.error(
      'TASK_INVALID',
      pointer,
      '`status` needs `operationId`: where the id of the operation to read comes from',
      "a JSONPath into this element's response ($.id), or one of its inputs",
    );
  }
  const status = spec.status
    ? taskCall(ctx, spec.status, `${pointer}/status`, t.withOptions)
    : t.action?.kind === 'call'
      ? { op: t.action.op, with: t.with }
      : undefined;
  const cancel = spec.cancel ? taskCall(ctx, spec.cancel, `${pointer}/cancel`, t.withOptions) : undefined;
  const wait = statesOf(ctx, spec, pointer, t.wait);
  const error = spec.error ? pathAt(ctx, spec.error, `${pointer}/error`) : undefined;
  const input = spec.input ? compileInput(ctx, spec.input, `${pointer}/input`, wait, t.withOptions) : undefined;
  if (!status || !wait || ctx.sink.errorCount > errors) return undefined;
  return {
    ...(submit ? { submit } : {}),
    ...(operationInput ? { operationInput } : {}),
    status,
    ...(cancel ? { cancel } : {}),
    wait,
    cancelled: spec.cancelled ?? [],
    ...(error ? { error } : {}),
    pollIntervalMs: spec.pollIntervalMs ?? t.wait?.intervalMs ?? 1000,
    ttlMs: spec.ttlMs ?? DEFAULT_TASK_TTL_MS,
    required: spec.required ?? false,
    ...(input ? { input } : {}),
    keeps: keepsOf([status, ...(cancel ? [cancel] : [])], operationInput, input?.answer),
  };
}

/** `input`: states that ask (never terminal ones), where the questions are, and the answer call. */
function compileInput(
  ctx: DocContext,
  spec: TaskInputSpec,
  pointer: string,
  wait: WaitPlan | undefined,
  w: WithOptions,
): TaskInputPlan | undefined {
  const errors = ctx.sink.errorCount;
  spec.when.forEach((v, i) => {
    if (!wait || !isOneOf(wait.terminal, v)) return;
    ctx.sink.error(
      'TASK_INVALID',
      `${pointer}/when/${i}`,
      `'${String(v)}' is terminal: an operation that has ended cannot wait for answers`,
      'list in `when` only the states in which the operation waits for input',
    );
  });
  const questions = pathAt(ctx, spec.questions, `${pointer}/questions`);
  const key = pathAt(ctx, spec.key ?? '$.key', `${pointer}/key`);
  const message = pathAt(ctx, spec.message ?? '$.message', `${pointer}/message`);
  const schema = pathAt(ctx, spec.schema ?? '$.schema', `${pointer}/schema`);
  const answer = taskCall(ctx, spec.answer, `${pointer}/answer`, w);
  if (!questions || !key || !message || !schema || !answer || ctx.sink.errorCount > errors) return undefined;
  return { when: spec.when, questions, key, message, schema, answer };
}

function taskCall(ctx: DocContext, spec: TaskCallSpec, pointer: string, w: WithOptions): TaskCallPlan | undefined {
  const op = resolveCall(ctx, spec.call, `${pointer}/call`);
  const withEntries = compileWith(ctx, spec.with, `${pointer}/with`, w);
  return op ? { op, with: withEntries } : undefined;
}

/** `tools.x`, `rest.x`, `<own namespace>.x` or `x`: the element's input it names (reported when it has none). */
function inputNamed(ctx: DocContext, ref: string, t: TaskInput, pointer: string): string | undefined {
  const dot = ref.indexOf('.');
  const prefix = dot < 0 ? undefined : ref.slice(0, dot);
  const name =
    prefix !== undefined && (prefix === t.withOptions.adapterPrefix || prefix === t.withOptions.ownNamespace)
      ? ref.slice(dot + 1)
      : ref;
  if (t.inputs.some((i) => i.name === name)) return name;
  const names = t.inputs.map((i) => i.name);
  ctx.sink.error(
    'TASK_INVALID',
    pointer,
    `operationId '${ref}' names no input of this element`,
    names.length ? `inputs: ${names.join(', ')}` : 'this element has no inputs',
  );
  return undefined;
}

/** The element's wait with the task's own keys over it; until and terminal must come from one of them. */
function statesOf(ctx: DocContext, spec: TaskSpec, pointer: string, wait: WaitPlan | undefined): WaitPlan | undefined {
  const until = spec.until ? pathAt(ctx, spec.until, `${pointer}/until`) : wait?.until;
  const terminal = spec.terminal ?? wait?.terminal;
  if (!terminal || (!spec.until && !wait)) {
    ctx.sink.error(
      'TASK_INVALID',
      pointer,
      'a task needs the states of its operation: `until` and `terminal`, here or in x-capgate-wait',
      "add until: '$.status' and terminal: [succeeded, failed]",
    );
    return undefined;
  }
  if (!until) return undefined;
  const p = spec.progress;
  const at = (expr: string | undefined, key: string): CompiledPath | undefined =>
    expr ? pathAt(ctx, expr, `${pointer}/progress/${key}`) : undefined;
  const progress = p
    ? { current: at(p.current, 'current'), total: at(p.total, 'total'), message: at(p.message, 'message') }
    : wait?.progress;
  const intervalMs = wait?.intervalMs ?? spec.pollIntervalMs ?? 1000;
  return {
    until,
    terminal,
    failed: spec.failed ?? wait?.failed ?? [],
    ...(progress ? { progress } : {}),
    intervalMs,
    maxIntervalMs: wait?.maxIntervalMs ?? Math.max(10_000, intervalMs),
    backoff: wait?.backoff ?? 1.5,
    jitter: wait?.jitter ?? 0.2,
    timeoutMs: wait?.timeoutMs ?? 30_000,
  };
}

/** Lower-case, without '-' and '_': how scope lookups match names loosely (mapping/scope.ts). */
export function looseName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Every scope variable the calls can read: their `with` sources and the names their parameters, path and body
 * templates look up (the first segment of a dotted name). A task handle keeps only these, so a submitted body or
 * any other input the status read does not need never travels in a task id.
 */
function keepsOf(
  calls: readonly TaskCallPlan[],
  operationInput: string | undefined,
  answer: TaskCallPlan | undefined,
): ReadonlySet<string> {
  const names = new Set<string>([looseName(OPERATION_ID_VAR)]);
  const reads = (c: TaskCallPlan, add: (n: string) => void) => {
    const addTemplate = (t: Template | undefined) => t?.vars.forEach(add);
    for (const w of c.with) {
      if (w.kind === 'ref') add(w.name);
      else if (w.kind === 'template') addTemplate(w.template);
    }
    addCallReads(c.op, add, addTemplate);
  };
  const add = (n: string) => names.add(looseName(n.split('.')[0]));
  if (operationInput) add(operationInput);
  for (const c of calls) reads(c, add);
  if (answer) {
    // The answer's own variables arrive with each answer: an input of that name need not travel in the id.
    const own = new Set(Object.values(ANSWER_VARS).map(looseName));
    reads(answer, (n) => {
      const name = looseName(n.split('.')[0]);
      if (!own.has(name)) names.add(name);
    });
  }
  return names;
}

function addCallReads(
  op: ConsumedOperationPlan,
  add: (n: string) => void,
  addTemplate: (t: Template | undefined) => void,
): void {
  addTemplate(op.path);
  for (const p of [...op.upstream.params, ...op.params]) {
    add(p.name);
    addTemplate(p.value);
  }
  addTemplate(bodyTemplate(op.body));
}

function bodyTemplate(body: BodyPlan | undefined): Template | undefined {
  if (!body) return undefined;
  if (body.kind === 'json-text') return body.template.template;
  if (body.kind === 'text' || body.kind === 'xml') return body.template;
  return undefined;
}
