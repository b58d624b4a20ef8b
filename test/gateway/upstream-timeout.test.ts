/** An upstream that never answers: 504 UPSTREAM_TIMEOUT within the configured timeout, no hang. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';
import { createHttpClient } from '../../src/consume/http.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - type: http
      namespace: slow
      baseUri: http://placeholder.test
      resources:
        - name: r
          path: /never
          operations: [{ name: never, method: GET }]
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /never
          operations: [{ method: GET, call: slow.never }]
`;

let hanging: http.Server;
let url = '';
beforeAll(async () => {
  hanging = http.createServer(() => undefined); // accepts, never answers
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise((r) => hanging.close(r));
});

describe('upstream timeout', () => {
  it('answers 504 with a problem naming the origin', async () => {
    const plan = buildPlan([parseDocumentText('/tmp/slow.yaml', YAML)]);
    const http = createHttpClient({ requestTimeoutMs: 200 });
    const rt = await createDeps(plan, { env: {}, overrides: new Map([['slow', url]]), http });
    const rest = createGateway(plan, rt)
      .apps()
      .find((a) => a.kind === 'rest')!.app;
    const res = await rest.request('http://127.0.0.1:8080/never');
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'UPSTREAM_TIMEOUT', origin: url });
    await http.close();
  });
});
