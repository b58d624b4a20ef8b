/**
 * `capgate serve --stdio` serves what HTTP serves: the same endpoints, the same tool-list check
 * (a malformed tool is dropped with a located error, the others stay), the package version.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/capgate.js');
const YAML = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: mcp
      namespace: shop
      transport: stdio
      tools:
        - name: good
          description: A mock tool
          outputParameters: [{ name: v, type: string, value: ok }]
        - name: broken
          description: Its literal input schema cannot compile
          inputSchema: { type: object, properties: { x: { type: nonsense } } }
          outputParameters: [{ name: v, type: string, value: ok }]
`;

let dir = '';
let client: Client;
let transport: StdioClientTransport;
const stderr: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-stdio-'));
  const file = path.join(dir, 'shop.yaml');
  await writeFile(file, YAML);
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'serve', '--stdio', file],
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('capgate serve --stdio', () => {
  it('drops the malformed tool with a located error and serves the others', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['good']);
    expect(stderr.join('')).toMatch(/shop\.yaml: error MCP_TOOL_INVALID tool 'broken' is not served/);
  });

  it('reports the package version as its server version, named after its one adapter', async () => {
    const pkg = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(client.getServerVersion()).toMatchObject({ name: 'shop', version: pkg.version });
  });
});
