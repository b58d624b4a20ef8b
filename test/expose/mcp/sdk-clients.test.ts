import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpApp } from './helpers.ts';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { crewEndpoint, fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';

let server: ServerType;
let base: string;
const log = newLog();
const requests: Array<{ version: string | null; method: string | null }> = [];

beforeAll(async () => {
  const app = mcpApp(staticRegistry([fleetEndpoint(log), crewEndpoint()]), {
    bindAddress: '127.0.0.1',
    serverVersion: '1.2.3',
  });
  await new Promise<void>((resolve) => {
    server = serve(
      {
        fetch: (req: Request) => {
          requests.push({ version: req.headers.get('mcp-protocol-version'), method: req.headers.get('mcp-method') });
          return app.fetch(req);
        },
        hostname: '127.0.0.1',
        port: 0,
      },
      () => resolve(),
    );
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SDK v1 client (2025-11-25) over Streamable HTTP', () => {
  let client: ClientV1;
  beforeAll(async () => {
    client = new ClientV1({ name: 'v1-test', version: '1.0.0' });
    await client.connect(new HttpV1(new URL(`${base}/mcp`)));
  });
  afterAll(async () => {
    await client.close();
  });

  it('negotiates 2025-11-25 and sees the server info', () => {
    expect(client.getServerVersion()).toEqual({ name: 'capgate', version: '1.2.3' });
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    expect(client.getInstructions()).toBe('Fleet tools');
  });

  it('lists tools (zod-validated by the client)', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get-ship');
    expect(tools.map((t) => t.name)).not.toContain('list-crew');
  });

  it('calls a tool; the client validates structuredContent against the outputSchema', async () => {
    const r = await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-7' } });
    expect(r.structuredContent).toEqual({ imo: 'IMO-7', name: 'Northern Star' });
    expect(r.isError).toBeFalsy();
  });

  it('receives tool errors as isError results, unknown tools as protocol errors', async () => {
    const r = await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-404' } });
    expect(r.isError).toBe(true);
    expect((r.content as Array<{ text: string }>)[0].text).toContain('Upstream returned 404');
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(/Unknown tool: nope/);
  });

  it('receives progress notifications', async () => {
    const seen: Array<{ progress: number; total?: number }> = [];
    const r = await client.callTool({ name: 'slow-count', arguments: { steps: 3, delayMs: 1 } }, undefined, {
      onprogress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect((r.content as Array<{ text: string }>)[0].text).toBe('{"counted":3}');
  });

  it('reads resources and gets prompts', async () => {
    const res = await client.readResource({ uri: 'fleet://ships/IMO-3' });
    expect(res.contents[0]).toMatchObject({ uri: 'fleet://ships/IMO-3', text: '{"imo":"IMO-3"}' });
    const p = await client.getPrompt({ name: 'brief', arguments: { ship: 'Orca', tone: 'calm' } });
    expect(p.messages[0].content).toEqual({ type: 'text', text: 'Write a calm briefing for Orca.' });
  });

  it('authenticates per endpoint on /mcp/<ns>', async () => {
    const denied = new ClientV1({ name: 'v1-test', version: '1.0.0' });
    await expect(denied.connect(new HttpV1(new URL(`${base}/mcp/crew`)))).rejects.toThrow();
    const allowed = new ClientV1({ name: 'v1-test', version: '1.0.0' });
    await allowed.connect(
      new HttpV1(new URL(`${base}/mcp/crew`), { requestInit: { headers: { Authorization: 'Bearer crew-secret' } } }),
    );
    expect((await allowed.listTools()).tools.map((t) => t.name)).toEqual(['list-crew']);
    await allowed.close();
  });
});

describe('SDK v2 client pinned to 2026-07-28 over Streamable HTTP', () => {
  let client: ClientV2;
  beforeAll(async () => {
    requests.length = 0;
    client = new ClientV2(
      { name: 'v2-test', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new HttpV2(new URL(`${base}/mcp`)));
  });
  afterAll(async () => {
    await client.close();
  });

  it('speaks the modern era: server/discover, no initialize', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(requests.some((r) => r.method === 'server/discover')).toBe(true);
    expect(requests.every((r) => r.version === '2026-07-28')).toBe(true);
  });

  it('lists and calls tools with validated structuredContent', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'get-ship')?.outputSchema).toBeDefined();
    const r = await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9' } });
    expect(r.structuredContent).toEqual({ imo: 'IMO-9', name: 'Northern Star' });
    const bad = await client.callTool({ name: 'get-ship', arguments: {} });
    expect(bad.isError).toBe(true);
  });

  it('receives progress notifications', async () => {
    const seen: number[] = [];
    await client.callTool(
      { name: 'slow-count', arguments: { steps: 2, delayMs: 1 } },
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(seen).toEqual([1, 2]);
  });

  it('reads a resource and gets a prompt', async () => {
    expect((await client.readResource({ uri: 'docs://guides/intro.md' })).contents[0]).toMatchObject({ text: '# Hi' });
    expect((await client.getPrompt({ name: 'brief', arguments: { ship: 'Orca' } })).messages).toHaveLength(2);
  });
});
