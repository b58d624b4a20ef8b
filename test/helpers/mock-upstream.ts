/**
 * @module test/helpers/mock-upstream — a real HTTP upstream on 127.0.0.1 (port 0) for black-box
 * tests: canned routes (method + path pattern → reply or function), every request recorded
 * (method, path, query, headers, body), an optional catch-all, and a fleet API (ships, crew,
 * voyages) as a ready-made route set.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Raw path as received (still percent-encoded), without the query string. */
  readonly path: string;
  /** Raw query string without `?` ('' when there is none). */
  readonly query: string;
  readonly searchParams: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with ', '. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly text: string;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Sent as JSON with `application/json` unless a content-type header is given. */
  readonly json?: unknown;
  /** Sent as is (default content type `text/plain`). */
  readonly body?: string | Buffer;
}

export type Handler = (req: RecordedRequest, params: Record<string, string>) => Reply | Promise<Reply>;

export interface MockRoute {
  /** HTTP method, or '*' for any. */
  readonly method: string;
  /** `/ships/:imo` style (a `:x` matches one segment, a trailing `*` the rest), or a RegExp on the raw path. */
  readonly path: string | RegExp;
  readonly reply: Reply | Handler;
}

export interface MockUpstreamOptions {
  readonly routes?: readonly MockRoute[];
  /**
   * What to answer when no route matches; default 404 `{"error":"no_route"}`. `'echo'` answers 200 with the request.
   */
  readonly catchAll?: Reply | Handler | 'echo';
}

export interface MockUpstream {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** The last recorded request (throws when none). */
  last(): RecordedRequest;
  clear(): void;
  /** Replace the routes (e.g. per test case). */
  setRoutes(routes: readonly MockRoute[], catchAll?: MockUpstreamOptions['catchAll']): void;
  close(): Promise<void>;
}

export async function startMockUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  let routes = [...(opts.routes ?? [])];
  let catchAll = opts.catchAll;
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = record(req, Buffer.concat(chunks));
      requests.push(recorded);
      respond(recorded, routes, catchAll)
        .then((reply) => send(res, reply))
        .catch((err: unknown) => send(res, { status: 500, body: `mock handler failed: ${String(err)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    last() {
      const r = requests[requests.length - 1];
      if (!r) throw new Error('the mock upstream received no request');
      return r;
    },
    clear() {
      requests.length = 0;
    },
    setRoutes(next, nextCatchAll) {
      routes = [...next];
      catchAll = nextCatchAll;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function record(req: IncomingMessage, body: Buffer): RecordedRequest {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q + 1);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method ?? 'GET',
    path,
    query,
    searchParams: new URLSearchParams(query),
    headers,
    body,
    text: body.toString('utf8'),
  };
}

async function respond(
  req: RecordedRequest,
  routes: readonly MockRoute[],
  catchAll: MockUpstreamOptions['catchAll'],
): Promise<Reply> {
  for (const r of routes) {
    if (r.method !== '*' && r.method.toUpperCase() !== req.method) continue;
    const params = matchPath(r.path, req.path);
    if (!params) continue;
    return typeof r.reply === 'function' ? r.reply(req, params) : r.reply;
  }
  if (catchAll === 'echo')
    return { status: 200, json: { method: req.method, path: req.path, query: req.query, body: req.text } };
  if (catchAll) return typeof catchAll === 'function' ? catchAll(req, {}) : catchAll;
  return { status: 404, json: { error: 'no_route', path: req.path } };
}

function matchPath(pattern: string | RegExp, path: string): Record<string, string> | undefined {
  if (pattern instanceof RegExp) {
    const m = pattern.exec(path);
    return m ? { ...(m.groups ?? {}) } : undefined;
  }
  const want = pattern.split('/');
  const got = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (w === '*' && i === want.length - 1) {
      params['*'] = got.slice(i).join('/');
      return params;
    }
    if (i >= got.length) return undefined;
    if (w.startsWith(':')) {
      if (got[i] === '') return undefined;
      params[w.slice(1)] = safeDecode(got[i]);
    } else if (w !== got[i]) return undefined;
  }
  return want.length === got.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  let payload: Buffer | undefined;
  if (reply.json !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.json));
    if (!hasType) headers['content-type'] = 'application/json';
  } else if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    if (!hasType) headers['content-type'] = 'text/plain; charset=utf-8';
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

// ---------------------------------------------------------------------------------------------
// The fleet upstream

export const SHIPS = [
  {
    imo_number: 'IMO-1',
    vessel_name: 'Northern Star',
    vessel_type: 'cargo',
    flag_code: 'NO',
    operational_status: 'active',
  },
  {
    imo_number: 'IMO-2',
    vessel_name: 'Pacific Dawn',
    vessel_type: 'tanker',
    flag_code: 'SG',
    operational_status: 'maintenance',
  },
] as const;

export const SHIP_1 = {
  imo_number: 'IMO-1',
  vessel_name: 'Northern Star',
  vessel_type: 'cargo',
  flag_code: 'NO',
  operational_status: 'active',
  year_built: 2015,
  gross_tonnage: 42000,
  dimensions: { length_overall: 229 },
  assignedCrew: ['C-1', 'C-3'],
} as const;

/** The exact bytes the fleet upstream answers for `GET /ships/IMO-1` (pass-through tests compare them). */
export const SHIP_1_TEXT = JSON.stringify(SHIP_1);

export const CREW = [
  { crewId: 'C-1', fullName: 'Erik L', role: 'captain' },
  { crewId: 'C-2', fullName: 'Maria S', role: 'first_officer' },
  { crewId: 'C-3', fullName: 'Aiko T', role: 'cook' },
] as const;

export function fleetRoutes(): MockRoute[] {
  return [
    {
      method: 'GET',
      path: '/ships',
      reply: (req) => {
        const status = req.searchParams.get('status');
        return { json: status ? SHIPS.filter((s) => s.operational_status === status) : SHIPS };
      },
    },
    {
      method: 'GET',
      path: '/ships/:imo',
      reply: (_req, p) =>
        p.imo === 'IMO-1'
          ? { body: SHIP_1_TEXT, headers: { 'content-type': 'application/json' } }
          : { status: 404, json: { error: 'not_found', message: `no ship ${p.imo}` } },
    },
    { method: 'GET', path: '/crew', reply: { json: CREW } },
    {
      method: 'POST',
      path: '/voyages',
      reply: (req) => {
        let b: Record<string, unknown> = {};
        try {
          b = JSON.parse(req.text) as Record<string, unknown>;
        } catch {
          return { status: 400, json: { error: 'bad_json', received: req.text } };
        }
        return {
          status: 201,
          json: {
            voyageId: 'V-42',
            shipImo: b.shipImo,
            departurePort: b.departurePort,
            arrivalPort: b.arrivalPort,
            crewIds: b.crewIds,
            status: 'planned',
          },
        };
      },
    },
  ];
}
