/**
 * @module common/errors — the one error family of capgate: every failure carries a stable `code`,
 * an HTTP-ish `status`, a safe `message`, optional `details` and `cause`. Exposers map these
 * to their protocol in exactly one place (expose/rest/problem.ts, expose/mcp/errors.ts).
 * Messages must never contain secrets: upstream URLs are reported without query strings.
 */

export type ErrorCode =
  | 'INPUT_MISSING'
  | 'INPUT_INVALID'
  | 'INPUT_TOO_LARGE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'UPSTREAM_STATUS'
  | 'UPSTREAM_REDIRECT'
  | 'UPSTREAM_UNREACHABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_TOO_LARGE'
  | 'UPSTREAM_NOT_CONFIGURED'
  | 'UPSTREAM_FORMAT'
  | 'MAPPING_FAILED'
  | 'SECRET_MISSING'
  | 'STEP_FAILED'
  | 'OPERATION_FAILED'
  | 'NOT_SUPPORTED'
  | 'CANCELLED'
  | 'INTERNAL';

export interface GatewayErrorInit {
  status?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, init: GatewayErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = init.status ?? defaultStatus(code);
    this.details = init.details ?? {};
  }
}

/** Status used when a code is raised without an explicit one. */
export function defaultStatus(code: ErrorCode): number {
  switch (code) {
    case 'INPUT_MISSING':
    case 'INPUT_INVALID':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'INPUT_TOO_LARGE':
      return 413;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'UPSTREAM_TIMEOUT':
      return 504;
    case 'UPSTREAM_STATUS':
    case 'UPSTREAM_REDIRECT':
    case 'UPSTREAM_UNREACHABLE':
    case 'UPSTREAM_TOO_LARGE':
    case 'UPSTREAM_FORMAT':
    case 'MAPPING_FAILED':
    case 'STEP_FAILED':
    case 'OPERATION_FAILED':
      return 502;
    case 'UPSTREAM_NOT_CONFIGURED':
    case 'SECRET_MISSING':
      return 503;
    case 'NOT_SUPPORTED':
      return 501;
    case 'CANCELLED':
      return 499;
    default:
      return 500;
  }
}

/** Wrap anything thrown into a GatewayError without leaking its stack or message internals. */
export function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('INTERNAL', 'Internal gateway error', { cause: err });
}
