/**
 * Hot reload as a user meets it: `serve` on a folder while clients are connected; a file is added, broken, fixed and
 * deleted. Routes and tools appear and go, the broken version never serves (the last good one does), MCP clients of
 * both protocol eras hear that the tool list changed, and a client loop running the whole time never fails.
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { startServe, type Started } from '../../src/cli/serve.ts';
import { parseServeArgs } from '../../src/cli/serve-options.ts';
import { testLogger } from '../helpers/test-log.ts';

/** A capability with one REST route and one MCP tool answering a fixed value (no upstream needed). */
const capability = (name: string, value: string, extra = '') => `naftiko: "1.0.0-alpha3"
info: { label: ${name}, description: ${name} }
capability:
  exposes:
    - type: rest
      port: 8080
      namespace: ${name}-api
      resources:
        - path: /${name}
          operations:
            - method: GET
              outputParameters: [{ name: value, type: string, value: "${value}" }]
    - type: mcp
      port: 9090
      namespace: ${name}-tools
      tools:
        - name: ${name}-tool
          description: Says ${value}
          outputParameters: [{ name: value, type: string, value: "${value}" }]${extra}
`;

let dir = '';
let started: Started;
let rest = '';
let mcp = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-reload-'));
  await writeFile(path.join(dir, 'a.yaml'), capability('a', 'alpha'));
  const args = parseServeArgs([dir, '--rest-port', '0', '--mcp-port', '0'], {});
  if ('error' in args) throw new Error(args.error);
  const s = await startServe(args, {}, { log: testLogger() });
  if (typeof s === 'number') throw new Error(`serve exited ${s}`);
  started = s;
  rest = started.urls.find((u) => !u.endsWith('/mcp'))!;
  mcp = started.urls.find((u) => u.endsWith('/mcp'))!;
});
afterAll(async () => {
  await started?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const get = async (p: string) => {
  const res = await fetch(`${rest}${p}`);
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as { value?: string }) : undefined };
};

describe('hot reload', () => {
  it('adds, refuses a broken version, fixes and deletes while clients stay connected and a client loop never fails', async () => {
    // A 2025-era client on its GET stream, and a 2026-07-28 listener.
    const client = new Client({ name: 'reload-test', version: '1.0.0' });
    let heard2025 = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void heard2025++);
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp)));
    const listen = await fetch(mcp, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'subscriptions/listen',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'watch',
        method: 'subscriptions/listen',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
          notifications: { toolsListChanged: true },
        },
      }),
    });
    let heard2026 = 0;
    const reader = listen.body!.getReader();
    void (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        heard2026 += decoder.decode(value).split('notifications/tools/list_changed').length - 1;
      }
    })();

    // A client loop, REST and MCP, for the whole test: not one request may fail.
    let running = true;
    const failures: string[] = [];
    let served = 0;
    const loop = (async () => {
      while (running) {
        const [r, t] = await Promise.all([
          fetch(`${rest}/a`).then((res) => res.status),
          client.callTool({ name: 'a-tool', arguments: {} }).then((x) => (x.isError ? 'tool error' : 200)),
        ]).catch((err: Error) => [err.message, err.message]);
        if (r !== 200) failures.push(`REST ${r}`);
        if (t !== 200) failures.push(`MCP ${t}`);
        served++;
      }
    })();

    const tools = async () => (await client.listTools()).tools.map((t) => t.name).sort();
    const file = path.join(dir, 'b.yaml');

    // Add.
    await writeFile(file, capability('b', 'beta'));
    await until('the new route', async () => (await get('/b')).status === 200);
    expect((await get('/b')).body).toEqual({ value: 'beta' });
    await until('the 2025-era notification', () => heard2025 > 0);
    await until('the 2026 notification', () => heard2026 > 0);
    expect(await tools()).toEqual(['a-tool', 'b-tool']);

    // Break: the last good version keeps serving, the problem is in the status.
    const reloadsBefore = started.service.status().reloads;
    await writeFile(file, capability('b', 'broken', '\n          call: nowhere.nothing'));
    await until('the refused reload', () => started.service.status().reloads.failed > reloadsBefore.failed);
    expect((await get('/b')).body).toEqual({ value: 'beta' });
    expect(await tools()).toEqual(['a-tool', 'b-tool']);
    const status = started.service.status();
    expect(status.lastReload?.rejected.map((r) => path.basename(r.file))).toEqual(['b.yaml']);
    expect(status.files.find((f) => f.file.endsWith('b.yaml'))?.problems.map((p) => p.code)).toContain(
      'CALL_UNKNOWN_NAMESPACE',
    );

    // Fix.
    await writeFile(file, capability('b', 'beta-two'));
    await until('the fixed version', async () => (await get('/b')).body?.value === 'beta-two');
    const called = await client.callTool({ name: 'b-tool', arguments: {} });
    expect(JSON.parse((called.content as Array<{ text: string }>)[0].text)).toEqual({ value: 'beta-two' });

    // Delete.
    const heardBeforeDelete = heard2025;
    await unlink(file);
    await until('the route to go', async () => (await get('/b')).status === 404);
    await until('the notification of the deletion', () => heard2025 > heardBeforeDelete);
    expect(await tools()).toEqual(['a-tool']);

    running = false;
    await loop;
    await reader.cancel();
    await client.close();
    expect(served).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it('opens a port a changed file now declares and closes the one nothing uses any more', async () => {
    const free = async () => {
      const s = net.createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      const port = (s.address() as net.AddressInfo).port;
      await new Promise<void>((r) => s.close(() => r()));
      return port;
    };
    const [p1, p2] = [await free(), await free()];
    const own = await mkdtemp(path.join(tmpdir(), 'capgate-ports-'));
    const file = path.join(own, 'c.yaml');
    const onPort = (port: number) =>
      capability('c', 'gamma')
        .replace('port: 8080', `port: ${port}`)
        .replace(/ {4}- type: mcp[\s\S]*$/, '');
    await writeFile(file, onPort(p1));
    const args = parseServeArgs([own], {});
    if ('error' in args) throw new Error(args.error);
    const s = await startServe(args, {}, { log: testLogger() });
    if (typeof s === 'number') throw new Error(`serve exited ${s}`);
    try {
      expect((await fetch(`http://127.0.0.1:${p1}/c`)).status).toBe(200);
      await writeFile(file, onPort(p2));
      await until(
        'the new port',
        async () => (await fetch(`http://127.0.0.1:${p2}/c`).catch(() => undefined))?.status === 200,
      );
      await until(
        'the old port to close',
        async () => (await fetch(`http://127.0.0.1:${p1}/c`).catch(() => 'closed')) === 'closed',
      );
      expect(s.service.status().listeners.map((l) => l.port)).toEqual([p2]);
    } finally {
      await s.stop();
      await rm(own, { recursive: true, force: true });
    }
  });
});
