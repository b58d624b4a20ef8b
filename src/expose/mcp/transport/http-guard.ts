/**
 * @module expose/mcp/transport/http-guard — DNS-rebinding protection (the shared Host and Origin allow-lists, checked
 * before the body is read) and CORS for browser clients.
 */
import { createHostGuard } from '../../http/host-guard.ts';
import type { McpAppOptions } from '../protocol/types.ts';
import { transportError, withHeaders, type Out } from './http-out.ts';

export interface Guard {
  /** A 403 answer when Host or Origin is not allowed, else undefined. */
  check(hostHeader: string | undefined, origin: string | undefined): Out | undefined;
  originAllowed(origin: string): boolean;
}

/** The shared Host and Origin allow-lists, refusals answered as MCP transport errors. */
export function createGuard(opts: McpAppOptions): Guard {
  const guard = createHostGuard(opts);
  return {
    originAllowed: guard.originAllowed,
    check(hostHeader, origin) {
      const refused = guard.check(hostHeader, origin);
      return refused && forbidden(refused.message);
    },
  };
}

function forbidden(message: string): Out {
  return transportError(403, message);
}

export const CORS_ALLOW_HEADERS =
  'Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID';
export const CORS_EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version';
export const CORS_METHODS = 'GET, POST, DELETE, OPTIONS';

/** Preflight answer; only reached for an allowed (or absent) Origin because the guard ran first. */
export function preflight(origin: string | undefined): Response {
  const headers = new Headers({ Allow: CORS_METHODS });
  if (origin !== undefined) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Methods', CORS_METHODS);
    headers.set('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
    headers.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    headers.set('Access-Control-Max-Age', '86400');
    headers.set('Vary', 'Origin');
  }
  return new Response(null, { status: 204, headers });
}

/** Add the CORS response headers for an allowed Origin. */
export function withCors(res: Out, origin: string | undefined): Out {
  if (origin === undefined) return res;
  return withHeaders(
    res,
    { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS },
    'Origin',
  );
}
