/**
 * The caller's wait deadline bounds every poll, including one already in flight: each poll is given
 * the time left (at least MIN_POLL_MS), and a poll the deadline cuts short ends the wait with the
 * last known state (`done: false`), or with UPSTREAM_TIMEOUT when no poll has answered yet.
 */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../src/invoke/invoke.ts';
import { MIN_POLL_MS } from '../../src/invoke/wait.ts';
import type { Clock } from '../../src/common/clock.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import type { UpstreamRequest } from '../../src/consume/http.ts';
import { fakeHttp, planFrom, type FakeReply } from '../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha2"
info: { label: T, description: t }
capability:
  consumes:
    - namespace: ops
      type: http
      baseUri: "https://ops.example.test"
      resources:
        - name: op
          path: "/ops/{{id}}"
          operations:
            - { name: get-op, method: GET }
  exposes:
    - type: mcp
      port: 9090
      namespace: mcp
      tools:
        - name: wait-op
          description: Waits for an operation
          call: ops.get-op
          with: { id: tools.id }
          inputParameters:
            - { name: id, type: string, description: id }
          x-capgate-wait: { until: "$.status", terminal: [done], intervalMs: 1000, backoff: 1, jitter: 0 }
`;

function fakeClock(): Clock & { t: number } {
  const c = {
    t: 1_000_000,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

/** The timeout the real client raises when the bound it was given ends an exchange. */
function timeoutAfter(limit: number): GatewayError {
  return new GatewayError('UPSTREAM_TIMEOUT', 'upstream https://ops.example.test did not answer in time', {
    details: { origin: 'https://ops.example.test', limit },
  });
}

async function setup(answer: (req: UpstreamRequest, n: number) => FakeReply | Error) {
  const plan = planFrom(YAML);
  const op = plan.mcp[0].adapters[0].tools[0].operation;
  const clock = fakeClock();
  const http = fakeHttp(answer);
  const deps = await createDeps(plan, {
    env: {},
    http,
    clock,
    random: () => 0.5,
    overrides: new Map([['ops', 'http://up.test']]),
  });
  return { op, clock, http, deps };
}

const RUNNING = { body: '{"status":"running","step":1}' };

describe('wait deadline bounds every poll', () => {
  it('gives each poll the time the wait has left', async () => {
    const { op, http, deps } = await setup(() => RUNNING);
    const r = await invoke(op, { params: { id: 'x' }, waitMs: 3_500 }, deps);
    expect(r.done).toBe(false);
    // Polls at 0, 1000, 2000, 3000 and at the deadline (3500), which still gets the minimum.
    expect(http.requests.map((q) => q.timeoutMs)).toEqual([3_500, 2_500, 1_500, MIN_POLL_MS, MIN_POLL_MS]);
    expect(MIN_POLL_MS).toBe(1_000);
  });

  it('a wait of 0 reads once, bounded by the minimum poll time', async () => {
    const { op, http, deps } = await setup(() => RUNNING);
    const r = await invoke(op, { params: { id: 'x' }, waitMs: 0 }, deps);
    expect(r.done).toBe(false);
    expect(http.requests.map((q) => q.timeoutMs)).toEqual([MIN_POLL_MS]);
  });

  it('returns the last known state with done: false when the deadline cuts a poll short', async () => {
    const { op, deps } = await setup((req, n) => (n === 1 ? RUNNING : timeoutAfter(req.timeoutMs!)));
    const r = await invoke(op, { params: { id: 'x' }, waitMs: 2_000 }, deps);
    expect(r.done).toBe(false);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ kind: 'json', value: { status: 'running', step: 1, done: false } });
  });

  it('answers UPSTREAM_TIMEOUT naming the wait when the first poll never answers', async () => {
    const { op, deps } = await setup((req) => timeoutAfter(req.timeoutMs!));
    const err = await invoke(op, { params: { id: 'x' }, waitMs: 2_000 }, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
    expect((err as GatewayError).message).toMatch(/did not answer within the 2 s wait/);
    expect((err as GatewayError).details).toMatchObject({ origin: 'https://ops.example.test' });
  });

  it("keeps the upstream's own timeout an error when the wait still had time", async () => {
    // The client's request timeout (500 ms here) fired, not the wait's deadline: the upstream is failing.
    const { op, deps } = await setup((_req, n) => (n === 1 ? RUNNING : timeoutAfter(500)));
    const err = await invoke(op, { params: { id: 'x' }, waitMs: 60_000 }, deps).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { limit: 500 } });
  });
});
