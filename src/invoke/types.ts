/**
 * @module invoke/types — what the one execution path takes and returns. Exposers translate
 * their protocol into an InvokeRequest and an InvokeResult back into their protocol.
 */
import type { RequestTrace } from '../common/observe.ts';

export type ResultBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | {
      readonly kind: 'raw';
      readonly bytes: Buffer;
      readonly contentType: string;
      /** The bytes already parsed as JSON, when invoke had to parse them to check them. */
      readonly json?: unknown;
    }
  | { readonly kind: 'empty' };

export interface InvokeResult {
  readonly status: number;
  readonly body: ResultBody;
  /** The upstream answered with an error status; the body is its error payload. */
  readonly upstreamError?: boolean;
  /** Set by waiting operations: whether the terminal condition was reached. */
  readonly done?: boolean;
  /** Upstream headers the caller may see (lower-case names, from the whitelist of passed-headers.ts). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ProgressReport {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export interface ForwardRequest {
  readonly method: string;
  /** Path remainder after the resource prefix, already split from the query. */
  readonly path: string;
  readonly query: string;
  readonly headers: Headers;
  readonly body?: Uint8Array;
}

export interface InvokeRequest {
  /** Inputs by name (already validated/coerced by the exposer). */
  readonly params: Record<string, unknown>;
  readonly signal?: AbortSignal;
  readonly progress?: (p: ProgressReport) => void;
  /** Wait for a waiting operation to settle, at most this long (ms). Absent: single read. */
  readonly waitMs?: number;
  readonly forward?: ForwardRequest;
  /** The inbound request's id and trace context, passed to every upstream call it makes. */
  readonly trace?: RequestTrace;
}
