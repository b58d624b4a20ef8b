import { describe, expect, it } from 'vitest';
import { SIMULATOR_TOKENS } from '../../src/simulator/index.ts';
import { bearer, fakeSimulator } from './harness.ts';

const KEY = { 'x-api-key': SIMULATOR_TOKENS.ampersand };
const PROJECT = '/ampersand/v1/projects/demo-project';
const INSTALLATION = `${PROJECT}/integrations/113e9685-9a51-42cc-8662-9d9725b17f14/installations/66438162-5299-4669-a41d-85c5a3b1a83e`;
const BACKFILL = 'c1e5a7d2-3b4f-4a6e-8d9c-0f1e2d3c4b5a';
const FAILING = 'e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b';
const FOREVER = '2b8d4f6a-1c3e-4d5f-a7b9-c0d1e2f3a4b5';

describe('ampersand get operation', () => {
  it('moves a read from in_progress with advancing progress to success', async () => {
    const h = fakeSimulator();
    const first = await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: BACKFILL, status: 'in_progress', actionType: 'read' });
    expect(first.body.result).toBeUndefined();
    expect(first.body.metadata.progress).toMatchObject({ recordsProcessed: 0, recordsEstimatedTotal: 5000 });

    h.at(2500);
    const mid = await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY);
    expect(mid.body.status).toBe('in_progress');
    expect(mid.body.metadata.progress.recordsProcessed).toBe(2500);

    h.at(4000);
    const done = await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY);
    expect(done.body).toMatchObject({ status: 'success', result: '[contact] Read 5000 records' });
    expect(done.body.metadata.progress.recordsProcessed).toBe(5000);
  });

  it('accepts the project id as well as its name, and a bearer token as well as X-Api-Key', async () => {
    const h = fakeSimulator();
    const r = await h.get(
      `/ampersand/v1/projects/4f6b1c2e-8a3d-4e5f-9b7a-2c1d0e9f8a7b/operations/${FAILING}`,
      bearer(SIMULATOR_TOKENS.ampersand),
    );
    expect(r.status).toBe(200);
    expect(r.body.projectId).toBe('4f6b1c2e-8a3d-4e5f-9b7a-2c1d0e9f8a7b');
  });

  it('reports failure with the stalled progress and retry info', async () => {
    const h = fakeSimulator();
    h.at(10_000);
    const r = await h.get(`${PROJECT}/operations/${FAILING}`, KEY);
    expect(r.body.status).toBe('failure');
    expect(r.body.result).toMatch(/Read failed/);
    expect(r.body.metadata.progress.recordsProcessed).toBe(960);
    expect(r.body.metadata.retry.attempts).toBe(3);
  });

  it('keeps the forever operation in_progress while its record count grows', async () => {
    const h = fakeSimulator();
    h.at(3000);
    const a = await h.get(`${PROJECT}/operations/${FOREVER}`, KEY);
    h.at(3_600_000);
    const b = await h.get(`${PROJECT}/operations/${FOREVER}`, KEY);
    expect(a.body.status).toBe('in_progress');
    expect(b.body.status).toBe('in_progress');
    expect(b.body.metadata.progress.recordsProcessed).toBeGreaterThan(a.body.metadata.progress.recordsProcessed);
    expect(b.body.metadata.progress.recordsEstimatedTotal).toBeUndefined();
  });

  it('restarts schedules on reset()', async () => {
    const h = fakeSimulator();
    h.at(10_000);
    expect((await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY)).body.status).toBe('success');
    h.sim.reset();
    expect((await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY)).body.status).toBe('in_progress');
  });

  it('honours timeScale', async () => {
    const h = fakeSimulator({ timeScale: 0.01 });
    h.at(41); // 4.1 s of schedule time
    expect((await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY)).body.status).toBe('success');
  });
});

