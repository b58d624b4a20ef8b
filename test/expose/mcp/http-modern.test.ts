import { describe, expect, it } from 'vitest';
import { fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';
import { MODERN_META, modern, post, mcpApp } from './helpers.ts';

const SERVER_INFO = { 'io.modelcontextprotocol/serverInfo': { name: 'capgate', version: '2.0.0' } };

function setup(cacheHints?: { ttlMs: number; cacheScope: 'public' | 'private' }) {
  const ep = fleetEndpoint(newLog(), cacheHints ? { cacheHints } : {});
  return mcpApp(staticRegistry([ep]), { bindAddress: '127.0.0.1', serverVersion: '2.0.0' });
}

describe('2026-07-28 era', () => {
  it('answers server/discover with versions, capabilities, cache hints and serverInfo in _meta', async () => {
    const r = await modern(setup(), 'server/discover');
    expect(r.status).toBe(200);
    expect(r.json.result).toEqual({
      supportedVersions: ['2026-07-28'],
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true },
        prompts: { listChanged: true },
        completions: {},
      },
      instructions: 'Fleet tools',
      resultType: 'complete',
      ttlMs: 0,
      cacheScope: 'private',
      _meta: SERVER_INFO,
    });
  });

  it('uses the endpoint cache hints on list results, not on tool results', async () => {
    const app = setup({ ttlMs: 60000, cacheScope: 'public' });
    const list = (await modern(app, 'tools/list')).json.result;
    expect(list).toMatchObject({ resultType: 'complete', ttlMs: 60000, cacheScope: 'public', _meta: SERVER_INFO });
    expect(list.tools).toHaveLength(6);
    const call = (await modern(app, 'tools/call', { name: 'get-ship', arguments: { imo: 'IMO-1' } })).json.result;
    expect(call).toEqual({
      content: [{ type: 'text', text: '{"imo":"IMO-1","name":"Northern Star"}' }],
      structuredContent: { imo: 'IMO-1', name: 'Northern Star' },
      resultType: 'complete',
      _meta: SERVER_INFO,
    });
  });

  it('serves resources and prompts with the same errors as the 2025 era', async () => {
    const app = setup();
    expect((await modern(app, 'resources/read', { uri: 'fleet://ships/IMO-2' })).json.result.contents[0].text).toBe(
      '{"imo":"IMO-2"}',
    );
    expect((await modern(app, 'prompts/get', { name: 'nope' })).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: Unknown prompt: nope',
    });
    expect((await modern(app, 'tools/call', { name: 'nope', arguments: {} })).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: Unknown tool: nope',
    });
  });

  it('no longer knows initialize or ping (404, -32601)', async () => {
    const app = setup();
    for (const m of ['ping', 'initialize', 'foo/bar']) {
      const r = await modern(app, m);
      expect(r.status).toBe(404);
      expect(r.json.error.code).toBe(-32601);
    }
  });

  it('rejects header/body disagreements with 400 and -32020', async () => {
    const app = setup();
    const body = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'get-ship', arguments: { imo: 'x' }, _meta: MODERN_META },
    };
    const cases: Array<Record<string, string>> = [
      { 'mcp-method': 'tools/call', 'mcp-name': 'get-ship' }, // version header missing
      { 'mcp-protocol-version': '2026-07-28', 'mcp-name': 'get-ship' }, // method header missing
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }, // name header missing
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list', 'mcp-name': 'get-ship' },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'other' },
    ];
    for (const h of cases) {
      const r = await post(app, body, h);
      expect(r.status, JSON.stringify(h)).toBe(400);
      expect(r.json.error.code).toBe(-32020);
      expect(r.json.id).toBe(3);
    }
    const b64 = await post(app, body, {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': `=?base64?${Buffer.from('get-ship').toString('base64')}?=`,
    });
    expect(b64.status).toBe(200);
  });

  it('rejects a modern header without an envelope, a bad envelope, and unsupported revisions', async () => {
    const app = setup();
    const noEnv = await post(
      app,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    );
    expect([noEnv.status, noEnv.json.error.code]).toEqual([400, -32602]);
    const badEnv = await post(
      app,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
      },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    );
    expect([badEnv.status, badEnv.json.error.code]).toEqual([400, -32602]);
    expect(badEnv.json.error.message).toContain('clientCapabilities');
    const future = await post(
      app,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      },
      { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
    );
    expect([future.status, future.json.error.code]).toEqual([400, -32022]);
    expect(future.json.error.data).toEqual({ supported: ['2026-07-28'], requested: '2099-01-01' });
    const initModern = await post(
      app,
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } },
      { 'mcp-protocol-version': '2026-07-28' },
    );
    expect([initModern.status, initModern.json.error.code]).toEqual([400, -32020]);
  });

  it('does not insist on the Accept header for modern requests', async () => {
    const r = await modern(setup(), 'tools/list', {}, 1, { accept: 'application/json' });
    expect(r.status).toBe(200);
  });

  it('never sends non-object structuredContent to a 2025-era client', async () => {
    const ep = fleetEndpoint(newLog());
    ep.tools.push({
      name: 'numbers',
      description: 'An array',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      async call() {
        return { ok: true, value: [1, 2] };
      },
    });
    const app = mcpApp(staticRegistry([ep]), { bindAddress: '127.0.0.1' });
    const legacyArr = await post(app, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'numbers' } });
    expect(legacyArr.json.result.isError).toBe(true);
    expect(legacyArr.json.result).not.toHaveProperty('structuredContent');
  });
});
