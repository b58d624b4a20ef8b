import { describe, expect, it } from 'vitest';
import { callOperation } from '../../src/consume/call.ts';
import { consumed, fakeHttp, fakeDeps, planFrom } from '../helpers/plan.ts';

const yaml = (auth: string) => `naftiko: "1.0.0-alpha2"
info: { label: T, description: t }
binds:
  - namespace: env
    keys: { K1: K1, K2: K2, USER: USER, PASS: PASS }
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "https://api.example.test"
      authentication: ${auth}
      resources:
        - name: items
          path: "/items"
          operations:
            - { name: list, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/items"
          operations:
            - { method: GET, call: up.list }
`;
const env = { K1: 'one', K2: 'two', USER: 'u', PASS: 'p' };

describe('callOperation', () => {
  it('sends the built request with a default Accept, and extra headers never override built ones', async () => {
    const plan = planFrom(yaml('{ type: bearer, token: "{{K1}}" }'));
    const http = fakeHttp(() => ({ status: 200, body: '[1]' }));
    const rt = await fakeDeps(plan, http, { env });
    const res = await callOperation(consumed(plan, 'up.list'), {}, rt, {
      headers: { authorization: 'Bearer caller', 'x-trace': 't' },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('[1]');
    const sent = http.requests[0];
    expect(sent.url.href).toBe('http://up.test/items');
    expect(sent.headers.accept).toContain('application/json');
    expect(sent.headers.authorization).toBe('Bearer one');
    expect(sent.headers['x-trace']).toBe('t');
  });

  it('apikey auth written as a `headers` map (imported alpha1 files) sends every header, rendered from binds', async () => {
    const plan = planFrom(yaml('{ type: apikey, key: X-Unused, value: "{{K1}}", placement: header }'));
    const op = consumed(plan, 'up.list');
    // The shape real imported files use; the schema only meets it inside imported consumes files.
    const auth = {
      type: 'apikey',
      headers: { 'DD-API-KEY': '{{K1}}', 'DD-APPLICATION-KEY': '{{K2}}' },
    } as unknown as typeof op.upstream.auth;
    const withMap = { ...op, upstream: { ...op.upstream, auth } };
    const http = fakeHttp();
    await callOperation(withMap, {}, await fakeDeps(plan, http, { env }));
    expect(http.requests[0].headers).toMatchObject({ 'dd-api-key': 'one', 'dd-application-key': 'two' });
    expect(Object.keys(http.requests[0].headers)).not.toContain('');
    expect(http.requests[0].headers).not.toHaveProperty('x-unused');
  });

  it('apikey in the query string', async () => {
    const plan = planFrom(yaml('{ type: apikey, key: api_key, value: "{{K1}}", placement: query }'));
    const http = fakeHttp();
    await callOperation(consumed(plan, 'up.list'), {}, await fakeDeps(plan, http, { env }));
    expect(http.requests[0].url.search).toBe('?api_key=one');
  });

  it('answers one Digest challenge and stops there', async () => {
    const plan = planFrom(yaml('{ type: digest, username: "{{USER}}", password: "{{PASS}}" }'));
    const http = fakeHttp((req, n) =>
      n === 1
        ? { status: 401, headers: { 'www-authenticate': 'Digest realm="r", nonce="abc", qop="auth"' }, body: '' }
        : { status: 200, body: '{"ok":true}' },
    );
    const res = await callOperation(consumed(plan, 'up.list'), {}, await fakeDeps(plan, http, { env }));
    expect(res.status).toBe(200);
    expect(http.requests).toHaveLength(2);
    expect(http.requests[0].headers.authorization).toBeUndefined();
    expect(http.requests[1].headers.authorization).toMatch(/^Digest .*username="u".*realm="r"/);
  });

  it('does not retry a 401 for other auth types', async () => {
    const plan = planFrom(yaml('{ type: basic, username: "{{USER}}", password: "{{PASS}}" }'));
    const http = fakeHttp(() => ({ status: 401, body: 'no' }));
    const res = await callOperation(consumed(plan, 'up.list'), {}, await fakeDeps(plan, http, { env }));
    expect(res.status).toBe(401);
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0].headers.authorization).toBe('Basic dTpw');
  });
});
