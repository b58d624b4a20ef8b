/**
 * @module invoke/task-handle — a task id is the task: what following the upstream operation needs (which element,
 * the status call's inputs, the operation id, when it was created and when it expires), as base64url JSON, then
 * '.', then an HMAC-SHA256 of it. Any replica holding the same key can open it; nothing is stored. A changed byte,
 * another key or a passed expiry is refused. Bind values never enter a handle: it holds the caller's own inputs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../common/errors.ts';
import { isPlainObject } from '../common/json.ts';

/** Which exposer's element a handle follows: an MCP tool by name, or a REST route by `METHOD /path`. */
export type TaskKind = 'mcp' | 'rest';

export interface TaskHandle {
  readonly kind: TaskKind;
  readonly target: string;
  /** The scope the status and cancel calls start from (the caller's inputs they read, and `operationId`). */
  readonly seed: Readonly<Record<string, unknown>>;
  readonly operationId?: string;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface TaskSigner {
  sign(handle: TaskHandle): string;
  /** The handle of a genuine, unexpired id; a NOT_FOUND error otherwise (410 when it has expired). */
  open(id: string, now: number): TaskHandle;
  /** Where an id claims to belong, unverified (to find the element whose task it is before opening it). */
  peek(id: string): { kind: TaskKind; target: string } | undefined;
}

/** Shortest key accepted from the environment: a key that signs task ids must not be guessable. */
export const MIN_TASK_KEY_LENGTH = 32;
/** Longest id opened: a task id travels in URLs and headers, and a giant one is not ours. */
export const MAX_TASK_ID_LENGTH = 8192;

const DOMAIN = 'capgate-task/1.';

/** A signer with the given key, or a random one (each process then only opens its own ids). */
export function createTaskSigner(key?: string | Uint8Array): TaskSigner {
  const secret = key === undefined ? randomBytes(32) : typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const mac = (payload: string) =>
    createHmac('sha256', secret)
      .update(DOMAIN + payload)
      .digest();
  return {
    sign(h) {
      const payload = Buffer.from(JSON.stringify(encode(h)), 'utf8').toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    open(id, now) {
      const parts = split(id);
      if (!parts) throw invalid();
      // Compared as text: the MAC's last base64url character carries two spare bits, so decoding first would
      // let four spellings of one MAC through (a changed id that still opens).
      const given = Buffer.from(parts.mac, 'utf8');
      const expected = Buffer.from(mac(parts.payload).toString('base64url'), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const h = decode(parts.payload);
      if (!h) throw invalid();
      if (now >= h.expiresAt) {
        throw new GatewayError('NOT_FOUND', `task expired at ${new Date(h.expiresAt).toISOString()}`, {
          status: 410,
          details: { reason: 'expired' },
        });
      }
      return h;
    },
    peek(id) {
      const parts = split(id);
      const h = parts && decode(parts.payload);
      return h ? { kind: h.kind, target: h.target } : undefined;
    },
  };
}

function invalid(): GatewayError {
  return new GatewayError('NOT_FOUND', 'no such task: the task id is not one this gateway issued', {
    details: { reason: 'invalid' },
  });
}

function split(id: string): { payload: string; mac: string } | undefined {
  if (typeof id !== 'string' || id.length > MAX_TASK_ID_LENGTH) return undefined;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(id);
  return m ? { payload: m[1], mac: m[2] } : undefined;
}

/** The compact wire form: short keys, since ids travel in headers and URLs. */
interface Wire {
  v: 1;
  k: 'm' | 'r';
  t: string;
  s: Record<string, unknown>;
  o?: string;
  c: number;
  x: number;
}

function encode(h: TaskHandle): Wire {
  return {
    v: 1,
    k: h.kind === 'mcp' ? 'm' : 'r',
    t: h.target,
    s: { ...h.seed },
    ...(h.operationId !== undefined ? { o: h.operationId } : {}),
    c: h.createdAt,
    x: h.expiresAt,
  };
}

function decode(payload: string): TaskHandle | undefined {
  let w: unknown;
  try {
    w = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isPlainObject(w) || w.v !== 1 || (w.k !== 'm' && w.k !== 'r') || typeof w.t !== 'string') return undefined;
  if (!isPlainObject(w.s) || typeof w.c !== 'number' || typeof w.x !== 'number') return undefined;
  if (w.o !== undefined && typeof w.o !== 'string') return undefined;
  return {
    kind: w.k === 'm' ? 'mcp' : 'rest',
    target: w.t,
    seed: w.s,
    ...(typeof w.o === 'string' ? { operationId: w.o } : {}),
    createdAt: w.c,
    expiresAt: w.x,
  };
}
