/**
 * forward's own handling of the path remainder, whoever calls it: kept as sent except for dot
 * segments, which are resolved inside the remainder and refused (400 INPUT_INVALID, nothing sent)
 * when they would climb above it into the upstream's base path; `\`, `?` and `#` are encoded.
 */
import { describe, expect, it } from 'vitest';
import { forwardPath } from '../../src/invoke/forward.ts';
import { invoke } from '../../src/invoke/invoke.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { fakeDeps, fakeHttp, planFrom } from '../helpers/plan.ts';

describe('forwardPath', () => {
  it('keeps the remainder as sent', () => {
    for (const p of ['group%2Fproject/x', 'a//b', 'x/', '%7Bid%7D', 'caf%C3%A9', '', "a;b=c/@x/!$&'()*+,"])
      expect(forwardPath(p), p).toBe(p);
  });

  it('resolves dot segments, also spelled with %2e, inside the remainder', () => {
    expect(forwardPath('a/../b')).toBe('b');
    expect(forwardPath('a/%2e%2E/b')).toBe('b');
    expect(forwardPath('a/./b')).toBe('a/b');
    expect(forwardPath('a/%2e/b')).toBe('a/b');
    expect(forwardPath('a/b/..')).toBe('a/');
    expect(forwardPath('a//..')).toBe('a/');
    expect(forwardPath('%2e%2e%2e')).toBe('%2e%2e%2e');
  });

  it('refuses dot segments that climb above the remainder', () => {
    for (const p of ['..', '../x', 'a/../../x', '%2e%2e/x', '.%2E/x', '%2E./x', './../x']) {
      expect(() => forwardPath(p), p).toThrow(GatewayError);
      try {
        forwardPath(p);
      } catch (err) {
        expect((err as GatewayError).code).toBe('INPUT_INVALID');
        expect((err as GatewayError).status).toBe(400);
      }
    }
  });

  it('encodes what would turn into a slash or end the path', () => {
    expect(forwardPath('a\\..\\..\\x')).toBe('a%5C..%5C..%5Cx');
    expect(forwardPath('a?b#c')).toBe('a%3Fb%23c');
  });
});

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://up.test/base"
      resources:
        - name: any
          path: "/any"
          operations:
            - { name: any, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/fwd/{path}"
          forward: { targetNamespace: up }
`;

describe('forward through invoke', () => {
  it('sends nothing when the remainder would leave the base path', async () => {
    const plan = planFrom(YAML);
    const http = fakeHttp();
    const deps = await fakeDeps(plan, http, { overrides: { up: 'http://up.test/base' } });
    const op = plan.rest[0].routes[0].operation;
    const call = (path: string, query = '') =>
      invoke(op, { params: {}, forward: { method: 'GET', path, query, headers: new Headers() } }, deps);
    await expect(call('a/%2e%2e/%2e%2e/etc', 'x=1')).rejects.toMatchObject({ code: 'INPUT_INVALID', status: 400 });
    expect(http.requests).toHaveLength(0);
    await call('a/%2e%2e/etc', 'flag&q=a%20b;c');
    expect(http.requests[0].url.href).toBe('http://up.test/base/etc?flag&q=a%20b;c');
  });
});
