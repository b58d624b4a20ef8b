/**
 * `capgate serve --stdio` fed by a pipe: requests written before stdin closes are all answered, even when
 * they are still waiting on the upstream when the input ends; then the process exits on its own.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/capgate.js');
const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: slow
      type: http
      baseUri: "http://slow.invalid"
      resources:
        - name: thing
          path: "/thing/{{n}}"
          operations:
            - { name: get, method: GET }
  exposes:
    - type: mcp
      namespace: slowtools
      transport: stdio
      tools:
        - name: get-thing
          description: A slow upstream call
          inputParameters: [{ name: n, type: string, description: N }]
          call: slow.get
          with: { n: tools.n }
`;

let dir = '';
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [
      {
        method: 'GET',
        path: '/thing/:n',
        reply: async (_req, p) => {
          await new Promise((r) => setTimeout(r, 2500));
          return { json: { n: p.n } };
        },
      },
    ],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-drain-'));
  await writeFile(path.join(dir, 'slow.yaml'), YAML);
});

afterAll(async () => {
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('capgate serve --stdio with a closed stdin', () => {
  it('answers the four piped requests before exiting', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--stdio', '--upstream', `slow=${upstream.url}`, path.join(dir, 'slow.yaml')],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const msg = (m: object) => `${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`;
    child.stdin.write(
      msg({
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }) + msg({ method: 'notifications/initialized' }),
    );
    for (let id = 1; id <= 4; id++)
      child.stdin.write(msg({ id, method: 'tools/call', params: { name: 'get-thing', arguments: { n: `n${id}` } } }));
    // Close stdin while the upstream is still working on all four.
    await new Promise((r) => setTimeout(r, 1000));
    child.stdin.end();
    expect(await exited).toBe(0);
    const replies = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result?: { content: Array<{ text: string }> } });
    const calls = replies.filter((r) => r.id >= 1).sort((a, b) => a.id - b.id);
    expect(calls.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(calls.map((r) => JSON.parse(r.result!.content[0].text))).toEqual([
      { n: 'n1' },
      { n: 'n2' },
      { n: 'n3' },
      { n: 'n4' },
    ]);
  }, 20_000);
});
