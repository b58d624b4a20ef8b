/**
 * @module invoke/task-input — operations that ask questions while they run (`x-capgate-task.input`): the open
 * questions read from a status answer, the replies checked against each question's schema (all of them before any
 * is sent, so a wrong answer never reaches the upstream), and the declared answer call made once per reply.
 */
import type { ValidateFunction } from 'ajv';
import type { TaskInputPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import { compileSchema, describeErrors } from '../common/json-schema.ts';
import { GatewayError } from '../common/errors.ts';
import { isPlainObject } from '../common/json.ts';
import { callOperation } from '../consume/call.ts';
import { ANSWER_VARS } from '../plan/task.ts';
import { applyWith } from './apply-with.ts';
import type { RequestTrace } from '../common/observe.ts';

/** One question an operation waits on: its key, the text shown to the user, and the JSON Schema of the answer. */
export interface TaskQuestion {
  readonly key: string;
  readonly message: string;
  readonly schema: Record<string, unknown>;
}

/** What the user did with one question (MCP elicitation's result): accepted with content, declined or cancelled. */
export interface TaskReply {
  readonly key: string;
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: Record<string, unknown>;
}

/** Most questions read from one status answer (an upstream cannot flood a client with forms). */
export const MAX_QUESTIONS = 32;

const ANY_OBJECT = { type: 'object', properties: {} } as const;

/**
 * The open questions in a status answer: a list (each question's key at `key`), or an object keyed by question key
 * (a question's own `key`, when it has one, wins). Questions without a usable key are left out; a message or schema
 * the upstream does not give gets a plain default.
 */
export function questionsOf(input: TaskInputPlan, body: unknown): TaskQuestion[] {
  const raw = input.questions.evaluate(body);
  const entries: Array<[string | undefined, unknown]> = Array.isArray(raw)
    ? raw.map((q) => [undefined, q])
    : isPlainObject(raw)
      ? Object.entries(raw)
      : [];
  const out: TaskQuestion[] = [];
  const seen = new Set<string>();
  for (const [name, q] of entries) {
    if (out.length >= MAX_QUESTIONS) break;
    const key = keyText(input.key.evaluate(q)) ?? name;
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    const message = input.message.evaluate(q);
    const schema = input.schema.evaluate(q);
    out.push({
      key,
      message: typeof message === 'string' && message !== '' ? message : `Please answer '${key}'.`,
      schema: isPlainObject(schema) ? schema : { ...ANY_OBJECT },
    });
  }
  return out;
}

function keyText(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * The replies to open questions, checked: replies to keys that are not open are ignored (the question was answered
 * meanwhile, or never asked); a reply that is not `{action, content}`, or accepted content that does not match its
 * question's schema, is INPUT_INVALID naming the key.
 */
export function checkReplies(questions: readonly TaskQuestion[], responses: Record<string, unknown>): TaskReply[] {
  const out: TaskReply[] = [];
  for (const q of questions) {
    if (!Object.hasOwn(responses, q.key)) continue;
    out.push(checkReply(q, responses[q.key]));
  }
  return out;
}

function checkReply(q: TaskQuestion, response: unknown): TaskReply {
  const bad = (why: string) =>
    new GatewayError('INPUT_INVALID', `the answer to '${q.key}' ${why}`, { details: { key: q.key } });
  if (!isPlainObject(response)) throw bad('must be an object with `action` (and `content` when accepted)');
  const action = response.action;
  if (action === 'decline' || action === 'cancel') return { key: q.key, action };
  if (action !== 'accept') throw bad('has no valid `action` (accept, decline or cancel)');
  if (!isPlainObject(response.content)) throw bad('is accepted without `content` (an object)');
  const validate = validatorFor(q.schema);
  if (!validate(response.content)) throw bad(`does not match its form: ${describeErrors(validate.errors, 'field')}`);
  return { key: q.key, action, content: response.content };
}

const validators = new Map<string, ValidateFunction>();
/** Forms differ per upstream and per question; beyond this many, the cache starts again. */
const MAX_VALIDATORS = 256;

/** A validator for a question's schema (cached by its text). A schema that cannot be compiled is the upstream's fault. */
function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const text = JSON.stringify(schema);
  let v = validators.get(text);
  if (v) return v;
  try {
    v = compileSchema(schema);
  } catch {
    throw new GatewayError('UPSTREAM_FORMAT', 'the upstream asked a question whose schema is not a usable JSON Schema');
  }
  if (validators.size >= MAX_VALIDATORS) validators.clear();
  validators.set(text, v);
  return v;
}

/**
 * Send each reply with the answer call, its scope the task's seed plus `key`, `action` and `content`. A 409 means the
 * question is no longer open (answered meanwhile, the operation moved on): nothing to do. A 400 or 422 is the
 * upstream refusing the answer itself (INPUT_INVALID); any other error status is UPSTREAM_STATUS.
 */
export async function sendReplies(
  input: TaskInputPlan,
  seed: Readonly<Record<string, unknown>>,
  replies: readonly TaskReply[],
  deps: InvokeDeps,
  call: { signal?: AbortSignal; trace?: RequestTrace },
): Promise<string[]> {
  const sent: string[] = [];
  const op = input.answer.op;
  for (const r of replies) {
    const base = {
      ...seed,
      [ANSWER_VARS.key]: r.key,
      [ANSWER_VARS.action]: r.action,
      ...(r.content !== undefined ? { [ANSWER_VARS.content]: r.content } : {}),
    };
    const res = await callOperation(op, applyWith(input.answer.with, base), deps, call);
    if (res.status === 409) continue;
    const details = { key: r.key, upstreamStatus: res.status, operation: `${op.upstream.namespace}.${op.name}` };
    if (res.status === 400 || res.status === 422) {
      throw new GatewayError('INPUT_INVALID', `the upstream refused the answer to '${r.key}' (${res.status})`, {
        details,
      });
    }
    if (res.status >= 300) {
      throw new GatewayError('UPSTREAM_STATUS', `the answer call of this task answered ${res.status}`, {
        status: 502,
        details,
      });
    }
    sent.push(r.key);
  }
  return sent;
}
