import { describe, expect, it } from 'vitest';
import { fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';
import { legacy, post, mcpApp } from './helpers.ts';

function setup() {
  const log = newLog();
  const app = mcpApp(staticRegistry([fleetEndpoint(log)]), {
    bindAddress: '127.0.0.1',
    serverName: 'capgate',
    serverVersion: '9.9.9',
  });
  return { app, log };
}

describe('2025-era handshake', () => {
  it('echoes a supported protocol version and reports capabilities, serverInfo and instructions', async () => {
    const { app } = setup();
    const r = await post(app, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(r.json).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: {
        protocolVersion: '2025-06-18',
        capabilities: {
          tools: { listChanged: true },
          resources: { listChanged: true },
          prompts: { listChanged: true },
          completions: {},
        },
        serverInfo: { name: 'capgate', version: '9.9.9' },
        instructions: 'Fleet tools',
      },
    });
    expect(r.headers.get('mcp-session-id')).toBeNull();
  });

  it('answers an unknown version with the latest one it speaks', async () => {
    const { app } = setup();
    const r = await post(app, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '1999-01-01', capabilities: {} },
    });
    expect(r.json.result.protocolVersion).toBe('2025-11-25');
  });

  it('declares resources and prompts even when no endpoint has them yet (a reload may add them)', async () => {
    const log = newLog();
    const ep = { ...fleetEndpoint(log), resources: [], prompts: [] };
    const app = mcpApp(staticRegistry([ep]), { bindAddress: '127.0.0.1' });
    const r = await post(app, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {} },
    });
    expect(r.json.result.capabilities).toEqual({
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: true },
      completions: {},
    });
    expect((await legacy(app, 'resources/list')).json.result).toEqual({ resources: [] });
  });

  it('declares logging and resource subscriptions only when it keeps sessions, where they live', async () => {
    const app = mcpApp(staticRegistry([fleetEndpoint(newLog())]), { bindAddress: '127.0.0.1', issueSessionId: true });
    const r = await post(app, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {} },
    });
    expect(r.json.result.capabilities).toMatchObject({
      logging: {},
      resources: { listChanged: true, subscribe: true },
    });
  });

  it('issues a never-checked Mcp-Session-Id only when asked to', async () => {
    const app = mcpApp(staticRegistry([fleetEndpoint(newLog())]), { bindAddress: '127.0.0.1', issueSessionId: true });
    const r = await post(app, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {} },
    });
    expect(r.headers.get('mcp-session-id')).toMatch(/^[\x21-\x7e]+$/);
    expect((await legacy(app, 'ping', undefined, 2, { 'mcp-session-id': 'anything' })).json.result).toEqual({});
  });

  it('accepts notifications/initialized and unknown notifications with 202 and no body', async () => {
    const { app } = setup();
    for (const method of ['notifications/initialized', 'notifications/whatever']) {
      const r = await post(app, { jsonrpc: '2.0', method }, { 'mcp-protocol-version': '2025-11-25' });
      expect(r.status).toBe(202);
      expect(r.text).toBe('');
    }
  });

  it('answers ping with an empty result on /, /mcp and /mcp/<ns>', async () => {
    const { app } = setup();
    for (const path of ['/', '/mcp', '/mcp/fleet']) {
      expect((await legacy(app, 'ping', undefined, 6, {}, path)).json).toEqual({ jsonrpc: '2.0', id: 6, result: {} });
    }
  });
});

