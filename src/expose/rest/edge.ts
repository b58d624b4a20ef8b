/**
 * @module expose/rest/edge — what the REST port checks before routing matters: the shared Host and
 * Origin allow-lists (expose/http/host-guard.ts), answered as 403 problems, and CORS, which only
 * origins configured in allowedOrigins get (a preflight is answered alike for every path, so it
 * tells nothing about which paths exist).
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { GatewayError } from '../../common/errors.ts';
import { createHostGuard, type HostGuardOptions } from '../http/host-guard.ts';
import { problemResponse } from './problem.ts';

export interface RestEdge {
  /** A response to send at once (a refused Host or Origin, a CORS preflight), else undefined. */
  screen(c: Context): Response | undefined;
  /** The response with CORS headers when the request came from a configured origin. */
  finish(c: Context, res: Response): Response;
}

const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const CORS_EXPOSE = 'WWW-Authenticate, Preference-Applied, Allow, Location, Retry-After, Link';

export function createRestEdge(opts: HostGuardOptions): RestEdge {
  const guard = createHostGuard(opts);
  const cors = (opts.allowedOrigins?.length ?? 0) > 0;
  return {
    screen(c) {
      const origin = header(c, 'origin');
      const refused = guard.check(hostOf(c), origin);
      if (refused) {
        return problemResponse(new GatewayError('FORBIDDEN', refused.message, { details: { reason: refused.reason } }));
      }
      if (cors && origin !== undefined && c.req.method === 'OPTIONS' && guard.originListed(origin)) {
        const method = header(c, 'access-control-request-method');
        if (method !== undefined) return preflight(origin, header(c, 'access-control-request-headers'));
      }
      return undefined;
    },
    finish(c, res) {
      if (!cors) return res;
      const origin = header(c, 'origin');
      if (origin === undefined || !guard.originListed(origin)) return res;
      res.headers.set('access-control-allow-origin', origin);
      res.headers.set('access-control-expose-headers', CORS_EXPOSE);
      res.headers.append('vary', 'Origin');
      return res;
    },
  };
}

function preflight(origin: string, requestHeaders: string | undefined): Response {
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS_METHODS,
    'access-control-max-age': '600',
    vary: 'Origin',
  };
  if (requestHeaders) headers['access-control-allow-headers'] = requestHeaders;
  return new Response(null, { status: 204, headers });
}

/**
 * One request header. Served by @hono/node-server, Node's own parsed headers are read (the server
 * has built them already); in process (app.request) the web Request's.
 */
export function header(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) {
    const v = incoming.headers[name];
    return typeof v === 'string' ? v : undefined;
  }
  return c.req.raw.headers.get(name) ?? undefined;
}

/** The Host the client named. A Request built in process may carry none; its URL then names the host. */
function hostOf(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) return incoming.headers.host;
  const named = c.req.raw.headers.get('host');
  if (named !== null) return named;
  const url = c.req.url;
  const start = url.indexOf('//') + 2;
  const end = url.indexOf('/', start);
  return url.slice(start, end < 0 ? undefined : end);
}
