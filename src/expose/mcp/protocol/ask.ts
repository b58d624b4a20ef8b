/**
 * @module expose/mcp/protocol/ask — asking the user before a call (MCP elicitation), the same questions in both
 * eras: missing required arguments (when the capability asks for them instead of failing), declared questions, and
 * a confirmation last. On 2026-07-28 an unanswered question is an `input_required` result whose `requestState`
 * (signed, bound to the call and its arguments, expiring) carries the answers so far; the client retries with
 * `inputResponses`. On 2025-11-25 the question is an `elicitation/create` request on the call's stream. Answers
 * become arguments of the call; declining cancels it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { isPlainObject } from '../../../common/json.ts';
import { INVALID_PARAMS, RpcError, invalidParams } from './jsonrpc.ts';
import { requireCapabilities } from './client-capabilities.ts';
import { compileSchema } from '../../../common/json-schema.ts';
import type { JsonObject, McpAsk } from './types.ts';

export const CONFIRM_KEY = 'confirm_call';
export const MISSING_KEY = 'missing_arguments';
const STATE_TTL_MS = 10 * 60 * 1000;
const FORM_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/** One question as asked: its key and the form. */
export interface Question {
  readonly key: string;
  readonly message: string;
  readonly schema: JsonObject;
  /** A confirmation: `confirm: false` cancels like a decline. */
  readonly confirm?: boolean;
}

/** The answers so far, by question key (the accepted form content). */
export type Answers = Record<string, JsonObject>;

/** The call is cancelled: the user declined (or cancelled) the question. */
export class Declined extends Error {
  constructor(readonly question: Question) {
    super(`The user declined: ${question.message}`);
    this.name = 'Declined';
  }
}

/** Arguments with the answers merged in (a question's fields are arguments of the call). */
export function withAnswers(args: JsonObject, answers: Answers): JsonObject {
  let out = args;
  for (const [key, content] of Object.entries(answers)) {
    if (key === CONFIRM_KEY) continue;
    out = { ...out, ...content };
  }
  return out;
}

/** The next question to ask, or undefined when everything is answered. */
export function nextQuestion(ask: McpAsk, inputSchema: JsonObject | undefined, args: JsonObject, answers: Answers) {
  const merged = withAnswers(args, answers);
  if (ask.missingArguments && inputSchema && !answers[MISSING_KEY]) {
    const missing = missingArguments(inputSchema, merged);
    if (missing) return missing;
  }
  for (const q of ask.questions) {
    if (answers[q.key]) continue;
    return {
      key: q.key,
      message: q.message(merged),
      schema: { type: 'object', properties: q.properties, ...(q.required.length ? { required: [...q.required] } : {}) },
    } satisfies Question;
  }
  if (ask.confirm && !answers[CONFIRM_KEY]) {
    const text = ask.confirm(merged);
    return {
      key: CONFIRM_KEY,
      message: text || 'Please confirm this call.',
      schema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Confirm' } }, required: ['confirm'] },
      confirm: true,
    } satisfies Question;
  }
  return undefined;
}

/** The required primitive arguments not given, as one form; undefined when none is missing. */
function missingArguments(schema: JsonObject, args: JsonObject): Question | undefined {
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const props = isPlainObject(schema.properties) ? schema.properties : {};
  const fields: JsonObject = {};
  for (const name of required) {
    if (typeof name !== 'string' || args[name] !== undefined) continue;
    const p = props[name];
    if (!isPlainObject(p) || typeof p.type !== 'string' || !FORM_TYPES.has(p.type)) continue;
    fields[name] = p;
  }
  const names = Object.keys(fields);
  if (!names.length) return undefined;
  return {
    key: MISSING_KEY,
    message: `Please provide ${names.join(', ')}.`,
    schema: { type: 'object', properties: fields, required: names },
  };
}

/** The elicitation/create request of a question. */
export function elicitation(q: Question): { method: 'elicitation/create'; params: JsonObject } {
  return { method: 'elicitation/create', params: { mode: 'form', message: q.message, requestedSchema: q.schema } };
}

const validators = new Map<string, ValidateFunction>();

/**
 * What one answer means: accepted content valid for the form, a refusal (decline/cancel, or a confirmation
 * answered false), or undefined for anything unusable (the question is asked again).
 */
export function readAnswer(q: Question, response: unknown): JsonObject | 'declined' | undefined {
  if (!isPlainObject(response)) return undefined;
  if (response.action === 'decline' || response.action === 'cancel') return 'declined';
  if (response.action !== 'accept' || !isPlainObject(response.content)) return undefined;
  const key = JSON.stringify(q.schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = compileSchema(q.schema);
    if (validators.size > 1000) validators.clear();
    validators.set(key, validate);
  }
  if (!validate(response.content)) return undefined;
  if (q.confirm && response.content.confirm !== true) return 'declined';
  return response.content;
}