describe('ampersand list operations', () => {
  it('paginates newest first with pageSize and pageToken until done', async () => {
    const h = fakeSimulator();
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams({ pageSize: '3', ...(token ? { pageToken: token } : {}) });
      const r = await h.get(`${INSTALLATION}/operations?${q}`, KEY);
      expect(r.status).toBe(200);
      expect(r.body.results.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.results.map((op: { id: string }) => op.id));
      token = r.body.pagination.nextPageToken;
      expect(r.body.pagination.done).toBe(token === undefined);
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen.at(-1)).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'); // the oldest (6 h ago) comes last
  });

  it('returns everything on one page by default', async () => {
    const r = await fakeSimulator().get(`${INSTALLATION}/operations`, KEY);
    expect(r.body.results).toHaveLength(8);
    expect(r.body.pagination).toEqual({ done: true });
  });

  it.each(['0', '1001', 'ten'])('rejects pageSize=%s with a 400 problem', async (size) => {
    const r = await fakeSimulator().get(`${INSTALLATION}/operations?pageSize=${size}`, KEY);
    expect(r.status).toBe(400);
    expect(r.contentType).toBe('application/problem+json');
    expect(r.body).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('rejects a forged pageToken', async () => {
    const r = await fakeSimulator().get(`${INSTALLATION}/operations?pageToken=bm9wZQ==`, KEY);
    expect(r.status).toBe(400);
  });
});

describe('ampersand logs and backfill progress', () => {
  it('grows the log as the operation advances', async () => {
    const h = fakeSimulator();
    const early = await h.get(`${PROJECT}/operations/${FAILING}/logs`, KEY);
    expect(early.body).toHaveLength(1);
    h.at(5000);
    const late = await h.get(`${PROJECT}/operations/${FAILING}/logs`, KEY);
    const last = late.body.at(-1);
    expect(last.severity).toBe('ERROR');
    expect(last.message.operation_id).toBe(FAILING);
    expect(last.message.error).toMatch(/403/);
  });

  it('reports the newest read of an object', async () => {
    const h = fakeSimulator();
    h.at(1750);
    const r = await h.get(`${INSTALLATION}/objects/contact/backfill-progress`, KEY);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      operationId: BACKFILL,
      objectName: 'contact',
      recordsProcessed: 1250,
      recordsEstimatedTotal: 5000,
    });
    expect(Date.parse(r.body.updateTime)).toBeGreaterThan(Date.parse(r.body.createTime));
  });

  it('404s for an object that was never read', async () => {
    const r = await fakeSimulator().get(`${INSTALLATION}/objects/invoice/backfill-progress`, KEY);
    expect(r.status).toBe(404);
    expect(r.contentType).toBe('application/problem+json');
  });
});

describe('ampersand errors', () => {
  it('answers an unknown operation with the documented problem shape', async () => {
    const r = await fakeSimulator().get(`${PROJECT}/operations/00000000-0000-4000-8000-000000000000`, KEY);
    expect(r.status).toBe(404);
    expect(r.contentType).toBe('application/problem+json');
    expect(r.body).toMatchObject({
      type: 'https://httpstatuses.com/404',
      title: 'Not Found',
      status: 404,
      subsystem: 'api',
      retryable: false,
    });
    expect(r.body.detail).toMatch(/operation/i);
    expect(typeof r.body.requestId).toBe('string');
    expect(Number.isNaN(Date.parse(r.body.time))).toBe(false);
  });

  it('404s for an operation under another project', async () => {
    const r = await fakeSimulator().get(`/ampersand/v1/projects/other/operations/${BACKFILL}`, KEY);
    expect(r.status).toBe(404);
  });

  it.each<Record<string, string>>([{}, { 'x-api-key': 'wrong' }, bearer('sim-amba-token')])(
    '401s without the right key (%o)',
    async (headers) => {
      const r = await fakeSimulator().get(`${PROJECT}/operations/${BACKFILL}`, headers);
      expect(r.status).toBe(401);
      expect(r.contentType).toBe('application/problem+json');
      expect(r.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(JSON.stringify(r.body)).not.toContain('wrong');
    },
  );

  it('accepts a configured key instead of the default', async () => {
    const h = fakeSimulator({ tokens: { ampersand: 'custom' } });
    expect((await h.get(`${PROJECT}/operations/${BACKFILL}`, KEY)).status).toBe(401);
    expect((await h.get(`${PROJECT}/operations/${BACKFILL}`, { 'x-api-key': 'custom' })).status).toBe(200);
  });
});
