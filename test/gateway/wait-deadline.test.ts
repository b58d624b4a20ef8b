/**
 * `Prefer: wait=1` and MCP `maxWaitSeconds: 1` against an upstream that stops answering: the
 * answer comes by the deadline (plus at most the minimum poll time), not after the upstream's own
 * 30 s request timeout. With an earlier state it is that state with `done: false`; without one,
 * UPSTREAM_TIMEOUT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startGateway, type StartedGateway } from '../helpers/start-gateway.ts';
import { connectMcp, firstText, type McpClient } from '../helpers/mcp-client.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - type: http
      namespace: ops
      baseUri: http://ops.test
      resources:
        - name: op
          path: "/ops/{{id}}"
          operations: [{ name: get-op, method: GET }]
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /ops/{id}
          operations:
            - method: GET
              call: ops.get-op
              with: { id: api.id }
              x-capgate-wait: { until: "$.status", terminal: [done], intervalMs: 100, jitter: 0 }
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: wait-op
          description: Waits for an operation
          call: ops.get-op
          with: { id: tools.id }
          inputParameters:
            - { name: id, type: string, description: id }
            - { name: maxWaitSeconds, type: number, description: wait at most, required: false }
          x-capgate-wait: { until: "$.status", terminal: [done], intervalMs: 100, jitter: 0 }
`;

let upstream: MockUpstream;
let gw: StartedGateway;
let mcp: McpClient;
/** Polls per operation id: `first-ok` answers its first poll, then stalls; `stalled` never answers. */
const polls = new Map<string, number>();

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [
      {
        method: 'GET',
        path: '/ops/:id',
        reply: (_req, p) => {
          const n = (polls.get(p.id) ?? 0) + 1;
          polls.set(p.id, n);
          if (p.id.startsWith('first-ok') && n === 1) return { json: { status: 'running', id: p.id } };
          return new Promise(() => undefined); // never answers
        },
      },
    ],
  });
  gw = await startGateway(YAML, { upstream: upstream.url });
  mcp = await connectMcp(gw.mcp);
});

afterAll(async () => {
  await mcp?.close();
  await gw?.stop();
  await upstream?.close();
});

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await p;
  return { value, ms: Date.now() - start };
}

describe('REST Prefer: wait against a stalled upstream', () => {
  it('returns the last state with done: false by the deadline', async () => {
    const { value: res, ms } = await timed(fetch(`${gw.rest}/ops/first-ok-rest`, { headers: { prefer: 'wait=1' } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=1');
    expect(await res.json()).toEqual({ status: 'running', id: 'first-ok-rest', done: false });
    expect(ms).toBeLessThan(3_000);
  });

  it('answers 504 UPSTREAM_TIMEOUT by the deadline when no poll answered', async () => {
    const { value: res, ms } = await timed(fetch(`${gw.rest}/ops/stalled-rest`, { headers: { prefer: 'wait=1' } }));
    expect(res.status).toBe(504);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', origin: upstream.url });
    expect(body.detail).toMatch(/1 s wait/);
    expect(ms).toBeLessThan(3_000);
  });
});

describe('MCP maxWaitSeconds against a stalled upstream', () => {
  it('returns the last state with done: false by the deadline', async () => {
    const { value: result, ms } = await timed(
      mcp.callTool({ name: 'wait-op', arguments: { id: 'first-ok-mcp', maxWaitSeconds: 1 } }),
    );
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(firstText(result))).toEqual({ status: 'running', id: 'first-ok-mcp', done: false });
    expect(ms).toBeLessThan(3_000);
  });

  it('answers a tool error with UPSTREAM_TIMEOUT by the deadline when no poll answered', async () => {
    const { value: result, ms } = await timed(
      mcp.callTool({ name: 'wait-op', arguments: { id: 'stalled-mcp', maxWaitSeconds: 1 } }),
    );
    expect(result.isError).toBe(true);
    expect(result._meta?.['capgate/error']).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(ms).toBeLessThan(3_000);
  });
});
