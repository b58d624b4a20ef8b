/**
 * Values are encoded for where they go: a header value a header cannot carry (beyond Latin-1) is
 * bad input naming the parameter (never "upstream unreachable"), CR/LF and other controls cannot
 * reach the wire, and query, cookie and path values carry any Unicode (lone surrogates included).
 */
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/consume/request.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { createHttpClient } from '../../src/consume/http.ts';
import { consumed, fakeDeps, fakeHttp, planFrom } from '../helpers/plan.ts';

const YAML = `naftiko: "1.0.0-alpha2"
info: { label: T, description: t }
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "https://up.example.test"
      resources:
        - name: items
          path: "/items/{{id}}"
          operations:
            - name: get
              method: GET
              inputParameters:
                - { name: id, in: path }
                - { name: X-Label, in: header }
                - { name: q, in: query }
                - { name: pref, in: cookie }
  exposes:
    - type: mcp
      port: 9090
      namespace: mcp
      tools:
        - name: t
          description: t
          call: up.get
          inputParameters: [{ name: id, type: string, description: id }]
`;

const plan = planFrom(YAML);
const op = consumed(plan, 'up.get');

async function build(params: Record<string, unknown>) {
  const deps = await fakeDeps(plan, fakeHttp());
  return buildRequest(op, { id: '1', ...params }, deps);
}

async function failure(params: Record<string, unknown>): Promise<GatewayError> {
  const err = await build(params).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('header parameter values', () => {
  it('beyond Latin-1: 400 INPUT_INVALID naming the parameter, not the value', async () => {
    const err = await failure({ 'X-Label': 'é😀' });
    expect(err).toMatchObject({ code: 'INPUT_INVALID', status: 400 });
    expect(err.message).toContain("'X-Label'");
    expect(err.message).not.toContain('😀');
    expect(err.details.invalid).toEqual([expect.stringContaining("'X-Label'")]);
  });

  it('Latin-1 is sent as is', async () => {
    expect((await build({ 'X-Label': 'café ½' })).headers['x-label']).toBe('café ½');
  });

  it('CR, LF and other control characters never reach the wire (each becomes a space)', async () => {
    const req = await build({ 'X-Label': 'a\r\nX-Evil: 1\u0000\u007f\tb' });
    expect(req.headers['x-label']).toBe('a  X-Evil: 1  \tb');
    expect(req.headers['x-evil']).toBeUndefined();
  });
});

describe('query, cookie and path values', () => {
  it('carry any Unicode, percent-encoded as UTF-8', async () => {
    const req = await build({ id: 'é/😀', q: 'é😀 &=+#', pref: 'é😀; x=1' });
    expect(req.url.pathname).toBe('/items/%C3%A9%2F%F0%9F%98%80');
    expect(req.url.searchParams.get('q')).toBe('é😀 &=+#');
    expect(req.url.search).toBe('?q=%C3%A9%F0%9F%98%80+%26%3D%2B%23');
    expect(req.headers.cookie).toBe('pref=%C3%A9%F0%9F%98%80%3B%20x%3D1');
  });

  it('a lone surrogate becomes U+FFFD instead of failing the request', async () => {
    const req = await build({ id: 'a\ud800', q: 'b\udc00', pref: 'c\ud800' });
    expect(req.url.pathname).toBe('/items/a%EF%BF%BD');
    expect(req.url.searchParams.get('q')).toBe('b\ufffd');
    expect(req.headers.cookie).toBe('pref=c%EF%BF%BD');
  });
});

describe('a header the client cannot send', () => {
  it('(e.g. a secret holding a newline) is reported as such, never as an unreachable upstream', async () => {
    const client = createHttpClient();
    try {
      const err = await client
        .request({ url: new URL('http://127.0.0.1:1/x'), method: 'GET', headers: { authorization: 'Bearer a\nb' } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ code: 'INTERNAL', status: 500 });
      expect((err as Error).message).toBe(
        'the request to upstream http://127.0.0.1:1 could not be sent: invalid authorization header',
      );
    } finally {
      await client.close();
    }
  });
});
