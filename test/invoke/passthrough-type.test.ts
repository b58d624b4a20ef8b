/**
 * A pass-through output that declares `type: object` promises an object: an upstream body that is not JSON,
 * or JSON of another type, is a 502 error, never a 200 with the raw text. A conforming body still goes out
 * as the upstream's own bytes. (`type: array` with `mapping: $` is mapped, not passed through: its body is
 * always parsed.)
 */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../src/invoke/invoke.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { fakeDeps, fakeHttp, planFrom, restOp, type FakeReply } from '../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://up.test"
      resources:
        - name: thing
          path: "/thing"
          operations:
            - { name: get, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/object"
          operations:
            - method: GET
              call: up.get
              outputParameters: [{ type: object, mapping: "$" }]
        - path: "/array"
          operations:
            - method: GET
              call: up.get
              outputParameters: [{ type: array, mapping: "$." }]
        - path: "/text"
          operations:
            - method: GET
              call: up.get
              outputParameters: [{ type: string, mapping: "$" }]
`;

async function run(path: string, reply: FakeReply) {
  const plan = planFrom(YAML);
  const deps = await fakeDeps(
    plan,
    fakeHttp(() => reply),
  );
  return invoke(restOp(plan, 'GET', path), { params: {} }, deps);
}

async function failure(path: string, reply: FakeReply): Promise<GatewayError> {
  const err = await run(path, reply).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('pass-through outputs with a declared structure', () => {
  it('a non-JSON body for `type: object` is UPSTREAM_FORMAT (502), not a 200 with the text', async () => {
    const err = await failure('/object', { body: 'hello, not json', contentType: 'text/plain' });
    expect(err.code).toBe('UPSTREAM_FORMAT');
    expect(err.status).toBe(502);
  });

  it('JSON of another type is MAPPING_FAILED (502)', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null']) {
      const err = await failure('/object', { body });
      expect(err.code).toBe('MAPPING_FAILED');
      expect(err.status).toBe(502);
      expect(err.message).toContain('object');
    }
  });

  it('a non-JSON body for `type: array` is UPSTREAM_FORMAT too', async () => {
    expect((await failure('/array', { body: '<html>', contentType: 'text/html' })).code).toBe('UPSTREAM_FORMAT');
  });

  it('a conforming body is passed through byte for byte', async () => {
    const body = '{ "a" : 1,\n "b": [true] }';
    const r = await run('/object', { body });
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('raw');
    expect(r.body.kind === 'raw' && r.body.bytes.toString('utf8')).toBe(body);
  });

  it('a pass-through that promises no structure keeps the raw text', async () => {
    const r = await run('/text', { body: 'plain words', contentType: 'text/plain' });
    expect(r.body.kind === 'raw' && r.body.bytes.toString('utf8')).toBe('plain words');
  });
});
