/**
 * Graceful shutdown of the real binary: SIGTERM while requests are in flight stops new connections, lets every
 * request in flight finish (none is lost), makes a wait in progress answer with the state it has instead of
 * waiting on, and exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/capgate.js');

const capability = `naftiko: "1.0.0-alpha3"
info: { label: Slow, description: Slow }
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: https://up.example.test
      resources:
        - name: slow
          path: /slow/{{id}}
          operations:
            - { name: get-slow, method: GET }
        - name: op
          path: /ops/{{id}}
          operations:
            - { name: get-op, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /slow/{id}
          operations:
            - { method: GET, call: up.get-slow, with: { id: api.id } }
        - path: /ops/{id}
          operations:
            - method: GET
              call: up.get-op
              with: { id: api.id }
              x-capgate-wait: { until: "$.status", terminal: [done], intervalMs: 200, maxIntervalMs: 200, jitter: 0 }
`;

let dir = '';
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [
      {
        method: 'GET',
        path: '/slow/:id',
        reply: async () => (await new Promise((r) => setTimeout(r, 600)), { json: { ok: true } }),
      },
      { method: 'GET', path: '/ops/:id', reply: { json: { status: 'running' } } },
    ],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-shutdown-'));
  await writeFile(path.join(dir, 'slow.yaml'), capability);
});
afterAll(async () => {
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('loses no request in flight, answers a wait with what it has, refuses new connections, exits 0', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'serve',
        dir,
        '--rest-port',
        '0',
        '--mcp-port',
        '0',
        '--no-control',
        '--no-watch',
        '--log-format',
        'json',
        '--shutdown-timeout',
        '5',
        '--upstream',
        `up=${upstream.url}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let rest = '';
      for (let i = 0; i < 200 && !rest; i++) {
        rest = /capgate REST listening on (http[^\s"]+)/.exec(stderr)?.[1] ?? '';
        if (!rest) await new Promise((r) => setTimeout(r, 25));
      }
      expect(rest).not.toBe('');

      const inFlight = Array.from({ length: 20 }, (_, i) =>
        fetch(`${rest}/slow/${i}`).then(async (r) => ({ status: r.status, body: await r.json() })),
      );
      const waitStarted = Date.now();
      const waiting = fetch(`${rest}/ops/1`, { headers: { prefer: 'wait=60' } }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { done?: boolean },
        ms: Date.now() - waitStarted,
      }));
      await new Promise((r) => setTimeout(r, 250));
      child.kill('SIGTERM');

      const answers = await Promise.all(inFlight);
      expect(answers.every((a) => a.status === 200 && a.body.ok === true)).toBe(true);
      const waited = await waiting;
      expect(waited.status).toBe(200);
      expect(waited.body).toMatchObject({ status: 'running', done: false });
      expect(waited.ms).toBeLessThan(5_000);
      expect(await exited).toBe(0);
      await expect(fetch(`${rest}/slow/after`)).rejects.toThrow();
      expect(stderr).toMatch(/SIGTERM: stopping/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
