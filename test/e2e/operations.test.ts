/** End to end: capabilities/operations.yaml — the normalised model over the four simulated vendors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, textOf, type Stack } from './harness.ts';
import { AMBA_PROJECT_ID, AMPERSAND_PROJECT } from '../../src/simulator/index.ts';

const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'];
const KEYS = [
  'provider',
  'id',
  'status',
  'done',
  'progress',
  'result',
  'error',
  'createdAt',
  'updatedAt',
  'vendorStatus',
].sort();

interface Case {
  provider: string;
  /** REST path of one operation, given its id. */
  path(id: string): string;
  /** Tool arguments for one operation id. */
  args(id: string): Record<string, unknown>;
  settled: { id: string; expect: Record<string, unknown> };
  live: { id: string; expect: Record<string, unknown> };
  forever: string;
  invalid: { id: string; status: number; message: RegExp };
}

const CASES: Case[] = [
  {
    provider: 'ampersand',
    path: (id) => `/operations/ampersand/${AMPERSAND_PROJECT.name}/${id}`,
    args: (id) => ({ projectIdOrName: AMPERSAND_PROJECT.name, operationId: id }),
    settled: {
      id: '8f9e0d1c-2b3a-4c5d-9e6f-7a8b9c0d1e2f',
      expect: {
        status: 'failed',
        done: true,
        vendorStatus: 'failure',
        result: 'Batch write completed (0 succeeded, 3 failed)',
        error: expect.stringContaining('failed'),
        progress: null,
        updatedAt: null,
      },
    },
    live: {
      id: 'c1e5a7d2-3b4f-4a6e-8d9c-0f1e2d3c4b5a',
      expect: {
        status: 'succeeded',
        vendorStatus: 'success',
        error: null,
        progress: { current: 5000, total: 5000, message: 'records processed' },
      },
    },
    forever: '2b8d4f6a-1c3e-4d5f-a7b9-c0d1e2f3a4b5',
    invalid: { id: 'nope', status: 404, message: /Operation not found/ },
  },
  {
    provider: 'amba',
    path: (id) => `/operations/amba/${AMBA_PROJECT_ID}/${id}`,
    args: (id) => ({ projectId: AMBA_PROJECT_ID, operationId: id }),
    settled: {
      id: '5e8f2b6c-1a7d-4e3c-b01c-8a6c4d2e0f7b',
      expect: {
        status: 'failed',
        done: true,
        vendorStatus: 'failed',
        result: null,
        error: 'DNS challenge record was not found before the deadline.',
        progress: null,
      },
    },
    live: {
      id: '0f3a9c1e-6d2b-4e8f-a5c7-3b1d9e7f5a2c',
      expect: {
        status: 'succeeded',
        error: null,
        result: { domain: 'acme-robotics.dev', expires_at: '2027-06-01T00:00:00.000Z', auto_renew: true },
      },
    },
    forever: '2b5c9e3f-8d4a-4b0f-87e9-5d3f1a9b7c4e',
    invalid: { id: 'nope', status: 400, message: /INVALID_OPERATION_ID/ },
  },
  {
    provider: 'chainloop',
    path: (id) => `/operations/chainloop/${id}`,
    args: (id) => ({ operationId: id }),
    settled: {
      id: 'e5a7c9d1-6f8b-4d0e-8a4c-5b7d9e1f3a6c',
      expect: {
        status: 'failed',
        done: true,
        vendorStatus: 'ASYNC_OPERATION_STATUS_FAILED',
        result: null,
        error: 'policy engine timed out after 300s',
        progress: null,
      },
    },
    live: {
      id: 'a1c3e5f7-2b4d-4f6a-8c0e-1d3f5a7b9c2e',
      expect: { status: 'succeeded', error: null, result: expect.any(String) },
    },
    forever: 'c3e5a7b9-4d6f-4b8c-8e2a-3f5b7c9d1e4a',
    invalid: { id: 'nope', status: 400, message: /must be a UUID/ },
  },
  {
    provider: 'bctrl',
    path: (id) => `/operations/bctrl/${id}`,
    args: (id) => ({ operationId: id }),
    settled: {
      id: 'b5a69788-7584-4c3d-8a59-e8f7a6b5c4d3',
      expect: {
        status: 'failed',
        done: true,
        vendorStatus: 'timed_out',
        error: 'Operation exceeded its 600s deadline',
        progress: { current: 2, total: 2 },
      },
    },
    live: {
      id: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9',
      expect: {
        status: 'succeeded',
        error: null,
        progress: { current: 5, total: 5, message: 'Completed 5 of 5 steps' },
        result: { ok: true },
      },
    },
    forever: 'd3c4b5a6-9786-4a5b-a877-c6d5e4f3a2b1',
    invalid: { id: '00000000-0000-4000-8000-000000000000', status: 404, message: /Operation not found/ },
  },
];

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe('operations.yaml: one normalised model', () => {
  it('advertises a typed outputSchema with the normalised status vocabulary', async () => {
    const { tools } = await s.mcp.listTools();
    for (const c of CASES) {
      for (const name of [`operations-get-${c.provider}`, `operations-wait-for-${c.provider}`]) {
        const tool = tools.find((t) => t.name === name);
        expect(tool, name).toBeDefined();
        const props = tool!.outputSchema!.properties as Record<string, { enum?: unknown[] }>;
        expect(Object.keys(props).sort()).toEqual(KEYS);
        expect(props.status.enum!.filter((v) => v !== null).every((v) => STATUSES.includes(v as string))).toBe(true);
        expect(props.done.enum).toEqual(expect.arrayContaining([true, false]));
        expect(tool!.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      }
    }
  });

  describe.each(CASES)('$provider', (c) => {
    it('REST GET and operations-get agree on the normalised settled state', async () => {
      const rest = await s.get(c.path(c.settled.id));
      expect(rest.status).toBe(200);
      expect(Object.keys(rest.body).sort()).toEqual(KEYS);
      expect(rest.body).toMatchObject({ provider: c.provider, id: c.settled.id, ...c.settled.expect });
      expect(typeof rest.body.createdAt).toBe('string');
      const tool = await s.call(`operations-get-${c.provider}`, c.args(c.settled.id));
      expect(tool.isError).toBeFalsy();
      expect(tool.structuredContent).toEqual(rest.body);
    });

    it('operations-wait-for returns the terminal state with increasing progress', async () => {
      s.sim.reset();
      const seen: Array<{ progress: number }> = [];
      const r = await s.call(`operations-wait-for-${c.provider}`, { ...c.args(c.live.id), maxWaitSeconds: 10 }, (p) =>
        seen.push(p),
      );
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ provider: c.provider, id: c.live.id, done: true, ...c.live.expect });
      expect(seen.length).toBeGreaterThan(0);
      const values = seen.map((p) => p.progress);
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    });

    it('operations-wait-for returns done: false after maxWaitSeconds', async () => {
      const r = await s.call(`operations-wait-for-${c.provider}`, { ...c.args(c.forever), maxWaitSeconds: 0.2 });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ provider: c.provider, id: c.forever, done: false });
      expect(['pending', 'running']).toContain(r.structuredContent.status);
    });

    it('vendor errors pass through (REST) and become tool errors (MCP)', async () => {
      const rest = await s.get(c.path(c.invalid.id));
      expect(rest.status).toBe(c.invalid.status);
      expect(JSON.stringify(rest.body)).toMatch(c.invalid.message);
      const tool = await s.call(`operations-get-${c.provider}`, c.args(c.invalid.id));
      expect(tool.isError).toBe(true);
      expect(textOf(tool)).toMatch(new RegExp(`^Upstream returned ${c.invalid.status}: `));
      expect(textOf(tool)).toMatch(c.invalid.message);
    });
  });

  it('REST Prefer: wait on a normalised route returns the settled state and Preference-Applied', async () => {
    s.sim.reset();
    const r = await s.get('/operations/bctrl/c4b5a697-8695-4b4c-b968-d7e6f5a4b3c2', { prefer: 'wait=10' });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('wait=10');
    expect(r.body).toMatchObject({
      provider: 'bctrl',
      status: 'cancelled',
      vendorStatus: 'cancelled',
      done: true,
      error: 'The operation was cancelled on request.',
    });
  });

  it('without Prefer the normalised route answers at once with the current state', async () => {
    const r = await s.get('/operations/amba/' + AMBA_PROJECT_ID + '/2b5c9e3f-8d4a-4b0f-87e9-5d3f1a9b7c4e');
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBeNull();
    expect(r.body).toMatchObject({ done: false });
    expect(['pending', 'running']).toContain(r.body.status);
    expect(r.body.vendorStatus).toBe(r.body.status);
  });
});
