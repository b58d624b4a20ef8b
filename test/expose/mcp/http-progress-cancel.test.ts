import { describe, expect, it } from 'vitest';
import { fleetEndpoint, newLog, staticRegistry } from './fixtures/fake-endpoints.ts';
import { MODERN_META, legacy, post, sseMessages, mcpApp } from './helpers.ts';

function setup() {
  const log = newLog();
  return { app: mcpApp(staticRegistry([fleetEndpoint(log)]), { bindAddress: '127.0.0.1' }), log };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error('condition not reached');
}

describe('progress', () => {
  it('streams progress notifications then the result over SSE for a long-running tool with a token', async () => {
    const { app } = setup();
    const r = await legacy(
      app,
      'tools/call',
      { name: 'slow-count', arguments: { steps: 3, delayMs: 1 }, _meta: { progressToken: 'tok-1' } },
      11,
    );
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const msgs = sseMessages(r.text);
    expect(msgs).toHaveLength(4);
    expect(msgs.slice(0, 3)).toEqual(
      [1, 2, 3].map((i) => ({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'tok-1', progress: i, total: 3, message: `step ${i}` },
      })),
    );
    expect(msgs[3]).toEqual({ jsonrpc: '2.0', id: 11, result: { content: [{ type: 'text', text: '{"counted":3}' }] } });
  });

  it('streams progress in the 2026-07-28 era too, with the modern result shape', async () => {
    const { app } = setup();
    const r = await post(
      app,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'slow-count',
          arguments: { steps: 2, delayMs: 1 },
          _meta: { ...MODERN_META, progressToken: 5 },
        },
      },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'slow-count' },
    );
    const msgs = sseMessages(r.text);
    expect(msgs.map((m) => m.method ?? 'reply')).toEqual(['notifications/progress', 'notifications/progress', 'reply']);
    expect(msgs[2].result.resultType).toBe('complete');
  });

  it('answers with plain JSON (no progress callback) without a token', async () => {
    const { app } = setup();
    const r = await legacy(app, 'tools/call', { name: 'slow-count', arguments: { steps: 2, delayMs: 1 } });
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.json.result.content[0].text).toBe('{"counted":2}');
  });

  it('answers with plain JSON for a tool that is not long-running even with a token', async () => {
    const { app } = setup();
    const r = await legacy(app, 'tools/call', { name: 'list-ships', arguments: {}, _meta: { progressToken: 1 } });
    expect(r.headers.get('content-type')).toBe('application/json');
  });
});

describe('cancellation', () => {
  it('notifications/cancelled aborts the in-flight call with that id', async () => {
    const { app, log } = setup();
    const pending = legacy(app, 'tools/call', { name: 'wait-for-abort', arguments: {} }, 'req-42');
    await new Promise((r) => setTimeout(r, 20));
    expect(log.aborted).toEqual([]);
    // A cancel for another id, or the same id from another caller, must not touch it.
    await post(
      app,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'req-41' } },
      { 'mcp-protocol-version': '2025-11-25' },
    );
    await post(
      app,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'req-42' } },
      { 'mcp-protocol-version': '2025-11-25', authorization: 'Bearer other' },
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(log.aborted).toEqual([]);
    const cancel = await post(
      app,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'req-42', reason: 'user' } },
      { 'mcp-protocol-version': '2025-11-25' },
    );
    expect(cancel.status).toBe(202);
    const r = await pending;
    expect(log.aborted).toEqual(['wait-for-abort']);
    expect(r.json.result.isError).toBe(true);
  });

  it('a client disconnect aborts the tool', async () => {
    const { app, log } = setup();
    const ac = new AbortController();
    const pending = app.request('/mcp', {
      method: 'POST',
      signal: ac.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'wait-for-abort', arguments: {} },
      }),
    });
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await until(() => log.aborted.length === 1);
    expect(log.aborted).toEqual(['wait-for-abort']);
    await Promise.resolve(pending).catch(() => undefined);
  });

  it('closing an SSE stream early aborts the long-running tool', async () => {
    const { app, log } = setup();
    const res = await app.request('/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'slow-count', arguments: { steps: 1000, delayMs: 5 }, _meta: { progressToken: 1 } },
      }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await until(() => log.aborted.length === 1);
    expect(log.aborted).toEqual(['slow-count']);
  });
});
