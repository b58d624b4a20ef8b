/**
 * The seed capability through real MCP clients: SDK v1 (2025-11-25) and SDK v2 pinned to
 * 2026-07-28 over Streamable HTTP, and SDK v1 over stdio against `capgate serve --stdio`.
 * Each lists the tools, calls `ampersand-get-operation`, and the mock upstream must see
 * `GET /projects/<p>/operations/<id>` with the bearer token from the bind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { startServe, type Started } from '../../src/cli/serve.ts';
import { parseServeArgs } from '../../src/cli/serve-options.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SEED = path.join(ROOT, 'capabilities/ampersand-operation.yaml');
const TOKEN = 'seed-test-token';

interface Seen {
  method: string;
  url: string;
  auth?: string;
}

const seen: Seen[] = [];
let upstream: http.Server;
let upstreamUrl = '';
let gateway: Started;
let mcpUrl = '';

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
    const id = (req.url ?? '').split('/').pop();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, status: 'in_progress', projectId: 'p1' }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const args = parseServeArgs(
    [SEED, '--rest-port', '0', '--mcp-port', '0', '--upstream', `ampersand-operation=${upstreamUrl}`],
    {},
  );
  if ('error' in args) throw new Error(args.error);
  const started = await startServe(args, { AMPERSAND_API_KEY: TOKEN });
  if (typeof started === 'number') throw new Error(`serve failed with exit code ${started}`);
  gateway = started;
  mcpUrl = started.urls.find((u) => u.endsWith('/mcp'))!;
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((r) => upstream?.close(r));
});

const ARGS = { projectIdOrName: 'p1', operationId: 'op-42' };
/** The seed's four tool names, which the bundled file must keep. */
const SEED_TOOLS = [
  'ampersand-get-backfill-progress',
  'ampersand-get-operation',
  'ampersand-list-logs-operation',
  'ampersand-list-operations',
];

async function expectSeedCall(call: () => Promise<unknown>, opId: string): Promise<void> {
  const before = seen.length;
  const result = (await call()) as { content?: unknown; isError?: unknown };
  expect(result.isError).toBeFalsy();
  const text = (result.content as Array<{ type: string; text: string }>)[0].text;
  expect(JSON.parse(text)).toMatchObject({ id: opId, status: 'in_progress', projectId: 'p1' });
  const req = seen.slice(before).find((s) => s.url.includes(opId));
  expect(req).toEqual({ method: 'GET', url: `/projects/p1/operations/${opId}`, auth: `Bearer ${TOKEN}` });
}

describe('seed capability: SDK v1 client over Streamable HTTP (2025-11-25)', () => {
  it('lists the seed tools with input schemas and calls ampersand-get-operation', async () => {
    const client = new ClientV1({ name: 'seed-v1', version: '1.0.0' });
    await client.connect(new HttpV1(new URL(mcpUrl)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(SEED_TOOLS));
      const get = tools.find((t) => t.name === 'ampersand-get-operation')!;
      expect(get.inputSchema.required).toEqual(expect.arrayContaining(['projectIdOrName', 'operationId']));
      expect(get.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
      await expectSeedCall(
        () => client.callTool({ name: 'ampersand-get-operation', arguments: { ...ARGS, operationId: 'op-v1' } }),
        'op-v1',
      );
    } finally {
      await client.close();
    }
  });

  it('reports a missing argument as a tool error naming it, without calling upstream', async () => {
    const client = new ClientV1({ name: 'seed-v1', version: '1.0.0' });
    await client.connect(new HttpV1(new URL(mcpUrl)));
    try {
      const before = seen.length;
      const r = await client.callTool({ name: 'ampersand-get-operation', arguments: { projectIdOrName: 'p1' } });
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toContain('operationId');
      expect(seen.length).toBe(before);
    } finally {
      await client.close();
    }
  });
});

describe('seed capability: SDK v2 client pinned to 2026-07-28 over Streamable HTTP', () => {
  it('negotiates the modern era and calls ampersand-get-operation', async () => {
    const client = new ClientV2(
      { name: 'seed-v2', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new HttpV2(new URL(mcpUrl)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const { tools } = await client.listTools();
      expect(tools.some((t) => t.name === 'ampersand-get-operation')).toBe(true);
      await expectSeedCall(
        () => client.callTool({ name: 'ampersand-get-operation', arguments: { ...ARGS, operationId: 'op-v2' } }),
        'op-v2',
      );
    } finally {
      await client.close();
    }
  });
});

describe('seed capability: SDK v1 client over stdio (capgate serve --stdio)', () => {
  it('serves the tools on stdin/stdout and calls ampersand-get-operation', async () => {
    const client = new ClientV1({ name: 'seed-stdio', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        path.join(ROOT, 'bin/capgate.js'),
        'serve',
        '--stdio',
        SEED,
        '--upstream',
        `ampersand-operation=${upstreamUrl}`,
      ],
      env: { PATH: process.env.PATH ?? '', AMPERSAND_API_KEY: TOKEN },
      stderr: 'ignore',
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(SEED_TOOLS));
      await expectSeedCall(
        () => client.callTool({ name: 'ampersand-get-operation', arguments: { ...ARGS, operationId: 'op-stdio' } }),
        'op-stdio',
      );
    } finally {
      await client.close();
    }
  });
});

describe('seed capability: SDK v2 client pinned to 2026-07-28 over stdio', () => {
  it('negotiates the modern era on stdin/stdout and calls ampersand-get-operation', async () => {
    const client = new ClientV2(
      { name: 'seed-stdio-v2', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StdioV2({
        command: process.execPath,
        args: [
          path.join(ROOT, 'bin/capgate.js'),
          'serve',
          '--stdio',
          SEED,
          '--upstream',
          `ampersand-operation=${upstreamUrl}`,
        ],
        env: { PATH: process.env.PATH ?? '', AMPERSAND_API_KEY: TOKEN },
        stderr: 'ignore',
      }),
    );
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      await expectSeedCall(
        () => client.callTool({ name: 'ampersand-get-operation', arguments: { ...ARGS, operationId: 'op-stdio-v2' } }),
        'op-stdio-v2',
      );
    } finally {
      await client.close();
    }
  });
});
