import { describe, expect, it } from 'vitest';
import { crewEndpoint, fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';
import { ACCEPT, legacy, post, mcpApp } from './helpers.ts';

/** A POST whose body records whether anyone read it (highWaterMark 0: nothing is pulled until a reader asks). */
function trackedRequest(headers: Record<string, string>) {
  const state = { pulled: false };
  const body = new ReadableStream(
    {
      pull(c) {
        state.pulled = true;
        c.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"ping"}'));
        c.close();
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
  return { req, state };
}

describe('Host and Origin checks', () => {
  const app = mcpApp(staticRegistry([fleetEndpoint(newLog())]), {
    bindAddress: '127.0.0.1',
    allowedOrigins: ['https://app.example.com'],
  });

  it('rejects a foreign Host with 403 before reading the body', async () => {
    const { req, state } = trackedRequest({ host: 'evil.example.com' });
    const res = await app.fetch(req);
    expect(res.status).toBe(403);
    expect(state.pulled).toBe(false);
  });

  it('does read the body of an allowed request (control for the two checks above)', async () => {
    const { req, state } = trackedRequest({ host: '127.0.0.1:9090' });
    expect((await app.fetch(req)).status).toBe(200);
    expect(state.pulled).toBe(true);
  });

  it('rejects a present foreign Origin with 403 before reading the body, even with a good Host', async () => {
    const { req, state } = trackedRequest({ host: '127.0.0.1:9090', origin: 'http://evil.example.com' });
    expect((await app.fetch(req)).status).toBe(403);
    expect(state.pulled).toBe(false);
  });

  it('accepts loopback hosts on any port, requests without Origin, and allowed origins with CORS headers', async () => {
    for (const host of ['localhost:1234', '127.0.0.1:9090', '[::1]:80', 'localhost']) {
      expect((await legacy(app, 'ping', undefined, 1, { host })).status, host).toBe(200);
    }
    const r = await legacy(app, 'ping', undefined, 1, { host: 'localhost:9090', origin: 'https://app.example.com' });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(r.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    expect((await legacy(app, 'ping', undefined, 1, { origin: 'http://localhost:6274' })).status).toBe(200);
  });

  it('judges each Host on its own when good and bad ones alternate (the last verdict is remembered)', async () => {
    for (const [host, status] of [
      ['127.0.0.1:9090', 200],
      ['evil.example.com', 403],
      ['evil.example.com', 403],
      ['127.0.0.1:9090', 200],
      ['localhost', 200],
      ['127.0.0.1.evil.example.com', 403],
    ] as const) {
      expect((await legacy(app, 'ping', undefined, 1, { host })).status, host).toBe(status);
    }
  });

  it('checks configured hosts when bound to all interfaces', async () => {
    const open = mcpApp(staticRegistry([fleetEndpoint(newLog())]), {
      bindAddress: '0.0.0.0',
      allowedHosts: ['mcp.example.com'],
    });
    expect((await legacy(open, 'ping', undefined, 1, { host: 'mcp.example.com:9090' })).status).toBe(200);
    expect((await legacy(open, 'ping', undefined, 1, { host: 'localhost:9090' })).status).toBe(403);
    expect(
      (await legacy(open, 'ping', undefined, 1, { host: 'mcp.example.com', origin: 'http://localhost:3000' })).status,
    ).toBe(403);
  });
});

describe('CORS preflight', () => {
  const app = mcpApp(staticRegistry([crewEndpoint()]), {
    bindAddress: '127.0.0.1',
    allowedOrigins: ['https://app.example.com'],
  });

  it('answers an allowed origin with the MCP headers, without asking for credentials', async () => {
    const res = await app.request('/mcp', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const allow = res.headers.get('access-control-allow-headers')!;
    for (const h of [
      'Content-Type',
      'Accept',
      'Authorization',
      'Mcp-Session-Id',
      'MCP-Protocol-Version',
      'Mcp-Method',
      'Mcp-Name',
      'Last-Event-ID',
    ])
      expect(allow).toContain(h);
    expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  it('refuses other origins', async () => {
    const res = await app.request('/mcp', { method: 'OPTIONS', headers: { origin: 'https://other.example.com' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('authentication hooks', () => {
  function setup() {
    const registry = staticRegistry([fleetEndpoint(newLog()), crewEndpoint()]);
    return { app: mcpApp(registry, { bindAddress: '127.0.0.1' }), registry };
  }
  const names = async (app: any, headers: Record<string, string> = {}, path = '/mcp') =>
    (await legacy(app, 'tools/list', undefined, 1, headers, path)).json.result.tools.map((t: any) => t.name);

  it('on the merged route shows only the endpoints the caller may use', async () => {
    const { app } = setup();
    expect(await names(app)).not.toContain('list-crew');
    expect(await names(app, { authorization: 'Bearer crew-secret' })).toContain('list-crew');
    expect((await legacy(app, 'tools/call', { name: 'list-crew' })).json.error.message).toBe(
      'Invalid params: Unknown tool: list-crew',
    );
    const ok = await legacy(app, 'tools/call', { name: 'list-crew' }, 1, { authorization: 'Bearer crew-secret' });
    expect(ok.json.result.content[0].text).toBe('[{"name":"Erik"}]');
  });

  it('joins instructions of the visible endpoints', async () => {
    const { app } = setup();
    const init = (h: Record<string, string>) =>
      post(
        app,
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } },
        h,
      );
    expect((await init({})).json.result.instructions).toBe('Fleet tools');
    expect((await init({ authorization: 'Bearer crew-secret' })).json.result.instructions).toBe(
      'fleet: Fleet tools\ncrew: Crew roster',
    );
  });

  it("on /mcp/<ns> applies that endpoint's hook to every method", async () => {
    const { app } = setup();
    const denied = await legacy(app, 'tools/list', undefined, 1, {}, '/mcp/crew');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="crew"');
    expect((await app.request('/mcp/crew', { method: 'GET' })).status).toBe(401);
    expect((await app.request('/mcp/crew', { method: 'DELETE' })).status).toBe(401);
    expect(await names(app, { authorization: 'Bearer crew-secret' }, '/mcp/crew')).toEqual(['list-crew']);
    expect(await names(app, {}, '/mcp/fleet')).not.toContain('list-crew');
  });

  it('answers with the first denial when every endpoint denies', async () => {
    const app = mcpApp(staticRegistry([crewEndpoint('a'), crewEndpoint('b')]), { bindAddress: '127.0.0.1' });
    const r = await post(app, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {} },
    });
    expect(r.status).toBe(401);
    expect(r.text).toBe('Unauthorized');
    expect((await legacy(app, 'ping', undefined, 1, { authorization: 'Bearer b' })).status).toBe(200);
  });

  it('reads the registry per request (hot reload)', async () => {
    const { app, registry } = setup();
    expect(await names(app)).toContain('get-ship');
    registry.set([
      {
        namespace: 'other',
        version: '1',
        resources: [],
        prompts: [],
        tools: [
          {
            name: 'hello',
            description: 'Hi',
            inputSchema: { type: 'object' },
            async call() {
              return { ok: true, value: 'hi' };
            },
          },
        ],
      },
    ]);
    expect(await names(app)).toEqual(['hello']);
    expect((await legacy(app, 'tools/call', { name: 'hello' })).json.result.content[0].text).toBe('hi');
  });
});
