import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/consume/request.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { consumed, fakeHttp, fakeDeps, planFrom } from '../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha2"
info: { label: T, description: t }
binds:
  - namespace: env
    keys: { API_TOKEN: API_TOKEN }
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "https://api.example.test/v2"
      inputParameters:
        - { name: X-Token, in: header, value: "{{API_TOKEN}}" }
      resources:
        - name: items
          path: "/items/{{id}}"
          operations:
            - name: get-item
              method: GET
              inputParameters:
                - { name: filter, in: query }
                - { name: page, in: query, required: true }
                - { name: X-Note, in: header }
            - name: put-item
              method: PUT
              inputParameters:
                - { name: body, in: body, type: object }
            - name: delete-item
              method: DELETE
              inputParameters:
                - { name: reason, in: body }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/items/{id}"
          operations:
            - { method: GET, call: up.get-item, with: { id: api.id } }
`;

const plan = planFrom(YAML);
const env = { API_TOKEN: 'sek' };

async function build(
  ref: string,
  scope: Record<string, unknown>,
  opts: { env?: Record<string, string>; overrides?: Record<string, string> } = { env },
) {
  const rt = await fakeDeps(plan, fakeHttp(), opts);
  return buildRequest(consumed(plan, ref), scope, rt);
}

describe('buildRequest', () => {
  it('uses the override as base URL, encodes the path variable as one segment, omits absent optional query parameters', async () => {
    const r = await build('up.get-item', { id: 'a/b c', page: 2 });
    expect(r.url.href).toBe('http://up.test/items/a%2Fb%20c?page=2');
    expect(r.method).toBe('GET');
    expect(r.headers['x-token']).toBe('sek');
    expect(r.headers).not.toHaveProperty('x-note');
    expect(r.body).toBeUndefined();
  });

  it('an empty optional value is omitted too, never sent empty', async () => {
    const r = await build('up.get-item', { id: '1', page: 1, filter: '' });
    expect(r.url.search).toBe('?page=1');
  });

  it('without an override the baseUri is used, trailing slashes removed', async () => {
    const rt = await fakeDeps(plan, fakeHttp(), { env });
    const noOverride = { ...rt, overrideOf: () => undefined };
    expect(buildRequest(consumed(plan, 'up.get-item'), { id: '1', page: 1 }, noOverride).url.href).toBe(
      'https://api.example.test/v2/items/1?page=1',
    );
  });

  it('a missing required query parameter or path variable is INPUT_MISSING (400) naming it', async () => {
    await expect(build('up.get-item', { id: '1' })).rejects.toMatchObject({
      code: 'INPUT_MISSING',
      status: 400,
      details: { missing: ['page'] },
    });
    await expect(build('up.get-item', { page: 1 })).rejects.toMatchObject({
      code: 'INPUT_MISSING',
      details: { missing: ['id'] },
    });
  });

  it("a path value '.' or '..' is refused: no encoding survives URL normalisation", async () => {
    for (const id of ['..', '.']) {
      const err = await build('up.get-item', { id, page: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ code: 'INPUT_INVALID', status: 400 });
      expect((err as Error).message).toContain("'id'");
    }
    // Dots inside a longer value are harmless.
    expect((await build('up.get-item', { id: '..x', page: 1 })).url.pathname).toBe('/items/..x');
  });

  it('header values cannot inject new lines', async () => {
    const r = await build('up.get-item', { id: '1', page: 1, 'X-Note': 'a\r\nX-Evil: 1' });
    expect(r.headers['x-note']).toBe('a  X-Evil: 1');
  });

  it("a scope name differing only by '-'/'_' or case still feeds a variable (kebab-cased REST paths)", async () => {
    expect((await build('up.get-item', { ID: 'x', 'pa-ge': 3 })).url.href).toBe('http://up.test/items/x?page=3');
    // An exact match always wins over a loose one.
    expect((await build('up.get-item', { id: 'exact', i_d: 'loose', page: 1 })).url.pathname).toBe('/items/exact');
  });

  it('a missing secret is SECRET_MISSING (503) naming the variable, never a value', async () => {
    const err = (await build('up.get-item', { id: '1', page: 1 }, { env: {} }).catch(
      (e: unknown) => e,
    )) as GatewayError;
    expect(err).toMatchObject({ code: 'SECRET_MISSING', status: 503 });
    expect(err.message).toContain('API_TOKEN');
  });

  it('a lone body parameter named `body` is the whole JSON body', async () => {
    const r = await build('up.put-item', { id: '1', body: { name: 'n', tags: ['a'] } });
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toBe('{"name":"n","tags":["a"]}');
  });

  it('declared body parameters are sent on DELETE too', async () => {
    const r = await build('up.delete-item', { id: '1', reason: 'dup' });
    expect(r.method).toBe('DELETE');
    expect(r.body).toBe('{"reason":"dup"}');
  });
});
