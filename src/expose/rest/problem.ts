/**
 * @module expose/rest/problem — the single GatewayError → HTTP mapping of the REST adapter:
 * RFC 9457 `application/problem+json` with a stable `code`. Causes and stacks never leave the
 * process; only the error's own (secret-free) message and whitelisted details do.
 */
import { asGatewayError, type GatewayError } from '../../common/errors.ts';

const TITLES: Record<string, string> = {
  INPUT_MISSING: 'Missing input',
  INPUT_INVALID: 'Invalid input',
  INPUT_TOO_LARGE: 'Request body too large',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  UNAUTHORIZED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  UPSTREAM_UNREACHABLE: 'Upstream unreachable',
  UPSTREAM_REDIRECT: 'Upstream redirected',
  UPSTREAM_TIMEOUT: 'Upstream timeout',
  UPSTREAM_TOO_LARGE: 'Upstream response too large',
  UPSTREAM_NOT_CONFIGURED: 'Upstream not configured',
  UPSTREAM_FORMAT: 'Upstream response unreadable',
  MAPPING_FAILED: 'Output mapping failed',
  SECRET_MISSING: 'Secret missing',
  STEP_FAILED: 'Orchestration step failed',
  OPERATION_FAILED: 'Upstream operation failed',
  NOT_SUPPORTED: 'Not supported',
  CANCELLED: 'Cancelled',
  INTERNAL: 'Internal error',
};

/** Detail keys safe to show callers (never causes, headers or upstream URLs with queries). */
const SAFE_DETAILS = new Set([
  'missing',
  'invalid',
  'namespace',
  'hint',
  'origin',
  'reason',
  'operation',
  'step',
  'upstreamStatus',
  'redirectOrigin',
  'allowed',
  'limit',
  'format',
]);

export function problemResponse(err: unknown, headers: Record<string, string> = {}): Response {
  const e: GatewayError = asGatewayError(err);
  const body: Record<string, unknown> = {
    type: `urn:capgate:problem:${e.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[e.code] ?? 'Error',
    status: e.status,
    detail: e.message,
    code: e.code,
  };
  for (const [k, v] of Object.entries(e.details)) if (SAFE_DETAILS.has(k)) body[k] = v;
  return new Response(JSON.stringify(body), {
    status: e.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}