/** A 2026-07-28 request's `inputResponses` (-32602 when present but not an object). */
export function inputResponsesOf(params: unknown): JsonObject | undefined {
  if (!isPlainObject(params) || !('inputResponses' in params)) return undefined;
  const r = params.inputResponses;
  if (!isPlainObject(r)) throw invalidParams('inputResponses must be an object');
  return r;
}

// ------------------------------------------------------------------------------------------------------------------
// requestState: the answers so far, signed and bound to the call

let stateKey: Buffer = randomBytes(32);

/** Replicas that share a key accept each other's requestState; default: random per process. */
export function setRequestStateKey(key: string | Buffer): void {
  stateKey = typeof key === 'string' ? createHash('sha256').update(key).digest() : key;
}

function bindingOf(method: string, name: string, args: JsonObject): string {
  return createHash('sha256')
    .update(JSON.stringify([method, name, args]))
    .digest('base64url');
}

function sign(body: string): string {
  return createHmac('sha256', stateKey).update(body).digest('base64url');
}

export function encodeState(method: string, name: string, args: JsonObject, answers: Answers, now: number): string {
  const body = Buffer.from(
    JSON.stringify({ b: bindingOf(method, name, args), a: answers, e: now + STATE_TTL_MS }),
  ).toString('base64url');
  return `${body}.${sign(body)}`;
}

/** The answers a requestState carries; -32602 when it was altered, expired, or belongs to another call. */
export function decodeState(state: unknown, method: string, name: string, args: JsonObject, now: number): Answers {
  const bad = (why: string) => new RpcError(INVALID_PARAMS, `Invalid params: requestState ${why}`);
  if (typeof state !== 'string') throw bad('must be a string');
  const dot = state.indexOf('.');
  const body = state.slice(0, dot);
  const mac = Buffer.from(state.slice(dot + 1));
  const expected = Buffer.from(sign(body));
  if (dot < 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected))
    throw bad('failed its integrity check');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { b: string; a: Answers; e: number };
  if (payload.e < now) throw bad('has expired: call again');
  if (payload.b !== bindingOf(method, name, args)) throw bad('belongs to another call or other arguments');
  return payload.a;
}

/** What asking needs from the era: the client's capabilities (when known) and, on 2025, a way to ask it. */
export interface AskChannel {
  readonly era: 'legacy' | 'modern';
  readonly params: unknown;
  readonly declared: JsonObject | undefined;
  /** 2025-era: send a request to the client on the call's stream and wait for its answer. */
  readonly request?: (method: string, params: JsonObject) => Promise<unknown>;
  readonly now: number;
}

export type AskOutcome =
  | { readonly kind: 'ready'; readonly args: JsonObject }
  | { readonly kind: 'input_required'; readonly result: JsonObject }
  | { readonly kind: 'declined'; readonly question: Question };

/** Work through the questions: ready to call with the answers merged in, a 2026 `input_required`, or declined. */
export async function resolveAsk(
  ask: McpAsk,
  inputSchema: JsonObject | undefined,
  method: string,
  name: string,
  args: JsonObject,
  ch: AskChannel,
): Promise<AskOutcome> {
  const p = isPlainObject(ch.params) ? ch.params : {};
  const answers: Answers =
    ch.era === 'modern' && p.requestState !== undefined ? decodeState(p.requestState, method, name, args, ch.now) : {};
  const responses = ch.era === 'modern' ? (inputResponsesOf(ch.params) ?? {}) : {};
  for (let round = 0; round < 32; round++) {
    const q = nextQuestion(ask, inputSchema, args, answers);
    if (!q) return { kind: 'ready', args: withAnswers(args, answers) };
    requireCapabilities(['elicitation'], ch.declared);
    let response: unknown;
    if (ch.era === 'modern') {
      response = Object.hasOwn(responses, q.key) ? responses[q.key] : undefined;
      delete responses[q.key];
    } else if (ch.request) {
      response = await ch.request('elicitation/create', elicitation(q).params);
    } else {
      throw new RpcError(INVALID_PARAMS, `Invalid params: ${q.message} (this client cannot be asked)`);
    }
    const answer = readAnswer(q, response);
    if (answer === 'declined') return { kind: 'declined', question: q };
    if (answer) {
      answers[q.key] = answer;
      continue;
    }
    if (ch.era === 'legacy') throw invalidParams(`the answer to '${q.message}' is not valid`);
    return {
      kind: 'input_required',
      result: {
        resultType: 'input_required',
        inputRequests: { [q.key]: elicitation(q) },
        requestState: encodeState(method, name, args, answers, ch.now),
      },
    };
  }
  throw invalidParams('too many questions');
}
