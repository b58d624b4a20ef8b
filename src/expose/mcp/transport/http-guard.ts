/**
 * @module expose/mcp/transport/http-guard — DNS-rebinding protection (Host and Origin allow-lists, checked before the
 * body is read) and CORS for browser clients.
 */
import type { McpAppOptions } from '../protocol/types.ts';
import { transportError, withHeaders, type Out } from './http-out.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackAddress(addr: string): boolean {
  const a = addr.replace(/^\[|\]$/g, '');
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** `host[:port]` → lower-cased hostname (IPv6 kept in brackets) and port string. */
function splitHost(hostHeader: string): { hostname: string; port: string } {
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
  return m ? { hostname: m[1], port: m[2] ?? '' } : { hostname: h, port: '' };
}

export interface Guard {
  /** A 403 answer when Host or Origin is not allowed, else undefined. */
  check(hostHeader: string | undefined, origin: string | undefined): Out | undefined;
  originAllowed(origin: string): boolean;
}

export function createGuard(opts: McpAppOptions): Guard {
  const loopback = isLoopbackAddress(opts.bindAddress);
  const hostEntries = (opts.allowedHosts ?? []).map((h) => splitHost(h));
  const checkHosts = loopback || opts.allowedHosts !== undefined;
  const origins = new Set(opts.allowedOrigins ?? []);

  // Clients send the same Host on every request: remember the last verdict instead of re-parsing it.
  let lastHost: string | undefined;
  let lastVerdict = false;

  function hostAllowed(hostHeader: string | undefined): boolean {
    if (!checkHosts) return true;
    if (!hostHeader) return false;
    if (hostHeader === lastHost) return lastVerdict;
    const { hostname, port } = splitHost(hostHeader);
    const verdict =
      (loopback && LOOPBACK_NAMES.has(hostname)) ||
      hostEntries.some((e) => e.hostname === hostname && (e.port === '' || e.port === port));
    lastHost = hostHeader;
    lastVerdict = verdict;
    return verdict;
  }

  function originAllowed(origin: string): boolean {
    if (origins.has(origin)) return true;
    if (!loopback) return false;
    try {
      const u = new URL(origin);
      return LOOPBACK_NAMES.has(u.hostname) || u.hostname === '[::1]';
    } catch {
      return false;
    }
  }

  return {
    originAllowed,
    check(hostHeader, origin) {
      if (!hostAllowed(hostHeader)) return forbidden(`Invalid Host: ${hostHeader ?? '(missing)'}`);
      if (origin !== undefined && !originAllowed(origin)) return forbidden(`Invalid Origin: ${origin}`);
      return undefined;
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
