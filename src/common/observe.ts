/**
 * @module common/observe — what the request path reports about itself, so the gateway can count, time and log it
 * (metrics and request logs live in gateway/telemetry.ts): each answered request, each upstream call, each wait.
 * Labels are route templates, tool names and namespaces from the plan, never raw paths or values, so their number
 * stays bounded and they can carry no secret.
 */

/** One request's identity as it travels upstream: its id, the caller's W3C trace context, the upstream calls made. */
export interface RequestTrace {
  /** From the caller's `x-request-id` when it is a reasonable token, else generated; sent upstream and returned. */
  readonly id: string;
  /** The caller's `traceparent`, passed upstream as is. */
  readonly traceparent?: string;
  upstreamCalls: number;
}

export interface RequestReport {
  readonly adapter: 'rest' | 'mcp';
  /** REST: `METHOD /path/{template}`; MCP: the JSON-RPC method, with the tool name for tools/call. */
  readonly route: string;
  /** REST: the HTTP status; MCP: `ok` or `error` (a tool error or a JSON-RPC error). */
  readonly status: number | string;
  readonly seconds: number;
  readonly trace?: RequestTrace;
  /** The stable error code, when the request failed with one. */
  readonly code?: string;
}

export interface UpstreamReport {
  readonly namespace: string;
  readonly operation: string;
  /** The upstream's HTTP status, or the error code when no answer came (UPSTREAM_TIMEOUT, …). */
  readonly status: number | string;
  readonly seconds: number;
}

export interface Observer {
  request(r: RequestReport): void;
  upstream(r: UpstreamReport): void;
  /** A wait started (+1) or ended (-1). */
  waiting(delta: 1 | -1): void;
}

export const noObserver: Observer = {
  request: () => {},
  upstream: () => {},
  waiting: () => {},
};

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** A trace for one inbound request: the caller's request id when it is a plain token (else a new one). */
export function newTrace(
  requestId: string | null | undefined,
  traceparent: string | null | undefined,
  generate: () => string,
): RequestTrace {
  const id = requestId && REQUEST_ID.test(requestId) ? requestId : generate();
  return traceparent && TRACEPARENT.test(traceparent)
    ? { id, traceparent, upstreamCalls: 0 }
    : { id, upstreamCalls: 0 };
}

/** W3C trace context, version 00 (`00-<32 hex>-<16 hex>-<2 hex>`). */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
