/**
 * A dripping upstream through the exposers: REST answers 504 UPSTREAM_TIMEOUT and MCP a tool error
 * with that code, both within the request timeout, though every byte arrives well inside it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/consume/http.ts';
import { startGateway, type StartedGateway } from '../helpers/start-gateway.ts';
import { connectMcp, type McpClient } from '../helpers/mcp-client.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - type: http
      namespace: slow
      baseUri: http://slow.test
      resources:
        - name: r
          path: /drip
          operations: [{ name: drip, method: GET }]
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /drip
          operations: [{ method: GET, call: slow.drip }]
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: drip
          description: Reads a dripping upstream
          call: slow.drip
`;

let drip: Server;
let gw: StartedGateway;
let mcp: McpClient;

beforeAll(async () => {
  // One byte per 50 ms for 3 s: every gap is far inside the 400 ms idle timeout.
  drip = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    let n = 0;
    const t = setInterval(() => {
      if (res.destroyed || ++n > 60) {
        clearInterval(t);
        if (!res.destroyed) res.end('0]');
        return;
      }
      res.write('0,');
    }, 50);
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  gw = await startGateway(YAML, {
    upstream: `http://127.0.0.1:${(drip.address() as AddressInfo).port}`,
    http: createHttpClient({ requestTimeoutMs: 400 }),
  });
  mcp = await connectMcp(gw.mcp);
});

afterAll(async () => {
  await mcp?.close();
  await gw?.stop();
  drip.closeAllConnections();
  await new Promise((r) => drip.close(r));
});

describe('a dripping upstream through the gateway', () => {
  it('REST answers 504 UPSTREAM_TIMEOUT at the deadline', async () => {
    const start = Date.now();
    const res = await fetch(`${gw.rest}/drip`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'UPSTREAM_TIMEOUT', limit: 400 });
    expect(Date.now() - start).toBeLessThan(1_500);
  });

  it('MCP answers a tool error with UPSTREAM_TIMEOUT at the deadline', async () => {
    const start = Date.now();
    const result = await mcp.callTool({ name: 'drip', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result._meta?.['capgate/error']).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(Date.now() - start).toBeLessThan(1_500);
  });
});
