/** @module expose/mcp/errors — the one place where gateway errors become MCP outcomes: tool failures → `isError` text, resource/prompt failures → JSON-RPC errors. */
import { GatewayError } from '../../../common/errors.ts';
import { INTERNAL_ERROR, INVALID_PARAMS, RpcError } from './jsonrpc.ts';

/** Text an agent sees for a failed tool call: the safe message, plus details when there are any. */
export function toolErrorText(err: GatewayError): string {
  const details = err.details;
  if (!details || Object.keys(details).length === 0) return err.message;
  let extra: string;
  try { extra = JSON.stringify(details); } catch { return err.message; }
  return `${err.message}\n${extra}`;
}

/** Codes that mean "the caller asked for something wrong" rather than "the gateway failed". */
const CALLER_FAULTS = new Set(['NOT_FOUND', 'INPUT_INVALID', 'INPUT_MISSING']);

/** A failure outside a tool call (resource read, prompt render) as a JSON-RPC error; never leaks non-gateway messages. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof GatewayError) {
    if (CALLER_FAULTS.has(err.code)) return new RpcError(INVALID_PARAMS, `Invalid params: ${err.message}`);
    return new RpcError(INTERNAL_ERROR, `Internal error: ${err.message}`);
  }
  return new RpcError(INTERNAL_ERROR, 'Internal error');
}
