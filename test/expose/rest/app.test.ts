import { describe, expect, it } from 'vitest';
import { createRestApp, type Invoker } from '../../../src/expose/rest/app.ts';
import { GatewayError } from '../../../src/common/errors.ts';
import type { InvokeRequest } from '../../../src/invoke/types.ts';
import type { RestRoutePlan } from '../../../src/plan/types.ts';
import { planFrom } from '../../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha2"
info: { label: T, description: t }
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "https://up.example.test"
      resources:
        - name: m
          path: "/m/{{id}}"
          operations:
            - { name: get-m, method: GET }
            - { name: put-m, method: PUT, inputParameters: [ { name: body, in: body } ] }
        - name: v
          path: "/validate"
          operations:
            - { name: validate, method: POST }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/monitors/{id}"
          operations:
            - { method: GET, call: up.get-m, with: { id: api.id } }
            - { method: PUT, call: up.put-m, with: { id: api.id, body: api.body } }
        - path: "/monitors/validate"
          operations:
            - { method: POST, call: up.validate }
        - path: "/search"
          operations:
            - method: GET
              inputParameters:
                - { name: q, in: query, type: string, required: true, description: "q" }
                - { name: limit, in: query, type: integer, description: "n" }
                - { name: X-Tenant, in: header, type: string, description: "t" }
              call: up.get-m
              with: { id: api.q }
`;

const plan = planFrom(YAML);

function app(
  answer: (route: RestRoutePlan, req: InvokeRequest) => ReturnType<Invoker> = async () => ({
    status: 200,
    body: { kind: 'json', value: { ok: true } },
  }),
) {
  const calls: Array<{ route: RestRoutePlan; req: InvokeRequest }> = [];
  const a = createRestApp(plan.rest[0], {
    invoke: (route, req) => {
      calls.push({ route, req });
      return answer(route, req);
    },
  });
  return { a, calls };
}

describe('REST app (in process)', () => {
  it('a literal path wins over a variable one, whatever the declaration order (no false 405)', async () => {
    const { a, calls } = app();
    const res = await a.request('/monitors/validate', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(calls[0].route.specPath).toBe('/monitors/validate');
    const get = await a.request('/monitors/m-1');
    expect(get.status).toBe(200);
    expect(calls[1].req.params.id).toBe('m-1');
  });

  it('an undeclared method on a known path is 405 with Allow; OPTIONS is 204 with Allow', async () => {
    const { a, calls } = app();
    const res = await a.request('/monitors/m-1', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')!.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT']);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const opt = await a.request('/search', { method: 'OPTIONS' });
    expect(opt.status).toBe(204);
    expect(opt.headers.get('allow')!.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(calls).toHaveLength(0);
  });

  it('unknown paths are 404 problems', async () => {
    const res = await app().a.request('/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('inputs: required ones missing → 400 naming them; types coerced; headers read', async () => {
    const { a, calls } = app();
    const missing = await a.request('/search');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'INPUT_MISSING', missing: ['q'] });
    const bad = await a.request('/search?q=x&limit=many');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INPUT_INVALID' });
    const ok = await a.request('/search?q=x&limit=5', { headers: { 'X-Tenant': 't1' } });
    expect(ok.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0].req.params).toMatchObject({ q: 'x', limit: 5, 'X-Tenant': 't1' });
  });

  it('`rest.body` without a `body` field is the whole JSON body', async () => {
    const { a, calls } = app();
    const res = await a.request('/monitors/m-1', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"n"}',
    });
    expect(res.status).toBe(200);
    expect(calls[0].req.params.body).toEqual({ name: 'n' });
    expect(calls[0].req.params.name).toBe('n');
  });

  it('malformed JSON is a 400 problem before any invocation', async () => {
    const { a, calls } = app();
    const res = await a.request('/monitors/m-1', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"x":',
    });
    expect(res.status).toBe(400);
    expect(calls).toHaveLength(0);
  });

  it('renders results: raw bytes keep their type, empty 200 becomes 204, HEAD has no body', async () => {
    const raw = app(async () => ({
      status: 201,
      body: { kind: 'raw', bytes: Buffer.from('<x/>'), contentType: 'application/xml' },
    })).a;
    const r = await raw.request('/monitors/validate', { method: 'POST' });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/xml');
    expect(await r.text()).toBe('<x/>');
    const empty = await app(async () => ({ status: 200, body: { kind: 'empty' } })).a.request('/monitors/m-1');
    expect(empty.status).toBe(204);
    const head = await app().a.request('/monitors/m-1', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/json');
    expect(await head.text()).toBe('');
  });

  it('gateway errors become problem+json with their status; internal errors leak nothing', async () => {
    const failing = app(async () => {
      throw new GatewayError('UPSTREAM_UNREACHABLE', 'upstream http://up is unreachable: connection refused', {
        details: { origin: 'http://up', secret: 'x' },
      });
    }).a;
    const res = await failing.request('/monitors/m-1');
    expect(res.status).toBe(502);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', origin: 'http://up' });
    expect(body).not.toHaveProperty('secret');
    const internal = await app(async () => {
      throw new Error('db password=hunter2');
    }).a.request('/monitors/m-1');
    expect(internal.status).toBe(500);
    expect(await internal.text()).not.toContain('hunter2');
  });
});
