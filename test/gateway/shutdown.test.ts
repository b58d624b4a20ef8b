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
        - name: stuck
          path: /stuck/{{id}}
          operations:
            - { name: get-stuck, method: GET }
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
        - path: /stuck/{id}
          operations:
            - { method: GET, call: up.get-stuck, with: { id: api.id } }
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
      {
        method: 'GET',
        path: '/stuck/:id',
        reply: async () => (await new Promise((r) => setTimeout(r, 8_000)), { json: { ok: true } }),
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

/** Starts the binary on the test capability; resolves once the REST port is open. */
async function startBinary(shutdownTimeout: number) {
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
      String(shutdownTimeout),
      '--upstream',
      `up=${upstream.url}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let rest = '';
  for (let i = 0; i < 200 && !rest; i++) {
    rest = /capgate REST listening on (http[^\s"]+)/.exec(stderr)?.[1] ?? '';
    if (!rest) await new Promise((r) => setTimeout(r, 25));
  }
  return { child, exited, rest, stderr: () => stderr };
}

describe('SIGTERM', () => {
  it('loses no request in flight, answers a wait with what it has, refuses new connections, exits 0', async () => {
    const { child, exited, rest, stderr } = await startBinary(5);
    try {
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
      expect(stderr()).toMatch(/SIGTERM: stopping/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a second signal exits at once (code 1) without waiting for requests in flight', async () => {
    const { child, exited, rest, stderr } = await startBinary(30);
    try {
      expect(rest).not.toBe('');
      // The upstream takes 8 s to answer: a graceful stop would wait for it (up to the 30 s timeout).
      const stuck = fetch(`${rest}/stuck/1`).then((r) => r.status);
      stuck.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 250));
      const signalled = Date.now();
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !/SIGTERM: stopping/.test(stderr()); i++) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(Date.now() - signalled).toBeLessThan(5_000);
      await expect(stuck).rejects.toThrow();
      expect(stderr()).toMatch(/SIGINT again: exiting without waiting/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
