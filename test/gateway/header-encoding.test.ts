/**
 * Through the exposers, a header parameter value beyond Latin-1 is the caller's mistake: REST 400
 * and an MCP tool error, both INPUT_INVALID naming the parameter, and no upstream call. Query and
 * cookie values reach the upstream with their Unicode intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startGateway, type StartedGateway } from '../helpers/start-gateway.ts';
import { connectMcp, firstText, type McpClient } from '../helpers/mcp-client.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://up.test
      resources:
        - name: items
          path: /items
          operations:
            - name: find
              method: GET
              inputParameters:
                - { name: X-Label, in: header, value: "{{label}}" }
                - { name: q, in: query, value: "{{q}}" }
                - { name: pref, in: cookie, value: "{{pref}}" }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /items
          operations:
            - method: GET
              call: up.find
              inputParameters:
                - { name: label, in: query, type: string, description: label }
                - { name: q, in: query, type: string, description: q }
                - { name: pref, in: query, type: string, description: pref }
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: find
          description: Finds items
          call: up.find
          inputParameters:
            - { name: label, type: string, description: label, required: false }
            - { name: q, type: string, description: query, required: false }
            - { name: pref, type: string, description: preference, required: false }
`;

let upstream: MockUpstream;
let gw: StartedGateway;
let mcp: McpClient;

beforeAll(async () => {
  upstream = await startMockUpstream({ catchAll: 'echo' });
  gw = await startGateway(YAML, { upstream: upstream.url });
  mcp = await connectMcp(gw.mcp);
});

afterAll(async () => {
  await mcp?.close();
  await gw?.stop();
  await upstream?.close();
});

describe('a header value beyond Latin-1', () => {
  it('REST: 400 INPUT_INVALID naming the parameter, upstream never called', async () => {
    upstream.clear();
    const res = await fetch(`${gw.rest}/items?label=${encodeURIComponent('é😀')}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'INPUT_INVALID' });
    expect(body.detail).toContain("'X-Label'");
    expect(upstream.requests).toHaveLength(0);
  });

  it('MCP: a tool error INPUT_INVALID naming the parameter', async () => {
    upstream.clear();
    const result = await mcp.callTool({ name: 'find', arguments: { label: 'é😀' } });
    expect(result.isError).toBe(true);
    expect(result._meta?.['capgate/error']).toMatchObject({ code: 'INPUT_INVALID' });
    expect(firstText(result)).toContain("'X-Label'");
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('Unicode in query and cookie values', () => {
  it('reaches the upstream intact (REST and MCP)', async () => {
    upstream.clear();
    const q = 'é😀 &=+#';
    const pref = 'ü😀; x=1';
    const rest = await fetch(
      `${gw.rest}/items?q=${encodeURIComponent(q)}&pref=${encodeURIComponent(pref)}&label=caf%C3%A9`,
    );
    expect(rest.status).toBe(200);
    await mcp.callTool({ name: 'find', arguments: { q, pref, label: 'café' } });
    expect(upstream.requests).toHaveLength(2);
    for (const r of upstream.requests) {
      expect(r.searchParams.get('q')).toBe(q);
      expect(decodeURIComponent(r.headers.cookie.replace(/^pref=/, ''))).toBe(pref);
      expect(Buffer.from(r.headers['x-label'], 'latin1').toString('latin1')).toBe('café');
    }
  });
});
