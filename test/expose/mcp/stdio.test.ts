import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { serveStdio, type StdioOptions } from '../../../src/expose/mcp/index.ts';
import { fleetEndpoint, newLog, staticRegistry, type CallLog } from './fixtures/fake-endpoints.ts';
import type { McpTool } from '../../../src/expose/mcp/protocol/types.ts';
import { MODERN_META } from './helpers.ts';

/** In-memory pipe pair: write lines to the server, collect every line it prints. */
function harness(opts: StdioOptions = {}, tools?: (log: CallLog) => McpTool[]) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: any[] = [];
  let buf = '';
  stdout.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  const log = newLog();
  const endpoint = fleetEndpoint(log, tools ? { tools: tools(log) } : {});
  const server = serveStdio(staticRegistry([endpoint]), { stdin, stdout }, opts);
  const send = (m: unknown) => stdin.write(typeof m === 'string' ? `${m}\n` : `${JSON.stringify(m)}\n`);
  const waitFor = async (pred: (l: any) => boolean) => {
    for (let i = 0; i < 400; i++) {
      const hit = lines.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no matching line');
  };
  return { stdin, lines, log, server, send, waitFor };
}

describe('stdio (in-memory streams)', () => {
  it('answers the handshake and tool calls, one JSON message per line', async () => {
    const h = harness();
    h.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {} },
    });
    h.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    h.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-1' } } });
    expect((await h.waitFor((l) => l.id === 1)).result.protocolVersion).toBe('2025-06-18');
    expect((await h.waitFor((l) => l.id === 2)).result.structuredContent).toEqual({
      imo: 'IMO-1',
      name: 'Northern Star',
    });
    expect(h.lines).toHaveLength(2); // the notification produced no output
    await h.server.close();
  });

  it('speaks 2026-07-28 when the envelope says so', async () => {
    const h = harness();
    h.send({ jsonrpc: '2.0', id: 'd', method: 'server/discover', params: { _meta: MODERN_META } });
    const r = await h.waitFor((l) => l.id === 'd');
    expect(r.result).toMatchObject({ supportedVersions: ['2026-07-28'], resultType: 'complete' });
    await h.server.close();
  });

  it('answers parse errors and invalid requests, and unknown methods', async () => {
    const h = harness();
    h.send('{oops');
    h.send({ jsonrpc: '1.0', id: 9, method: 'ping' });
    h.send({ jsonrpc: '2.0', id: 10, method: 'nope' });
    expect((await h.waitFor((l) => l.error?.code === -32700)).id).toBeNull();
    expect((await h.waitFor((l) => l.id === 9)).error.code).toBe(-32600);
    expect((await h.waitFor((l) => l.id === 10)).error.code).toBe(-32601);
    await h.server.close();
  });

  it('sends progress for any tool when a token is given, and cancels on notifications/cancelled without replying', async () => {
    const h = harness();
    h.send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'slow-count', arguments: { steps: 2, delayMs: 1 }, _meta: { progressToken: 'p' } },
    });
    await h.waitFor((l) => l.id === 3);
    expect(h.lines.filter((l) => l.method === 'notifications/progress').map((l) => l.params.progress)).toEqual([1, 2]);
    h.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'wait-for-abort', arguments: {} } });
    await new Promise((r) => setTimeout(r, 20));
    h.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 4 } });
    for (let i = 0; i < 100 && h.log.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(h.log.aborted).toEqual(['wait-for-abort']);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.lines.some((l) => l.id === 4)).toBe(false);
    await h.server.close();
  });

  it('aborts in-flight calls that outlive the drain bound once stdin ends', async () => {
    const h = harness({ drainMs: 20 });
    h.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'wait-for-abort', arguments: {} } });
    await new Promise((r) => setTimeout(r, 20));
    h.stdin.end();
    for (let i = 0; i < 100 && h.log.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(h.log.aborted).toEqual(['wait-for-abort']);
    await h.server.close();
  });
});

/** A tool that asks the user for a new name before it is called. */
const renameTool = (log: CallLog): McpTool[] => [
  {
    name: 'rename-ship',
    description: 'Renames a ship once the user gives the new name',
    inputSchema: { type: 'object', properties: { imo: { type: 'string' } }, required: ['imo'] },
    ask: {
      missingArguments: false,
      questions: [
        {
          key: 'name',
          message: (args) => `New name for ${String(args.imo)}?`,
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
      ],
    },
    async call(args) {
      log.calls.push({ tool: 'rename-ship', args });
      return { ok: true, value: { renamed: args.name } };
    },
  },
];

describe('stdio asks the user (2025-11-25 elicitation on the same pipe)', () => {
  const init = (capabilities: object) => ({
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 't', version: '1' } },
  });
  const call = {
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name: 'rename-ship', arguments: { imo: 'IMO-1' } },
  };

  it('sends elicitation/create as a request of its own and calls the tool with the answer', async () => {
    const h = harness({}, renameTool);
    h.send(init({ elicitation: {} }));
    await h.waitFor((l) => l.id === 'init');
    h.send(call);
    const q = await h.waitFor((l) => l.method === 'elicitation/create');
    expect(q.params).toMatchObject({ message: 'New name for IMO-1?', requestedSchema: { required: ['name'] } });
    expect(h.log.calls).toEqual([]);
    h.send({ jsonrpc: '2.0', id: q.id, result: { action: 'accept', content: { name: 'Aurora' } } });
    const r = await h.waitFor((l) => l.id === 7);
    expect(r.result.isError).toBeFalsy();
    expect(h.log.calls).toEqual([{ tool: 'rename-ship', args: { imo: 'IMO-1', name: 'Aurora' } }]);
    await h.server.close();
  });

  it('a client that declared no elicitation gets -32021 and is never asked', async () => {
    const h = harness({}, renameTool);
    h.send(init({}));
    await h.waitFor((l) => l.id === 'init');
    h.send(call);
    const r = await h.waitFor((l) => l.id === 7);
    expect(r.error.code).toBe(-32021);
    expect(h.lines.some((l) => l.method === 'elicitation/create')).toBe(false);
    expect(h.log.calls).toEqual([]);
    await h.server.close();
  });

  it('when the input ends while a question waits, the call is answered at once and the tool never runs', async () => {
    const h = harness({ drainMs: 20_000 }, renameTool);
    h.send(init({ elicitation: {} }));
    await h.waitFor((l) => l.id === 'init');
    h.send(call);
    await h.waitFor((l) => l.method === 'elicitation/create');
    const started = Date.now();
    h.stdin.end();
    await h.server.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await h.waitFor((l) => l.id === 7)).error).toBeDefined();
    expect(h.log.calls).toEqual([]);
  });
});

describe('stdio (child process, SDK v1 client)', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'stdio-test', version: '1.0.0' });
    const script = fileURLToPath(new URL('./fixtures/stdio-fake.ts', import.meta.url));
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', script], stderr: 'ignore' }),
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists and calls tools with progress', async () => {
    expect(client.getServerVersion()).toEqual({ name: 'capgate-stdio', version: '0.1.0' });
    expect((await client.listTools()).tools).toHaveLength(6);
    const seen: number[] = [];
    // finishMs: the SDK v1 stdio client drops a progress line that shares a read with the reply (see stdio.ts).
    const r = await client.callTool(
      { name: 'slow-count', arguments: { steps: 2, delayMs: 1, finishMs: 30 } },
      undefined,
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(seen).toEqual([1, 2]);
    expect((r.content as Array<{ text: string }>)[0].text).toBe('{"counted":2}');
  });
});
