/**
 * The Node handler (node-handler.ts) must answer exactly like the web app: the same requests go
 * through `app.request()` and through a real socket served by the Node handler, and status,
 * content type and body must match — including the requests that are refused (foreign Host or
 * Origin, unknown namespace) and those that need authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHttp, type McpHttp } from '../../../src/expose/mcp/index.ts';
import { crewEndpoint, fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';
import { ACCEPT, MODERN_META, sseMessages } from './helpers.ts';

const opts = { bindAddress: '127.0.0.1', serverName: 'capgate', serverVersion: '1.2.3' };
const registry = staticRegistry([fleetEndpoint(newLog())]);
const mcp = createMcpHttp(registry, opts);
const app = mcp.app;
/** A socket server running the Node handler. */
async function serveNode(m: McpHttp) {
  const s = http.createServer(m.handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

let main: Awaited<ReturnType<typeof serveNode>>;
let base = '';

beforeAll(async () => {
  main = await serveNode(mcp);
  base = main.base;
});
afterAll(() => main.close());

const legacy = { 'mcp-protocol-version': '2025-11-25' };
const CASES: Array<{
  name: string;
  body: string;
  headers?: Record<string, string | string[]>;
  path?: string;
  type?: string;
}> = [
  {
    name: 'initialize',
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  },
  { name: 'tools/list', body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), headers: legacy },
  {
    name: 'tools/call ok',
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'get-ship', arguments: { imo: 'IMO-1' } },
    }),
    headers: legacy,
  },
  {
    name: 'tools/call upstream error',
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'get-ship', arguments: { imo: 'IMO-404' } },
    }),
    headers: legacy,
  },
  {
    name: 'tools/call bad args',
    body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'get-ship', arguments: {} } }),
    headers: legacy,
  },
  {
    name: 'unknown tool',
    body: JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'nope', arguments: {} } }),
    headers: legacy,
  },
  {
    name: 'tool throws',
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'explode', arguments: {} } }),
    headers: legacy,
  },
  { name: 'parse error', body: '{not json' },
  { name: 'empty body', body: '' },
  {
    name: 'notification',
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    headers: legacy,
  },
  {
    name: 'bad protocol header',
    body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'ping' }),
    headers: { 'mcp-protocol-version': '1999-01-01' },
  },
  {
    name: 'accept json only',
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
    headers: { ...legacy, accept: 'application/json' },
  },
  {
    name: 'modern discover',
    body: JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'server/discover', params: { _meta: MODERN_META } }),
    headers: { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' },
  },
  {
    name: 'per-namespace path',
    body: JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'tools/list' }),
    headers: legacy,
    path: '/mcp/fleet',
  },
  {
    name: 'unknown namespace',
    body: JSON.stringify({ jsonrpc: '2.0', id: 12, method: 'tools/list' }),
    headers: legacy,
    path: '/mcp/nope',
  },
  {
    name: 'foreign host',
    body: JSON.stringify({ jsonrpc: '2.0', id: 13, method: 'ping' }),
    headers: { ...legacy, host: 'evil.example.com' },
  },
  {
    name: 'foreign origin',
    body: JSON.stringify({ jsonrpc: '2.0', id: 14, method: 'ping' }),
    headers: { ...legacy, origin: 'http://evil.example.com' },
  },
  {
    name: 'upper-case ORIGIN header',
    body: JSON.stringify({ jsonrpc: '2.0', id: 20, method: 'ping' }),
    headers: { ...legacy, ORIGIN: 'http://evil.example.com' },
  },
  { name: 'wrong content type', body: 'x', headers: { ...legacy, 'content-type': 'text/plain' } },
  {
    name: 'content type with charset',
    body: JSON.stringify({ jsonrpc: '2.0', id: 15, method: 'ping' }),
    headers: { ...legacy, 'content-type': 'Application/JSON; charset=utf-8' },
  },
  // The Node handler reads Node's rawHeaders, where names keep the client's case and repeated lines stay separate.
  {
    name: 'mixed-case header names',
    body: JSON.stringify({ jsonrpc: '2.0', id: 17, method: 'ping' }),
    headers: { 'MCP-Protocol-Version': '1999-01-01' },
  },
  {
    name: 'mixed-case protocol header, valid',
    body: JSON.stringify({ jsonrpc: '2.0', id: 18, method: 'tools/list' }),
    headers: { 'Mcp-Protocol-Version': '2025-11-25', Accept: ACCEPT },
  },
  {
    name: 'accept split over two header lines',
    body: JSON.stringify({ jsonrpc: '2.0', id: 19, method: 'ping' }),
    headers: { ...legacy, accept: ['application/json', 'text/event-stream'] },
  },
  {
    name: 'progress token on a short tool (plain JSON reply)',
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 16,
      method: 'tools/call',
      params: { name: 'get-ship', arguments: { imo: 'IMO-1' }, _meta: { progressToken: 'p1' } },
    }),
    headers: legacy,
    type: 'application/json',
  },
];

