/**
 * An adapter whose authentication needs a secret that is not set fails closed on both exposers,
 * each answering in its own protocol: REST with an RFC 9457 problem, MCP with a JSON-RPC error;
 * both carry the stable code SECRET_MISSING and name the variable, never a value.
 */
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';

const YAML = `naftiko: "1.0.0-alpha3"
binds:
  - namespace: env
    keys: { GATE_TOKEN: GATE_TOKEN }
capability:
  exposes:
    - type: rest
      port: 8088
      namespace: api
      authentication: { type: bearer, token: "{{GATE_TOKEN}}" }
      resources:
        - path: /hello
          operations:
            - method: GET
              outputParameters: [{ name: message, type: string, value: hi }]
    - type: mcp
      port: 9099
      namespace: tools
      authentication: { type: bearer, token: "{{GATE_TOKEN}}" }
      tools:
        - name: hello
          description: Says hello
          outputParameters: [{ name: message, type: string, value: hi }]
`;

async function gateway(env: Record<string, string>) {
  const plan = buildPlan([parseDocumentText('/tmp/gate.yaml', YAML)]);
  expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const apps = createGateway(plan, await createDeps(plan, { env })).apps();
  return { rest: apps.find((a) => a.kind === 'rest')!.app, mcp: apps.find((a) => a.kind === 'mcp')!.app };
}

const listTools = {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
    authorization: 'Bearer anything',
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
};

describe('adapter authentication without its secret', () => {
  it('REST answers 503 SECRET_MISSING as a problem', async () => {
    const { rest } = await gateway({});
    const res = await rest.request('http://127.0.0.1:8088/hello', { headers: { authorization: 'Bearer anything' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'SECRET_MISSING', detail: expect.stringContaining('GATE_TOKEN') });
  });

  it('MCP answers 503 with a JSON-RPC error carrying the code', async () => {
    const { mcp } = await gateway({});
    const res = await mcp.request('http://127.0.0.1:9099/mcp', listTools);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { error: { code: number; message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('SECRET_MISSING');
    expect(body.error.message).toContain('GATE_TOKEN');
  });

  it('with the secret set, both let the right token in', async () => {
    const { rest, mcp } = await gateway({ GATE_TOKEN: 's3cret' });
    expect(
      (await rest.request('http://127.0.0.1:8088/hello', { headers: { authorization: 'Bearer s3cret' } })).status,
    ).toBe(200);
    const ok = await mcp.request('http://127.0.0.1:9099/mcp', {
      ...listTools,
      headers: { ...listTools.headers, authorization: 'Bearer s3cret' },
    });
    expect(ok.status).toBe(200);
    expect((await mcp.request('http://127.0.0.1:9099/mcp', listTools)).status).toBe(401);
  });
});
