import { describe, expect, it } from 'vitest';
import { SIMULATOR_TOKENS } from '../../src/simulator/index.ts';
import { bearer, fakeSimulator } from './harness.ts';

const AUTH = bearer(SIMULATOR_TOKENS.chainloop);
const OPS = '/chainloop/v1/operations';
const COMPLETES = 'a1c3e5f7-2b4d-4f6a-8c0e-1d3f5a7b9c2e';
const FAILS = 'b2d4f6a8-3c5e-4a7b-9d1f-2e4a6b8c0d3f';
const FOREVER = 'c3e5a7b9-4d6f-4b8c-8e2a-3f5b7c9d1e4a';

describe('chainloop get operation', () => {
  it('walks PENDING → RUNNING → COMPLETED and exposes base64 output', async () => {
    const h = fakeSimulator();
    const pending = (await h.get(`${OPS}/${COMPLETES}`, AUTH)).body.operation;
    expect(pending).toMatchObject({
      id: COMPLETES,
      status: 'ASYNC_OPERATION_STATUS_PENDING',
      output: '',
      error_message: '',
    });
    expect(pending.started_at).toBeUndefined();

    h.at(2000);
    const running = (await h.get(`${OPS}/${COMPLETES}`, AUTH)).body.operation;
    expect(running.status).toBe('ASYNC_OPERATION_STATUS_RUNNING');
    expect(running.started_at).toBeDefined();
    expect(running.finished_at).toBeUndefined();

    h.at(4000);
    const done = (await h.get(`${OPS}/${COMPLETES}`, AUTH)).body.operation;
    expect(done.status).toBe('ASYNC_OPERATION_STATUS_COMPLETED');
    expect(JSON.parse(Buffer.from(done.output, 'base64').toString())).toMatchObject({ evaluation: 'passed' });
    expect(done).toMatchObject({
      resource_type: 'evidence',
      project_id: expect.any(String),
      project_version_id: expect.any(String),
    });
  });

  it('reports FAILED with error_message, and RUNNING forever for the endless one', async () => {
    const h = fakeSimulator();
    h.at(3_600_000);
    const failed = (await h.get(`${OPS}/${FAILS}`, AUTH)).body.operation;
    expect(failed.status).toBe('ASYNC_OPERATION_STATUS_FAILED');
    expect(failed.error_message).toMatch(/SBOM/);
    expect(failed.output).toBe('');
    expect((await h.get(`${OPS}/${FOREVER}`, AUTH)).body.operation.status).toBe('ASYNC_OPERATION_STATUS_RUNNING');
  });

  it('uses gRPC status bodies for 400, 404 and 401', async () => {
    const h = fakeSimulator();
    const bad = await h.get(`${OPS}/nope`, AUTH);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 3, message: expect.any(String), details: [] });
    const missing = await h.get(`${OPS}/00000000-0000-4000-8000-000000000000`, AUTH);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(5);
    const anon = await h.get(`${OPS}/${COMPLETES}`);
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ code: 16, message: expect.any(String), details: [] });
  });
});