async function viaHono(c: (typeof CASES)[number]) {
  const headers = new Headers();
  for (const [k, v] of Object.entries({
    'content-type': 'application/json',
    accept: ACCEPT,
    host: '127.0.0.1',
    ...c.headers,
  })) {
    headers.delete(k);
    for (const one of ([] as string[]).concat(v)) headers.append(k, one);
  }
  const res = await app.request(`http://127.0.0.1${c.path ?? '/mcp'}`, { method: 'POST', headers, body: c.body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function viaSocket(c: (typeof CASES)[number]) {
  const { host, ...rest } = { host: undefined as string | undefined, ...c.headers };
  return new Promise<{ status: number; type: string | null; text: string }>((resolve, reject) => {
    const req = http.request(
      `${base}${c.path ?? '/mcp'}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT, ...rest, ...(host ? { host } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: (res.headers['content-type'] as string | undefined) ?? null,
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

describe('the Node handler answers exactly like the web app', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const [a, b] = await Promise.all([viaHono(c), viaSocket(c)]);
      expect(b.status).toBe(a.status);
      expect(b.type?.split(';')[0]).toBe(a.type?.split(';')[0]);
      if (c.type) expect(a.type?.split(';')[0]).toBe(c.type);
      expect(b.text ? JSON.parse(b.text) : b.text).toEqual(a.text ? JSON.parse(a.text) : a.text);
    });
  }

  it('refuses a request with two Host lines', async () => {
    // Node accepts repeated Host lines; the raw scan joins them, the guard refuses the joined value.
    const { connect } = await import('node:net');
    const body = JSON.stringify({ jsonrpc: '2.0', id: 21, method: 'ping' });
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(Number(new URL(base).port), '127.0.0.1', () => {
        sock.end(
          [
            'POST /mcp HTTP/1.1',
            'Host: 127.0.0.1',
            'Host: evil.example.com',
            'Content-Type: application/json',
            `Accept: ${ACCEPT}`,
            'MCP-Protocol-Version: 2025-11-25',
            `Content-Length: ${body.length}`,
            'Connection: close',
            '',
            body,
          ].join('\r\n'),
        );
      });
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 4\d\d /);
  });

  it('streams progress as SSE', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 20,
      method: 'tools/call',
      params: { name: 'slow-count', arguments: { steps: 2, delayMs: 1 }, _meta: { progressToken: 'p' } },
    });
    const r = await viaSocket({ name: 'sse', body, headers: legacy });
    expect(r.type).toContain('text/event-stream');
    const msgs = sseMessages(r.text);
    expect(msgs.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress)).toEqual([1, 2]);
    expect(msgs.at(-1).result.structuredContent ?? msgs.at(-1).result.content).toBeDefined();
  });

  it('applies authentication hooks (they get a web Request built from the raw headers)', async () => {
    const srv = await serveNode(createMcpHttp(staticRegistry([crewEndpoint('tok')]), opts));
    try {
      const url = `${srv.base}/mcp`;
      const init = (auth?: string) => ({
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: ACCEPT,
          ...legacy,
          ...(auth ? { authorization: auth } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      const res = await fetch(url, init());
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
      const ok = await fetch(url, init('Bearer tok'));
      expect(ok.status).toBe(200);
      expect((await ok.json()).result.tools.length).toBeGreaterThan(0);
    } finally {
      await srv.close();
    }
  });
});

describe('client disconnect on the Node handler', () => {
  // A tool that reads its signal only after `delayMs`: the disconnect watch starts when the
  // signal is first read, so a client already gone by then must still be seen as gone.
  const seen: Array<{ tool: string; aborted: boolean }> = [];
  const tools = [
    {
      name: 'wait-for-abort',
      description: 'Waits until cancelled',
      inputSchema: { type: 'object' },
      async call(_a: unknown, ctx: { signal: AbortSignal }) {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        seen.push({ tool: 'wait-for-abort', aborted: true });
        return { ok: true as const, value: {} };
      },
    },
    {
      name: 'late-reader',
      description: 'Reads its signal late',
      inputSchema: { type: 'object' },
      async call(_a: unknown, ctx: { signal: AbortSignal }) {
        await new Promise((r) => setTimeout(r, 80));
        seen.push({ tool: 'late-reader', aborted: ctx.signal.aborted });
        return { ok: true as const, value: {} };
      },
    },
  ];
  const reg = staticRegistry([
    { namespace: 'dc', title: 'dc', version: '1', tools, resources: [], prompts: [] } as never,
  ]);
  const dc = createMcpHttp(reg, opts);
  const st = dc.state;
  let srv: Awaited<ReturnType<typeof serveNode>>;
  let url = '';
  beforeAll(async () => {
    srv = await serveNode(dc);
    url = `${srv.base}/mcp`;
  });
  afterAll(() => srv.close());

  function callAndHangUp(tool: string, afterMs: number): void {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, ...legacy },
    });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: {} } }));
    setTimeout(() => req.destroy(), afterMs);
  }

  async function until(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  }

  it('aborts a tool waiting on its signal', async () => {
    callAndHangUp('wait-for-abort', 30);
    await until(() => seen.some((x) => x.tool === 'wait-for-abort'));
    expect(seen).toContainEqual({ tool: 'wait-for-abort', aborted: true });
    expect(st.inflight.size).toBe(0);
  });

  it('gives an already aborted signal to a tool that reads it after the client left', async () => {
    callAndHangUp('late-reader', 20);
    await until(() => seen.some((x) => x.tool === 'late-reader'));
    expect(seen).toContainEqual({ tool: 'late-reader', aborted: true });
  });
});

describe('header lookups the Node handler can serve', () => {
  // The Node handler's header lookup (RawHeaders in node-handler.ts) compares a lower-case name with
  // the raw names and does not lower-case the name it is asked for; a mixed-case or computed name in
  // the routing or POST handling could silently miss on Node while working through web Headers.
  it('every header name the route and the POST handling ask for is a lower-case literal', async () => {
    const { readFile } = await import('node:fs/promises');
    const read = (f: string) => readFile(new URL(`../../../src/expose/mcp/transport/${f}`, import.meta.url), 'utf8');
    const src = (await read('http-route.ts')) + (await read('http-post.ts'));
    const names = [...src.matchAll(/\.get\(\s*(['"`])([^'"`]*)\1\s*\)/g)].map((m) => m[2]);
    const dynamic = [...src.matchAll(/\b(?:h|headers)\.get\(\s*[^'"`\s)]/g)].map((m) => m[0]);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => n !== n.toLowerCase())).toEqual([]);
    expect(dynamic).toEqual([]);
  });
});

describe('tool context headers on the Node handler', () => {
  // ctx.headers is built from the raw header lines only when a tool reads it; it must carry what
  // the Hono path's web Request carries (names case-insensitive, repeated lines joined).
  const tools = [
    {
      name: 'echo-headers',
      description: 'Echoes two request headers',
      inputSchema: { type: 'object' },
      async call(_a: unknown, ctx: { headers?: Headers }) {
        return { ok: true as const, value: {}, text: `${ctx.headers?.get('x-trace')}|${ctx.headers?.get('x-multi')}` };
      },
    },
  ];
  const reg = staticRegistry([
    { namespace: 'hd', title: 'hd', version: '1', tools, resources: [], prompts: [] } as never,
  ]);
  const hd = createMcpHttp(reg, opts);
  const honoApp = hd.app;
  let srv: Awaited<ReturnType<typeof serveNode>>;
  let url = '';
  beforeAll(async () => {
    srv = await serveNode(hd);
    url = `${srv.base}/mcp`;
  });
  afterAll(() => srv.close());

  it('gives the tool the inbound headers, as through the Hono app', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo-headers', arguments: {} },
    });
    const fast = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: ACCEPT,
            ...legacy,
            'X-Trace': 'abc',
            'x-multi': ['1', '2'],
          },
        },
        (res) => {
          let t = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (t += d));
          res.on('end', () => resolve(t));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const viaApp = await (
      await honoApp.request('http://127.0.0.1/mcp', {
        method: 'POST',
        headers: [
          ['content-type', 'application/json'],
          ['accept', ACCEPT],
          ['mcp-protocol-version', '2025-11-25'],
          ['X-Trace', 'abc'],
          ['x-multi', '1'],
          ['x-multi', '2'],
        ],
        body,
      })
    ).text();
    expect(JSON.parse(fast).result.content[0].text).toBe('abc|1, 2');
    expect(fast).toBe(viaApp);
  });
});

describe('request bodies however they arrive on the socket', () => {
  // The Node handler reads the body from Node's IncomingMessage itself (NodeWire in node-handler.ts),
  // not through a web Request: a body split over several TCP writes, or sent chunked, must be answered
  // as through the web app, and one over the 4 MB limit refused.
  const call = JSON.stringify({
    jsonrpc: '2.0',
    id: 31,
    method: 'tools/call',
    params: { name: 'get-ship', arguments: { imo: 'IMO-é—✓' } },
  });
  const head = (extra: string[]) =>
    [
      'POST /mcp HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      `Accept: ${ACCEPT}`,
      'MCP-Protocol-Version: 2025-11-25',
      'Connection: close',
      ...extra,
      '',
      '',
    ].join('\r\n');

  /** Send raw pieces, pausing before each one after the first; resolve with the reply's status and body. */
  async function rawExchange(pieces: Array<string | Buffer>, pauseMs = 25): Promise<{ status: number; body: string }> {
    const { connect } = await import('node:net');
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const reply = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        return {
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
          body: text.slice(text.indexOf('\r\n\r\n') + 4),
        };
      };
      const sock = connect(Number(new URL(base).port), '127.0.0.1', async () => {
        for (const [i, p] of pieces.entries()) {
          if (i > 0) await new Promise((r) => setTimeout(r, pauseMs));
          if (sock.destroyed) return;
          sock.write(p);
        }
      });
      sock.setNoDelay(true); // each write its own segment, so the server really sees the pieces apart
      sock.on('data', (d) => chunks.push(d));
      sock.on('end', () => resolve(reply()));
      // A server that answers early and closes may reset the rest of an upload: keep a reply already read.
      sock.on('error', (err) => (reply().status ? resolve(reply()) : reject(err)));
    });
  }

  const expected = async () => JSON.parse((await viaHono({ name: 'ref', body: call, headers: legacy })).text);
  const bytes = Buffer.from(call);
  const viaNode = rawExchange;

  it('after its headers, split inside a multi-byte character', async () => {
    const cut = bytes.indexOf(Buffer.from('—')) + 1; // in the middle of the 3-byte dash
    const r = await viaNode([head([`Content-Length: ${bytes.length}`]), bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual(await expected());
    expect(JSON.parse(r.body).result.structuredContent.imo).toBe('IMO-é—✓'); // not mangled at the cut
  });

  it('chunked, in several writes', async () => {
    const half = Math.floor(bytes.length / 2);
    const chunk = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
    const r = await viaNode([
      head(['Transfer-Encoding: chunked']),
      chunk(bytes.subarray(0, half)),
      chunk(bytes.subarray(half)),
      '0\r\n\r\n',
    ]);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual(await expected());
  });

  it('chunked and over the 4 MB limit: 413', async () => {
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
    const r = await viaNode(
      [head(['Transfer-Encoding: chunked']), ...Array.from({ length: 5 }, () => chunk), '0\r\n\r\n'],
      1,
    );
    expect(r.status).toBe(413);
  });
});