describe('JSON-RPC and transport errors', () => {
  it('reports parse errors with id null', async () => {
    const { app } = setup();
    const empty = await post(app, '');
    expect(empty.json).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error: empty body' },
    });
    const bad = await post(app, '{not json');
    expect(bad.json.error.code).toBe(-32700);
    expect(bad.json.error.message).toMatch(/^Parse error:/);
    expect(bad.json.id).toBeNull();
  });

  it('rejects jsonrpc other than 2.0 with -32600 and the request id', async () => {
    const { app } = setup();
    const r = await post(app, { jsonrpc: '1.0', id: 3, method: 'ping' });
    expect(r.json).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32600, message: "Invalid Request: jsonrpc must be '2.0'" },
    });
  });

  it('answers unknown methods with -32601 and refuses batches', async () => {
    const { app } = setup();
    expect((await legacy(app, 'foo/bar', undefined, 4)).json).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: -32601, message: 'Method not found: foo/bar' },
    });
    expect((await legacy(app, 'server/discover', undefined, 4)).json.error.code).toBe(-32601);
    const batch = await post(app, [{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect(batch.status).toBe(400);
    expect(batch.json.error.code).toBe(-32600);
  });

  it('rejects an unsupported MCP-Protocol-Version header with 400', async () => {
    const { app } = setup();
    const r = await post(app, { jsonrpc: '2.0', id: 2, method: 'ping' }, { 'mcp-protocol-version': '1999-01-01' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('Unsupported protocol version: 1999-01-01');
  });

  it('assumes 2025-03-26 when the header is missing', async () => {
    const { app } = setup();
    expect((await post(app, { jsonrpc: '2.0', id: 2, method: 'ping' })).json.result).toEqual({});
  });

  it('requires Accept of both JSON and SSE from 2025-era clients (406), like the SDK', async () => {
    const { app } = setup();
    for (const accept of ['application/json', 'text/event-stream', '*/*']) {
      const r = await post(app, { jsonrpc: '2.0', id: 2, method: 'ping' }, { accept });
      expect(r.status).toBe(406);
    }
  });

  it('refuses non-JSON content types with 415', async () => {
    const { app } = setup();
    expect((await post(app, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('answers GET with a change stream (SSE accepted) or 405, and DELETE with 200', async () => {
    const { app } = setup();
    const stream = await app.request('/mcp', { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.body!.cancel();
    const get = await app.request('/mcp', { method: 'GET', headers: { accept: 'application/json' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('GET, POST, DELETE');
    const del = await app.request('/', { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.text()).toBe('');
  });

  it('returns 404 for an unknown namespace route', async () => {
    const { app } = setup();
    expect((await legacy(app, 'ping', undefined, 1, {}, '/mcp/nope')).status).toBe(404);
  });
});

describe('tools', () => {
  it('lists tools with title, schemas and annotations only when present', async () => {
    const { app } = setup();
    const tools = (await legacy(app, 'tools/list')).json.result.tools;
    expect(tools.map((t: any) => t.name)).toEqual([
      'get-ship',
      'list-ships',
      'raw-text',
      'explode',
      'slow-count',
      'wait-for-abort',
    ]);
    expect(tools[0]).toEqual({
      name: 'get-ship',
      title: 'Get ship',
      description: 'Ship card by IMO number',
      inputSchema: {
        type: 'object',
        properties: { imo: { type: 'string', description: 'IMO' }, verbose: { type: 'boolean' } },
        required: ['imo'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: { imo: { type: 'string' }, name: { type: 'string' } },
        required: ['imo', 'name'],
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    });
    expect(tools[1]).toEqual({
      name: 'list-ships',
      description: 'List ships',
      inputSchema: { type: 'object', properties: { status: { type: 'string', enum: ['active', 'maintenance'] } } },
    });
  });

  it('returns text plus structuredContent for a tool with an outputSchema', async () => {
    const { app, log } = setup();
    const r = await legacy(app, 'tools/call', { name: 'get-ship', arguments: { imo: 'IMO-1' } }, 9);
    expect(r.json).toEqual({
      jsonrpc: '2.0',
      id: 9,
      result: {
        content: [{ type: 'text', text: '{"imo":"IMO-1","name":"Northern Star"}' }],
        structuredContent: { imo: 'IMO-1', name: 'Northern Star' },
      },
    });
    expect(log.calls).toEqual([{ tool: 'get-ship', args: { imo: 'IMO-1' } }]);
  });

  it('returns JSON text and no structuredContent without an outputSchema; honours pre-serialised text', async () => {
    const { app } = setup();
    expect((await legacy(app, 'tools/call', { name: 'list-ships', arguments: {} })).json.result).toEqual({
      content: [{ type: 'text', text: '[{"imo":"IMO-1"},{"imo":"IMO-2"}]' }],
    });
    expect((await legacy(app, 'tools/call', { name: 'raw-text' })).json.result).toEqual({
      content: [{ type: 'text', text: 'A=1' }],
    });
  });

  it('turns invalid or missing arguments into an isError result naming the argument, without calling the tool', async () => {
    const { app, log } = setup();
    const missing = (await legacy(app, 'tools/call', { name: 'get-ship', arguments: {} })).json.result;
    expect(missing.isError).toBe(true);
    expect(missing.content[0].text).toContain("missing required argument 'imo'");
    const wrong = (await legacy(app, 'tools/call', { name: 'get-ship', arguments: { imo: 5 } })).json.result;
    expect(wrong.content[0].text).toContain("argument 'imo' must be string");
    const extra = (await legacy(app, 'tools/call', { name: 'get-ship', arguments: { imo: 'x', colour: 'red' } })).json
      .result;
    expect(extra.content[0].text).toContain("unknown argument 'colour'");
    const enumBad = (await legacy(app, 'tools/call', { name: 'list-ships', arguments: { status: 'sunk' } })).json
      .result;
    expect(enumBad.content[0].text).toContain("argument 'status' must be one of");
    expect(log.calls).toEqual([]);
  });

  it('answers an unknown tool or missing params with -32602', async () => {
    const { app } = setup();
    expect((await legacy(app, 'tools/call', { name: 'nope', arguments: {} }, 7)).json).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32602, message: 'Invalid params: Unknown tool: nope' },
    });
    expect((await legacy(app, 'tools/call', undefined, 5)).json).toEqual({
      jsonrpc: '2.0',
      id: 5,
      error: { code: -32602, message: 'Invalid params: missing params' },
    });
    expect((await legacy(app, 'tools/call', { name: 'get-ship', arguments: [1] })).json.error.code).toBe(-32602);
  });

  it('reports a tool error as isError with its message and no non-conforming structuredContent', async () => {
    const { app } = setup();
    const r = (await legacy(app, 'tools/call', { name: 'get-ship', arguments: { imo: 'IMO-404' } })).json.result;
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toContain('Upstream returned 404: Operation not found');
    expect(r._meta['capgate/error'].code).toBe('UPSTREAM_STATUS');
    expect(r).not.toHaveProperty('structuredContent');
  });

  it('refuses to send structuredContent that breaks the outputSchema', async () => {
    const { app } = setup();
    const r = (await legacy(app, 'tools/call', { name: 'get-ship', arguments: { imo: 'IMO-BAD' } })).json.result;
    expect(r.isError).toBe(true);
    expect(r).not.toHaveProperty('structuredContent');
    expect(r.content[0].text).toContain('outputSchema');
  });

  it('hides unexpected exceptions behind a generic isError text', async () => {
    const { app } = setup();
    const r = (await legacy(app, 'tools/call', { name: 'explode' })).json.result;
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toBe('Tool explode failed with an internal error\n{"code":"INTERNAL"}');
    expect(r._meta['capgate/error']).toEqual({ code: 'INTERNAL' });
    expect(JSON.stringify(r)).not.toContain('passwd');
  });
});

describe('resources and prompts', () => {
  it('lists concrete resources and templates', async () => {
    const { app } = setup();
    expect((await legacy(app, 'resources/list')).json.result).toEqual({
      resources: [
        {
          uri: 'docs://guides/intro.md',
          name: 'guides',
          title: 'Guides',
          description: 'Guides',
          mimeType: 'text/markdown',
        },
      ],
    });
    expect((await legacy(app, 'resources/templates/list')).json.result).toEqual({
      resourceTemplates: [
        {
          uriTemplate: 'fleet://ships/{imo}',
          name: 'ship-card',
          title: 'Ship card',
          description: 'One ship',
          mimeType: 'application/json',
        },
      ],
    });
  });

  it('reads directory-backed and templated resources', async () => {
    const { app } = setup();
    expect((await legacy(app, 'resources/read', { uri: 'docs://guides/intro.md' })).json.result).toEqual({
      contents: [{ uri: 'docs://guides/intro.md', mimeType: 'text/markdown', text: '# Hi' }],
    });
    expect((await legacy(app, 'resources/read', { uri: 'fleet://ships/IMO-1' })).json.result).toEqual({
      contents: [{ uri: 'fleet://ships/IMO-1', mimeType: 'application/json', text: '{"imo":"IMO-1"}' }],
    });
  });

  it('maps resource errors to -32602', async () => {
    const { app } = setup();
    expect((await legacy(app, 'resources/read', {})).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: uri is required',
    });
    expect((await legacy(app, 'resources/read', { uri: 'fleet://nowhere' })).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: Unknown resource URI: fleet://nowhere',
      data: { uri: 'fleet://nowhere' },
    });
    expect((await legacy(app, 'resources/read', { uri: 'fleet://ships/a/b' })).json.error.message).toContain(
      'Unknown resource URI',
    );
    expect((await legacy(app, 'resources/read', { uri: 'docs://guides/../secrets.txt' })).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: Path traversal detected for resource URI: docs://guides/../secrets.txt',
      data: { code: 'INPUT_INVALID' },
    });
  });

  it('lists and renders prompts', async () => {
    const { app } = setup();
    expect((await legacy(app, 'prompts/list')).json.result).toEqual({
      prompts: [
        {
          name: 'brief',
          title: 'Briefing',
          description: 'Crew briefing',
          arguments: [
            { name: 'ship', description: 'Ship name', required: true },
            { name: 'tone', description: 'Tone', required: false },
          ],
        },
      ],
    });
    expect(
      (await legacy(app, 'prompts/get', { name: 'brief', arguments: { ship: 'Orca', tone: 'calm' } })).json.result,
    ).toEqual({
      description: 'Crew briefing',
      messages: [
        { role: 'user', content: { type: 'text', text: 'Write a calm briefing for Orca.' } },
        { role: 'assistant', content: { type: 'text', text: 'Briefing for Orca coming up.' } },
      ],
    });
  });

  it('maps prompt errors to -32602', async () => {
    const { app } = setup();
    expect((await legacy(app, 'prompts/get', {})).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: name is required',
    });
    expect((await legacy(app, 'prompts/get', { name: 'nope' })).json.error).toEqual({
      code: -32602,
      message: 'Invalid params: Unknown prompt: nope',
    });
    const missing = (await legacy(app, 'prompts/get', { name: 'brief', arguments: { tone: 'calm' } })).json.error;
    expect(missing.code).toBe(-32602);
    expect(missing.message).toContain('ship');
  });
});
