/**
 * Clients hear when the endpoint list changes: a 2025-era client on its GET stream (driven by the SDK v1 client), a
 * 2026-07-28 client on a `subscriptions/listen` stream (acknowledgement first, only the types asked for, each
 * naming the subscription), and a client of `/mcp/<namespace>` only about its namespace.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpHttp, type McpEndpoint } from '../../../src/expose/mcp/index.ts';
import { createLiveRegistry } from '../../../src/expose/mcp/protocol/registry.ts';
import { crewEndpoint, fleetEndpoint, newLog } from './fixtures/fake-endpoints.ts';
import { MODERN_META } from './helpers.ts';

const fleet = fleetEndpoint(newLog());
const crew = { ...crewEndpoint(), authenticate: undefined } as McpEndpoint;
const registry = createLiveRegistry([fleet, crew]);
const mcp = createMcpHttp(registry, { bindAddress: '127.0.0.1' });
const server = http.createServer(mcp.handler);
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  mcp.state.streams.endAll();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Fleet with one more tool: what a reloaded capability file would give. */
function fleetPlusOne(): McpEndpoint {
  const extra = { ...fleet.tools[0], name: 'get-ship-v2' };
  return { ...fleet, tools: [...fleet.tools, extra] };
}

/** Reads SSE messages from a fetch response as they arrive (a read cut short by a timeout is kept for the next call). */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const queue: any[] = [];
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const next = async function (timeoutMs = 3000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    while (!queue.length) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      pending ??= reader.read();
      const chunk = await Promise.race([pending, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left))]);
      if (chunk === 'timeout') return undefined;
      pending = undefined;
      if (chunk.done) return undefined;
      buf += decoder.decode(chunk.value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('');
        if (data) queue.push(JSON.parse(data));
      }
    }
    return queue.shift();
  };
  return Object.assign(next, { cancel: () => reader.cancel() });
}

function listen(notifications: Record<string, boolean>, id: number, path = '/mcp') {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'subscriptions/listen',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'subscriptions/listen',
      params: { _meta: MODERN_META, notifications },
    }),
  });
}

describe('list_changed notifications', () => {
  it('reach a 2025-era SDK client on its GET stream', async () => {
    const client = new Client({ name: 'watcher', version: '1.0.0' });
    const heard: string[] = [];
    let resolveHeard!: () => void;
    const heardOnce = new Promise<void>((r) => (resolveHeard = r));
    client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => {
      heard.push(n.method);
      resolveHeard();
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
    try {
      expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
      // The client opens its GET stream after initializing; give it a moment to be registered.
      for (let i = 0; i < 100 && mcp.state.streams.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
      registry.set([fleetPlusOne(), crew]);
      await heardOnce;
      expect(heard).toEqual(['notifications/tools/list_changed']);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('get-ship-v2');
    } finally {
      await client.close();
      registry.set([fleet, crew]);
    }
  });

  it('a GET stream answers its headers at once, before any notification (clients wait for them)', async () => {
    const res = await fetch(`${base}/mcp`, {
      headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      signal: AbortSignal.timeout(2000),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    await res.body?.cancel();
  });

  it('reach a 2026-07-28 listener: acknowledgement, then only what it asked for, naming its subscription', async () => {
    const toolsOnly = await listen({ toolsListChanged: true, resourcesListChanged: false }, 41);
    const promptsOnly = await listen({ promptsListChanged: true }, 42);
    expect(toolsOnly.headers.get('content-type')).toContain('text/event-stream');
    const a = sseReader(toolsOnly);
    const b = sseReader(promptsOnly);
    expect(await a()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 41 }, notifications: { toolsListChanged: true } },
    });
    expect((await b()).params.notifications).toEqual({ promptsListChanged: true });
    registry.set([fleetPlusOne(), crew]);
    expect(await a()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 41 } },
    });
    expect(await b(300)).toBeUndefined();
    registry.set([fleet, crew]);
    await a.cancel();
    await b.cancel();
  });

  it('a /mcp/<namespace> listener hears only about its namespace', async () => {
    const res = await listen({ toolsListChanged: true }, 7, '/mcp/crew');
    const next = sseReader(res);
    expect((await next()).method).toBe('notifications/subscriptions/acknowledged');
    registry.set([fleetPlusOne(), crew]);
    expect(await next(300)).toBeUndefined();
    const changedCrew = { ...crew, tools: crew.tools.slice(1) };
    registry.set([fleetPlusOne(), changedCrew]);
    expect((await next()).method).toBe('notifications/tools/list_changed');
    registry.set([fleet, crew]);
    await next.cancel();
  });

  it('a listen request without its filter is an invalid-params error', async () => {
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'subscriptions/listen',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'subscriptions/listen', params: { _meta: MODERN_META } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32602);
  });

  it('ends open streams when the server stops', async () => {
    const res = await listen({ toolsListChanged: true }, 99);
    const next = sseReader(res);
    await next();
    mcp.state.streams.endAll();
    expect(await next()).toEqual({
      jsonrpc: '2.0',
      id: 99,
      result: { resultType: 'complete', _meta: { 'io.modelcontextprotocol/subscriptionId': 99 } },
    });
    expect(mcp.state.streams.size).toBe(0);
  });
});
