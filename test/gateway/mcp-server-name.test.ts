/**
 * `serverInfo.name`: a port (or stdio) serving one MCP adapter is named after that adapter's namespace, as the
 * reference engine does and as clients show it; a port merging several adapters is 'capgate'.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway, type GatewayOptions } from '../../src/gateway/gateway.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/capgate.js');

function adapter(namespace: string, port: number): string {
  return `    - type: mcp
      namespace: ${namespace}
      port: ${port}
      tools:
        - name: ${namespace}-hello
          description: A mock tool
          outputParameters: [{ name: v, type: string, value: ok }]
`;
}

function yaml(...adapters: string[]): string {
  return `naftiko: "1.0.0-alpha3"\ncapability:\n  exposes:\n${adapters.join('')}`;
}

/** serverInfo.name of every MCP port of the gateway, by port. */
async function names(text: string, opts: GatewayOptions = {}): Promise<Record<number, string>> {
  const plan = buildPlan([parseDocumentText('/tmp/names.yaml', text)]);
  const gw = createGateway(plan, await createDeps(plan, { env: {} }), opts);
  const out: Record<number, string> = {};
  for (const { kind, port, app } of gw.apps()) {
    if (kind !== 'mcp') continue;
    const res = await app.request(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        host: `127.0.0.1:${port}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    out[port] = ((await res.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name;
  }
  return out;
}

describe('MCP serverInfo.name over HTTP', () => {
  it('a port with one adapter is named after its namespace', async () => {
    expect(await names(yaml(adapter('shipyard', 9301), adapter('harbour', 9302)))).toEqual({
      9301: 'shipyard',
      9302: 'harbour',
    });
  });

  it('a port merging several adapters is capgate', async () => {
    expect(await names(yaml(adapter('shipyard', 9303), adapter('harbour', 9303)))).toEqual({ 9303: 'capgate' });
    expect(await names(yaml(adapter('shipyard', 9304), adapter('harbour', 9305)), { mcpPort: 9306 })).toEqual({
      9306: 'capgate',
    });
  });

  it('a port override keeps the namespace when it serves one adapter', async () => {
    expect(await names(yaml(adapter('shipyard', 9307)), { mcpPort: 9308 })).toEqual({ 9308: 'shipyard' });
  });
});

describe('MCP serverInfo.name over stdio', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function stdioName(text: string): Promise<string | undefined> {
    const dir = await mkdtemp(path.join(tmpdir(), 'capgate-name-'));
    dirs.push(dir);
    const file = path.join(dir, 'cap.yaml');
    await writeFile(file, text);
    const client = new Client({ name: 'name-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--stdio', file], stderr: 'ignore' }),
    );
    try {
      return client.getServerVersion()?.name;
    } finally {
      await client.close();
    }
  }

  it('is the namespace with one adapter and capgate with several', async () => {
    expect(await stdioName(yaml(adapter('shipyard', 9309)))).toBe('shipyard');
    expect(await stdioName(yaml(adapter('shipyard', 9310), adapter('harbour', 9311)))).toBe('capgate');
  });
});
