/** One malformed MCP tool is dropped at start with an error line; the others stay listed. */
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: mcp
      namespace: shop
      port: 9999
      tools:
        - name: good
          description: A mock tool
          outputParameters: [{ name: v, type: string, value: ok }]
        - name: broken
          description: Its literal input schema cannot compile
          inputSchema: { type: object, properties: { x: { type: nonsense } } }
          outputParameters: [{ name: v, type: string, value: ok }]
`;

describe('MCP tool list validation at start', () => {
  it('drops the tool an SDK client would reject and reports it', async () => {
    const plan = buildPlan([parseDocumentText('/tmp/shop.yaml', YAML)]);
    const lines: string[] = [];
    const gw = createGateway(plan, await createDeps(plan, { env: {} }), { log: (l) => lines.push(l) });
    const mcp = gw.apps().find((a) => a.kind === 'mcp')!.app;
    const res = await mcp.request('http://127.0.0.1:9999/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        host: '127.0.0.1:9999',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    const body = (await res.json()) as { result: { tools: Array<{ name: string }> } };
    expect(body.result.tools.map((t) => t.name)).toEqual(['good']);
    expect(lines.join('\n')).toMatch(/MCP_TOOL_INVALID tool 'broken' is not served/);
  });
});
