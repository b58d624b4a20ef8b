/**
 * Black-box: every case of cases.ts that has an MCP call, made through the official MCP SDK (v1)
 * client against the gateway's MCP port, upstreams on a real mock server. Plus tools/list
 * expectations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, TOOL_LIST_CASES, type Case } from './cases.ts';
import { assertUpstream, createHarness, matchesBody, upstreamFor, type Harness } from './harness.ts';
import { connectMcp, firstText, payloadOf, type McpClient } from '../helpers/mcp-client.ts';

let h: Harness;
const clients = new Map<string, McpClient>();

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  for (const c of clients.values()) await c.close().catch(() => undefined);
  await h?.close();
});

/** One client per (capability, headers); connecting costs an initialize round trip. */
async function clientFor(c: Case): Promise<McpClient> {
  const g = await h.gateway(c.capability);
  const headers = c.mcp!.headers ?? {};
  const key = `${c.capability.id} ${JSON.stringify(headers)}`;
  let client = clients.get(key);
  if (!client) {
    client = await connectMcp(g.mcp, headers);
    clients.set(key, client);
  }
  return client;
}

describe('black-box scenarios over MCP (SDK v1 client)', () => {
  for (const c of CASES.filter((x) => x.mcp)) {
    it(`${c.id}: ${c.title}`, async () => {
      const g = await h.gateway(c.capability);
      for (const code of c.warnings ?? []) expect(g.warnings.map((w) => w.code)).toContain(code);
      await h.prepare(c);
      const e = c.expect;
      if (e.kind === 'unauthorized') {
        const raw = await fetch(g.mcp, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...(c.mcp!.headers ?? {}),
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
          }),
        });
        expect(raw.status).toBe(401);
        await expect(connectMcp(g.mcp, c.mcp!.headers ?? {})).rejects.toThrow();
        assertUpstream(h.mock, upstreamFor(c, 'mcp'));
        return;
      }
      const client = await clientFor(c);
      const result = await client.callTool({ name: c.mcp!.tool, arguments: c.mcp!.args });
      const text = firstText(result);
      switch (e.kind) {
        case 'ok':
          expect(result.isError ?? false, text).toBe(false);
          if (e.text !== undefined) expect(text).toBe(e.text);
          expect(payloadOf(result)).toEqual(e.value);
          break;
        case 'upstream-error': {
          expect(result.isError).toBe(true);
          const prefix = `Upstream returned ${e.status}: `;
          expect(text.startsWith(prefix), text).toBe(true);
          matchesBody(text.slice(prefix.length), e.body);
          break;
        }
        case 'error':
          expect(result.isError, text).toBe(true);
          for (const m of e.mcpMentions ?? e.mentions) expect(text).toContain(m);
          break;
      }
      assertUpstream(h.mock, upstreamFor(c, 'mcp'));
    });
  }
});

describe('tools/list', () => {
  for (const t of TOOL_LIST_CASES) {
    it(`${t.id}: schemas and annotations`, async () => {
      const g = await h.gateway(t.capability);
      const client = await connectMcp(g.mcp);
      try {
        const { tools } = await client.listTools();
        for (const [name, want] of Object.entries(t.tools)) {
          const tool = tools.find((x) => x.name === name);
          expect(tool, `tool ${name}`).toBeDefined();
          for (const [k, v] of Object.entries(want)) {
            if (v === undefined) expect(tool![k as keyof typeof tool], `${name}.${k}`).toBeUndefined();
            else expect(tool![k as keyof typeof tool], `${name}.${k}`).toMatchObject(v as object);
          }
        }
      } finally {
        await client.close();
      }
    });
  }
});
