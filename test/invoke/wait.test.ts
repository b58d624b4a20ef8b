/** Waiting (x-capgate-wait) under a fake clock: one cap for every caller, however long it asks to wait. */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../src/invoke/invoke.ts';
import { MAX_WAIT_MS } from '../../src/invoke/wait.ts';
import type { Clock } from '../../src/common/clock.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { fakeHttp, planFrom } from '../helpers/plan.ts';

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
          x-capgate-wait: { until: "$.status", terminal: [done], intervalMs: 1000, maxIntervalMs: 10000, jitter: 0 }
`;

/** A clock whose sleeps pass at once and move time forward. */
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

describe('wait cap', () => {
  it('stops waiting after MAX_WAIT_MS even when the caller asks for far longer', async () => {
    const plan = planFrom(YAML);
    const op = plan.mcp[0].adapters[0].tools[0].operation;
    const clock = fakeClock();
    const http = fakeHttp(() => ({ body: '{"status":"running"}' }));
    const deps = await createDeps(plan, {
      env: {},
      http,
      clock,
      random: () => 0.5,
      overrides: new Map([['ops', 'http://up.test']]),
    });
    const start = clock.t;
    // What an MCP client asking for maxWaitSeconds: 1e9 turns into.
    const r = await invoke(op, { params: { id: 'x' }, waitMs: 1e12 }, deps);
    expect(r.done).toBe(false);
    expect(clock.t - start).toBe(MAX_WAIT_MS);
    expect(MAX_WAIT_MS).toBe(300_000);
  });

  it('keeps a shorter wait as asked', async () => {
    const plan = planFrom(YAML);
    const op = plan.mcp[0].adapters[0].tools[0].operation;
    const clock = fakeClock();
    const deps = await createDeps(plan, {
      env: {},
      http: fakeHttp(() => ({ body: '{"status":"running"}' })),
      clock,
      random: () => 0.5,
      overrides: new Map([['ops', 'http://up.test']]),
    });
    const start = clock.t;
    await invoke(op, { params: { id: 'x' }, waitMs: 5_000 }, deps);
    expect(clock.t - start).toBe(5_000);
  });
});
