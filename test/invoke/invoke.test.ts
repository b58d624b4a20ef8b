import { describe, expect, it } from 'vitest';
import { invoke } from '../../src/invoke/invoke.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { fakeHttp, fakeDeps, planFrom, restOp } from '../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha2"
info: { label: T, description: t }
capability:
  consumes:
    - namespace: fleet
      type: http
      baseUri: "https://fleet.example.test/v1"
      inputParameters:
        - { name: X-Api-Version, in: header, value: "7" }
      resources:
        - name: ship
          path: "/ships/{{imo}}"
          operations:
            - { name: get-ship, method: GET }
        - name: crew
          path: "/crew"
          operations:
            - { name: list-crew, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/raw/{imo}"
          operations:
            - { method: GET, call: fleet.get-ship, with: { imo: api.imo } }
        - path: "/card/{imo}"
          operations:
            - method: GET
              call: fleet.get-ship
              with: { imo: api.imo }
              outputParameters:
                - { type: object, properties: { name: { type: string, mapping: "$.vessel_name" } } }
        - path: "/nothing/{imo}"
          operations:
            - method: GET
              call: fleet.get-ship
              with: { imo: api.imo }
              outputParameters:
                - { type: string, mapping: "$.nope" }
        - path: "/steps/{imo}"
          operations:
            - method: GET
              steps:
                - { type: call, name: ship, call: fleet.get-ship, with: { imo: "{{imo}}" } }
                - { type: call, name: roster, call: fleet.list-crew }
                - { type: lookup, name: crew, index: roster, match: id, lookupValue: "$.ship.crew", outputParameters: [ name ] }
              mappings:
                - { targetName: ship.name, value: "$.ship.vessel_name" }
                - { targetName: crew, value: "$.crew" }
        - path: "/hello"
          operations:
            - method: GET
              outputParameters:
                - { name: greeting, type: string, value: "Hi {{who}}" }
        - path: "/proxy/{path}"
          forward: { targetNamespace: fleet, trustedHeaders: [ X-Trace ] }
`;
const plan = planFrom(YAML);

const SHIP = '{"vessel_name":"Star","crew":["c1","c3"]}';
const CREW = '[{"id":"c1","name":"Ann","role":"x"},{"id":"c2","name":"Bo"},{"id":"c3","name":"Cy"}]';

function upstream(over: Partial<Record<string, { status: number; body: string; contentType?: string }>> = {}) {
  return fakeHttp((req) => {
    const hit = over[req.url.pathname];
    if (hit) return hit;
    if (req.url.pathname.startsWith('/ships/')) return { body: SHIP };
    if (req.url.pathname === '/crew') return { body: CREW };
    return { status: 404, body: '{"error":"nope"}' };
  });
}

describe('invoke', () => {
  it('no outputs: the upstream bytes pass through unparsed with their content type', async () => {
    const http = upstream({
      '/ships/A': { status: 200, body: '{ "raw" : 1 }', contentType: 'application/vnd.x+json' },
    });
    const rt = await fakeDeps(plan, http);
    const r = await invoke(restOp(plan, 'GET', '/raw/{imo}'), { params: { imo: 'A' } }, rt);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'raw', contentType: 'application/vnd.x+json' });
    expect(r.body.kind === 'raw' && r.body.bytes.toString()).toBe('{ "raw" : 1 }');
    expect(http.requests[0].headers['x-api-version']).toBe('7');
  });

  it('declared outputs map the parsed body', async () => {
    const rt = await fakeDeps(plan, upstream());
    const r = await invoke(restOp(plan, 'GET', '/card/{imo}'), { params: { imo: 'A' } }, rt);
    expect(r).toEqual({ status: 200, body: { kind: 'json', value: { name: 'Star' } } });
  });

  it('an upstream error status passes through raw and is flagged, even with declared outputs', async () => {
    const rt = await fakeDeps(plan, upstream({ '/ships/X': { status: 404, body: '{"error":"no ship"}' } }));
    const r = await invoke(restOp(plan, 'GET', '/card/{imo}'), { params: { imo: 'X' } }, rt);
    expect(r.status).toBe(404);
    expect(r.upstreamError).toBe(true);
    expect(r.body.kind === 'raw' && r.body.bytes.toString()).toBe('{"error":"no ship"}');
  });

  it('a mapping that yields nothing is MAPPING_FAILED (502)', async () => {
    const rt = await fakeDeps(plan, upstream());
    const err = await invoke(restOp(plan, 'GET', '/nothing/{imo}'), { params: { imo: 'A' } }, rt).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'MAPPING_FAILED', status: 502 });
  });

  it('steps run in order; lookups join; dotted mapping targets nest', async () => {
    const http = upstream();
    const rt = await fakeDeps(plan, http);
    const r = await invoke(restOp(plan, 'GET', '/steps/{imo}'), { params: { imo: 'A' } }, rt);
    expect(http.requests.map((q) => q.url.pathname)).toEqual(['/ships/A', '/crew']);
    expect(r).toEqual({
      status: 200,
      body: { kind: 'json', value: { ship: { name: 'Star' }, crew: [{ name: 'Ann' }, { name: 'Cy' }] } },
    });
  });

  it('an upstream error inside steps stops the run with STEP_FAILED', async () => {
    const http = upstream({ '/crew': { status: 503, body: 'down' } });
    const rt = await fakeDeps(plan, http);
    const err = await invoke(restOp(plan, 'GET', '/steps/{imo}'), { params: { imo: 'A' } }, rt).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'STEP_FAILED', status: 502, details: { step: 'roster', upstreamStatus: 503 } });
  });

  it('mock operations answer without any upstream call', async () => {
    const http = upstream();
    const rt = await fakeDeps(plan, http);
    const r = await invoke(restOp(plan, 'GET', '/hello'), { params: { who: 'Ada' } }, rt);
    expect(r).toEqual({ status: 200, body: { kind: 'json', value: { greeting: 'Hi Ada' } } });
    expect(http.requests).toHaveLength(0);
  });

  it('forward: method, path remainder (dot segments resolved inside it), query, trusted headers only', async () => {
    const http = upstream({ '/base/c': { status: 201, body: 'ok', contentType: 'text/plain' } });
    const rt = await fakeDeps(plan, http, { overrides: { fleet: 'http://up.test/base' } });
    const headers = new Headers({
      'x-trace': 't1',
      authorization: 'Bearer caller',
      cookie: 'a=b',
      'content-type': 'application/json',
    });
    const op = plan.rest[0].routes.find((r) => r.method === '*')!.operation;
    const r = await invoke(
      op,
      {
        params: {},
        forward: {
          method: 'PATCH',
          path: 'a%2Fb/../c',
          query: 'x=1&y=2',
          headers,
          body: new TextEncoder().encode('{"k":1}'),
        },
      },
      rt,
    );
    const sent = http.requests[0];
    expect(sent.method).toBe('PATCH');
    expect(sent.url.pathname + sent.url.search).toBe('/base/c?x=1&y=2');
    expect(sent.headers).toMatchObject({ 'x-trace': 't1', 'x-api-version': '7', 'content-type': 'application/json' });
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers.cookie).toBeUndefined();
    expect(Buffer.from(sent.body as Uint8Array).toString()).toBe('{"k":1}');
    expect(r.status).toBe(201);
  });
});
