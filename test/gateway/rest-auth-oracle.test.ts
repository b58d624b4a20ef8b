/**
 * On a path whose routes belong to an adapter with authentication, an undeclared method (405)
 * and OPTIONS are answered after authentication: an unauthenticated caller gets exactly the
 * challenge a declared method gets, never an Allow list; an authenticated one gets the 405 or
 * 204 with Allow. Paths of adapters without authentication keep answering at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: rest
      port: 8080
      namespace: open
      resources:
        - path: /open
          operations:
            - method: GET
              outputParameters: [{ name: message, type: string, value: hi }]
    - type: rest
      port: 8080
      namespace: vault
      authentication: { type: bearer, token: "door" }
      resources:
        - path: /secret
          operations:
            - method: GET
              outputParameters: [{ name: message, type: string, value: hi }]
        - path: /secret/{id}
          operations:
            - method: PUT
              outputParameters: [{ name: message, type: string, value: hi }]
`;

let rest: Hono;
const BASE = 'http://127.0.0.1:8080';

beforeAll(async () => {
  const plan = buildPlan([parseDocumentText('/tmp/oracle.yaml', YAML)]);
  expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
  rest = createGateway(plan, await createDeps(plan, { env: {} }))
    .apps()
    .find((a) => a.kind === 'rest')!.app;
});

async function answer(method: string, path: string, headers: Record<string, string> = {}) {
  const res = await rest.request(`${BASE}${path}`, { method, headers });
  return {
    status: res.status,
    allow: res.headers.get('allow'),
    challenge: res.headers.get('www-authenticate'),
    body: await res.text(),
  };
}

describe('REST answers on protected paths do not tell outsiders what is there', () => {
  it('an undeclared method without credentials gets the same 401 as a declared one, no Allow', async () => {
    const declared = await answer('GET', '/secret');
    expect(declared.status).toBe(401);
    for (const method of ['DELETE', 'POST', 'PATCH']) {
      const r = await answer(method, '/secret');
      expect(r, method).toEqual(declared);
    }
    const sub = await answer('DELETE', '/secret/7');
    expect(sub.status).toBe(401);
    expect(sub.allow).toBeNull();
  });

  it('OPTIONS without credentials is the same 401, no Allow', async () => {
    const r = await answer('OPTIONS', '/secret');
    expect(r).toEqual(await answer('GET', '/secret'));
    expect((await answer('OPTIONS', '/secret/7')).allow).toBeNull();
  });

  it('a wrong token is refused the same way', async () => {
    const r = await answer('DELETE', '/secret', { authorization: 'Bearer wrong' });
    expect(r.status).toBe(401);
    expect(r.allow).toBeNull();
  });

  it('an authenticated caller gets the 405 and the 204 with Allow', async () => {
    const auth = { authorization: 'Bearer door' };
    const r = await answer('DELETE', '/secret', auth);
    expect(r.status).toBe(405);
    expect(r.allow!.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const o = await answer('OPTIONS', '/secret/7', auth);
    expect(o.status).toBe(204);
    expect(o.allow!.split(', ').sort()).toEqual(['OPTIONS', 'PUT']);
  });

  it('paths without authentication still answer 405 and OPTIONS at once; unknown paths 404', async () => {
    const r = await answer('DELETE', '/open');
    expect(r.status).toBe(405);
    expect(r.allow!.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect((await answer('OPTIONS', '/open')).status).toBe(204);
    expect((await answer('GET', '/nowhere')).status).toBe(404);
  });
});
