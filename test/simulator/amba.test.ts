import { describe, expect, it } from 'vitest';
import { SIMULATOR_TOKENS } from '../../src/simulator/index.ts';
import { bearer, fakeSimulator } from './harness.ts';

const AUTH = bearer(SIMULATOR_TOKENS.amba);
const OPS = '/amba/v1/admin/projects/9d2f6c1a-5b4e-4c3d-8a2f-1e0d9c8b7a6f/operations';
const PURCHASE = '0f3a9c1e-6d2b-4e8f-a5c7-3b1d9e7f5a2c';
const FAILED = '1a4b8d2e-7c3f-4a9e-b6d8-4c2e0f8a6b3d';
const FOREVER = '2b5c9e3f-8d4a-4b0f-87e9-5d3f1a9b7c4e';

describe('amba get operation', () => {
  it('goes pending → running → succeeded with result and updated_at', async () => {
    const h = fakeSimulator();
    const statuses: string[] = [];
    for (const ms of [0, 1500, 4000]) {
      h.at(ms);
      const r = await h.get(`${OPS}/${PURCHASE}`, AUTH);
      expect(r.status).toBe(200);
      statuses.push(r.body.data.status);
      if (ms === 0) expect(r.body.data).toMatchObject({ result: null, failed_reason: null });
      if (ms === 4000) {
        expect(r.body.data.result).toMatchObject({ domain: 'acme-robotics.dev' });
        expect(r.body.data.updated_at).not.toBe(r.body.data.created_at);
      }
    }
    expect(statuses).toEqual(['pending', 'running', 'succeeded']);
  });

  it('carries failed_reason on failure and never settles the forever operation', async () => {
    const h = fakeSimulator();
    h.at(86_400_000);
    const failed = await h.get(`${OPS}/${FAILED}`, AUTH);
    expect(failed.body.data).toMatchObject({ status: 'failed', result: null });
    expect(failed.body.data.failed_reason).toMatch(/not available/);
    expect((await h.get(`${OPS}/${FOREVER}`, AUTH)).body.data.status).toBe('running');
  });

  it('rejects a non-UUID id with INVALID_OPERATION_ID', async () => {
    const r = await fakeSimulator().get(`${OPS}/not-a-uuid`, AUTH);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: 'INVALID_OPERATION_ID', message: expect.any(String) } });
  });

  it('404s NOT_FOUND for an unknown id or another project', async () => {
    const h = fakeSimulator();
    const unknown = await h.get(`${OPS}/00000000-0000-4000-8000-000000000000`, AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const other = await h.get(`/amba/v1/admin/projects/other/operations/${PURCHASE}`, AUTH);
    expect(other.status).toBe(404);
  });
});

describe('amba list operations', () => {
  it('lists newest first under data', async () => {
    const r = await fakeSimulator().get(OPS, AUTH);
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(8);
    const created = r.body.data.map((op: { created_at: string }) => Date.parse(op.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('filters by kind and by the current status', async () => {
    const h = fakeSimulator();
    const kind = await h.get(`${OPS}?kind=domain_purchase`, AUTH);
    expect(kind.body.data.map((op: { kind: string }) => op.kind)).toEqual(Array(4).fill('domain_purchase'));
    expect((await h.get(`${OPS}?status=pending`, AUTH)).body.data).toHaveLength(3);
    h.at(5000);
    const failed = await h.get(`${OPS}?status=failed&kind=domain_purchase`, AUTH);
    expect(failed.body.data.map((op: { id: string }) => op.id)).toEqual([
      FAILED,
      '7a0b4d8e-3c9f-4a5e-923e-0c8e6f4a2b9d',
    ]);
  });

  it('clamps limit to 1..200 and applies offset', async () => {
    const h = fakeSimulator();
    expect((await h.get(`${OPS}?limit=0`, AUTH)).body.data).toHaveLength(1);
    expect((await h.get(`${OPS}?limit=-5`, AUTH)).body.data).toHaveLength(1);
    expect((await h.get(`${OPS}?limit=5000`, AUTH)).body.data).toHaveLength(8);
    const all = (await h.get(OPS, AUTH)).body.data;
    const page = (await h.get(`${OPS}?limit=2&offset=3`, AUTH)).body.data;
    expect(page).toEqual(all.slice(3, 5));
  });

  it.each([
    ['kind', 'k'.repeat(65)],
    ['status', 'done'],
    ['limit', 'many'],
    ['offset', '-1'],
  ])('rejects bad %s with INVALID_QUERY', async (param, value) => {
    const r = await fakeSimulator().get(`${OPS}?${param}=${value}`, AUTH);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_QUERY');
    expect(r.body.error.message).toContain(param);
  });

  it('accepts a 64-character kind', async () => {
    const r = await fakeSimulator().get(`${OPS}?kind=${'k'.repeat(64)}`, AUTH);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([]);
  });

  it('401s without the bearer token', async () => {
    const h = fakeSimulator();
    for (const headers of [{}, bearer('nope'), { 'x-api-key': SIMULATOR_TOKENS.amba }] as Record<string, string>[]) {
      const r = await h.get(OPS, headers);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
    }
  });
});
