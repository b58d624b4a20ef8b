/** End to end: the bundled capabilities start without keys; what needs a missing key answers 503 naming it. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, textOf, type Stack } from './harness.ts';
import { demoEnv } from '../../src/cli/demo.ts';
import { AMBA_PROJECT_ID } from '../../src/simulator/index.ts';

const CHAINLOOP_OP = 'd4f6b8c0-5e7a-4c9d-9f3b-4a6c8d0e2f5b';
const AMBA_OP = '3c6d0f4a-9e5b-4c1a-98fa-6e4a2b0c8d5f';

let s: Stack;
let log = '';
beforeAll(async () => {
  const env = demoEnv(process.env);
  delete env.CHAINLOOP_API_TOKEN;
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    log += String(chunk);
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
  try {
    s = await startStack(env);
  } finally {
    spy.mockRestore();
  }
});
afterAll(async () => {
  await s?.close();
});

describe('a missing secret', () => {
  it('is listed in the start-up log, and the gateway still starts', () => {
    expect(log).toMatch(/chainloop-operations\.yaml.*BIND_MISSING_VALUE.*CHAINLOOP_API_TOKEN/);
    expect(log).toMatch(/operations\.yaml.*BIND_MISSING_VALUE.*CHAINLOOP_API_TOKEN/);
    expect(log).not.toMatch(/AMBA_API_TOKEN is not set/);
    expect(s.urls().length).toBe(2);
  });

  it('REST routes that need it answer 503 with a problem detail naming the variable', async () => {
    for (const p of [`/chainloop/operations/${CHAINLOOP_OP}`, `/operations/chainloop/${CHAINLOOP_OP}`]) {
      const r = await s.get(p);
      expect(r.status, p).toBe(503);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      expect(r.body).toMatchObject({ status: 503, missing: ['CHAINLOOP_API_TOKEN'] });
      expect(r.body.detail).toContain('CHAINLOOP_API_TOKEN');
    }
  });

  it('MCP tools that need it report a tool error naming the variable', async () => {
    const r = await s.call('chainloop-get-operation', { operation_id: CHAINLOOP_OP });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('CHAINLOOP_API_TOKEN');
  });

  it('other providers keep working, in the vendor file and in the normalised capability', async () => {
    expect((await s.get(`/amba/projects/${AMBA_PROJECT_ID}/operations/${AMBA_OP}`)).status).toBe(200);
    const r = await s.call('operations-get-amba', { projectId: AMBA_PROJECT_ID, operationId: AMBA_OP });
    expect(r.structuredContent).toMatchObject({ provider: 'amba', status: 'succeeded', done: true });
  });
});
