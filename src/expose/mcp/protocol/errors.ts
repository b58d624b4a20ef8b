/**
 * @module expose/mcp/protocol/errors — the one place where gateway errors become MCP outcomes:
 * failed tool calls → `isError` results, resource and prompt failures → JSON-RPC errors, and
 * failures before a request is dispatched (an adapter whose authentication cannot be configured)
 * → an HTTP status with a JSON-RPC error body. Every outcome carries the stable error `code`;
 * messages are the error's own safe text, never a cause or a stack.
 */
import { asGatewayError, GatewayError } from '../../../common/errors.ts';
import { INTERNAL_ERROR, INVALID_PARAMS, RpcError, TRANSPORT_ERROR, type RpcFailure } from './jsonrpc.ts';
import type { ContentBlock } from './types.ts';

/** `_meta` key under which tool error results name the stable error code (and the upstream status). */
export const ERROR_META = 'capgate/error';

export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/**
 * Text an agent sees for a failed tool call: the safe message, then one JSON line with the code
 * and the details. An upstream error status is shown as the upstream said it (`text`), since
 * the vendor's own message is what the agent needs; its code travels in `_meta` only.
 */
export function toolErrorResult(err: GatewayError, text?: string): CallToolResult {
  const meta: Record<string, unknown> = { code: err.code };
  if (typeof err.details.upstreamStatus === 'number') meta.upstreamStatus = err.details.upstreamStatus;
  return {
    content: [{ type: 'text', text: text ?? toolErrorText(err) }],
    isError: true,
    _meta: { [ERROR_META]: meta },
  };
}

function toolErrorText(err: GatewayError): string {
  let extra: string;
  try {
    extra = JSON.stringify({ code: err.code, ...err.details });
  } catch {
    extra = JSON.stringify({ code: err.code });
  }
  return `${err.message}\n${extra}`;
}

/** A tool error for anything a tool threw: gateway errors keep their code, the rest say only that it failed. */
export function thrownToolResult(err: unknown, tool: string): CallToolResult {
  if (err instanceof GatewayError) return toolErrorResult(err);
  return toolErrorResult(new GatewayError('INTERNAL', `Tool ${tool} failed with an internal error`));
}

/** Arguments that do not match the tool's input schema (the wording MCP SDK servers use). */
export function invalidArgumentsResult(tool: string, why: string): CallToolResult {
  return toolErrorResult(
    new GatewayError('INPUT_INVALID', `Input validation error: Invalid arguments for tool ${tool}: ${why}`),
  );
}

/** A result that would break the client's outputSchema check is sent as an error instead. */
export function nonConformingOutputResult(tool: string, why: string): CallToolResult {
  return toolErrorResult(
    new GatewayError('MAPPING_FAILED', `Tool ${tool} produced output that does not match its outputSchema: ${why}`),
  );
}

/** The upstream answered with an error status: a tool error carrying the status and the vendor's body. */
export function upstreamStatusError(status: number, body: string): { error: GatewayError; text: string } {
  const error = new GatewayError('UPSTREAM_STATUS', `Upstream returned ${status}: ${body.slice(0, 4000)}`, {
    status,
    details: { upstreamStatus: status },
  });
  return { error, text: `Upstream returned ${status}: ${body}` };
}

/** Codes that mean "the caller asked for something wrong" rather than "the gateway failed". */
const CALLER_FAULTS = new Set(['NOT_FOUND', 'INPUT_INVALID', 'INPUT_MISSING']);

/**
 * A failure outside a tool call (resource read, prompt render) as a JSON-RPC error; never leaks non-gateway messages.
 */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof GatewayError) {
    if (CALLER_FAULTS.has(err.code))
      return new RpcError(INVALID_PARAMS, `Invalid params: ${err.message}`, { code: err.code });
    return new RpcError(INTERNAL_ERROR, `Internal error: ${err.message}`, { code: err.code });
  }
  return new RpcError(INTERNAL_ERROR, 'Internal error');
}

/**
 * A failure before dispatch, answered over HTTP: a gateway error keeps its status and code
 * (e.g. 503 SECRET_MISSING for an adapter whose authentication secret is not set); anything
 * else is a 500 internal error.
 */
export function httpFailure(err: unknown): { status: number; body: RpcFailure } {
  if (!(err instanceof GatewayError)) {
    return {
      status: 500,
      body: { jsonrpc: '2.0', id: null, error: { code: INTERNAL_ERROR, message: 'Internal error' } },
    };
  }
  const e = asGatewayError(err);
  return {
    status: e.status,
    body: { jsonrpc: '2.0', id: null, error: { code: TRANSPORT_ERROR, message: e.message, data: { code: e.code } } },
  };
}
