/**
 * @module expose/mcp/protocol/jsonrpc — JSON-RPC 2.0 message shapes, error codes and reply builders shared by the
 * HTTP and stdio transports.
 */
import { isPlainObject } from '../../../common/json.ts';

export type RpcId = string | number | null;

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: RpcId;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export interface RpcSuccess {
  jsonrpc: '2.0';
  id: RpcId;
  result: unknown;
}
export interface RpcFailure {
  jsonrpc: '2.0';
  id: RpcId;
  error: { code: number; message: string; data?: unknown };
}
export type RpcReply = RpcSuccess | RpcFailure;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** Transport-level failures (bad headers, not acceptable …), as the SDK reports them. */
export const TRANSPORT_ERROR = -32000;
/** 2026-07-28 (SEP-2243): request headers disagree with the body. */
export const HEADER_MISMATCH = -32020;
/** 2026-07-28: answering needs a client capability the request does not declare. */
export const MISSING_CAPABILITY = -32021;
/** 2026-07-28: the requested protocol revision is not supported. */
export const UNSUPPORTED_VERSION = -32022;

/** A protocol fault raised inside a handler; the dispatcher turns it into a JSON-RPC error reply. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

export function rpcResult(id: RpcId, result: unknown): RpcSuccess {
  return { jsonrpc: '2.0', id, result };
}

export function rpcError(id: RpcId, code: number, message: string, data?: unknown): RpcFailure {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

/** Invalid-params error, with the `Invalid params:` prefix the reference engine's messages carry. */
export function invalidParams(detail: string): RpcError {
  return new RpcError(INVALID_PARAMS, `Invalid params: ${detail}`);
}

/** The id to echo in an error reply for a message we could not accept (null when it has none usable). */
export function idOf(msg: unknown): RpcId {
  if (!isPlainObject(msg)) return null;
  const id = msg.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export type Classified =
  | { kind: 'request'; id: string | number; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'response' }
  | { kind: 'invalid'; reply: RpcFailure };

/** Sort one decoded JSON value into request / notification / client response / invalid. */
export function classifyMessage(msg: unknown): Classified {
  if (!isPlainObject(msg))
    return { kind: 'invalid', reply: rpcError(null, INVALID_REQUEST, 'Invalid Request: expected a JSON-RPC object') };
  if (msg.jsonrpc !== '2.0')
    return { kind: 'invalid', reply: rpcError(idOf(msg), INVALID_REQUEST, "Invalid Request: jsonrpc must be '2.0'") };
  const { method, id } = msg;
  if (typeof method !== 'string') {
    if ('result' in msg || 'error' in msg) return { kind: 'response' };
    return { kind: 'invalid', reply: rpcError(idOf(msg), INVALID_REQUEST, 'Invalid Request: method must be a string') };
  }
  if (id === undefined) return { kind: 'notification', method, params: msg.params };
  if (typeof id !== 'string' && typeof id !== 'number') {
    return {
      kind: 'invalid',
      reply: rpcError(null, INVALID_REQUEST, 'Invalid Request: id must be a string or a number'),
    };
  }
  return { kind: 'request', id, method, params: msg.params };
}
