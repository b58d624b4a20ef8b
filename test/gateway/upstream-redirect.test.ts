/**
 * An upstream 3xx is never followed and never mistaken for success. REST pass-through routes (no
 * outputParameters, `mapping: $`, forward) pass the status and Location through so the client may
 * follow; mapped routes, steps, MCP tools and resources answer a clear UPSTREAM_REDIRECT naming the
 * status and only the origin of the Location. Retry-After passes through with redirects and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startGateway, type StartedGateway } from '../helpers/start-gateway.ts';
import { connectMcp, firstText, type McpClient } from '../helpers/mcp-client.ts';

const LOCATION = 'https://login.example.com/sso/start?session=abc123&next=%2Fhome';

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://up.test
      resources:
        - name: moved
          path: /moved
          operations: [{ name: moved, method: GET }]
        - name: relative
          path: /relative
          operations: [{ name: relative, method: GET }]
        - name: bare
          path: /bare
          operations: [{ name: bare, method: GET }]
        - name: busy
          path: /busy
          operations: [{ name: busy, method: GET }]
        - name: fine
          path: /fine
          operations: [{ name: fine, method: GET }]
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /raw/moved
          operations: [{ method: GET, call: up.moved }]
        - path: /raw/relative
          operations: [{ method: GET, call: up.relative }]
        - path: /raw/bare
          operations: [{ method: GET, call: up.bare }]
        - path: /dollar/moved
          operations:
            - method: GET
              call: up.moved
              outputParameters: [{ type: object, mapping: $ }]
        - path: /mapped/moved
          operations:
            - method: GET
              call: up.moved
              outputParameters: [{ name: id, type: string, mapping: $.id }]
        - path: /mapped/relative
          operations:
            - method: GET
              call: up.relative
              outputParameters: [{ name: id, type: string, mapping: $.id }]
        - path: /mapped/bare
          operations:
            - method: GET
              call: up.bare
              outputParameters: [{ name: id, type: string, mapping: $.id }]
        - path: /mapped/busy
          operations:
            - method: GET
              call: up.busy
              outputParameters: [{ name: id, type: string, mapping: $.id }]
        - path: /steps/moved
          operations:
            - method: GET
              steps:
                - { type: call, name: first, call: up.fine }
                - { type: call, name: second, call: up.moved }
              mappings:
                - { targetName: id, value: "$.second.id" }
        - path: /fwd/{path}
          forward: { targetNamespace: up }
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: raw-moved
          description: A pass-through tool whose upstream redirects
          call: up.moved
        - name: mapped-moved
          description: A mapped tool whose upstream redirects
          call: up.moved
          outputParameters: [{ name: id, type: string, mapping: $.id }]
      resources:
        - name: moved
          label: Moved
          uri: data://moved
          description: A resource whose upstream redirects
          mimeType: application/json
          call: up.moved
`;

let upstream: MockUpstream;
let gw: StartedGateway;
let mcp: McpClient;

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [
      {
        method: 'GET',
        path: '/moved',
        reply: { status: 302, headers: { location: LOCATION, 'retry-after': '5', 'x-internal': 'no' }, body: 'Found' },
      },
      { method: 'GET', path: '/relative', reply: { status: 301, headers: { location: '/v2/relative' }, body: '' } },
      { method: 'GET', path: '/bare', reply: { status: 303, body: 'See other' } },
      {
        method: 'GET',
        path: '/busy',
        reply: { status: 503, headers: { 'retry-after': '120' }, json: { error: 'busy' } },
      },
      { method: 'GET', path: '/fine', reply: { json: { id: 'f' } } },
      {
        method: 'GET',
        path: '/notes/:id',
        reply: { status: 307, headers: { location: 'https://mirror.example.org/notes/1' }, body: '' },
      },
    ],
  });
  gw = await startGateway(YAML, { upstream: upstream.url });
  mcp = await connectMcp(gw.mcp);
});

afterAll(async () => {
  await mcp?.close();
  await gw?.stop();
  await upstream?.close();
});

const get = (path: string) => fetch(gw.rest + path, { redirect: 'manual' });

describe('REST pass-through routes pass a redirect on', () => {
  it('no outputParameters: status, Location and Retry-After, nothing else of the upstream', async () => {
    const res = await get('/raw/moved');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(LOCATION);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(await res.text()).toBe('Found');
  });

  it('a relative Location stays as the upstream wrote it; a redirect without one passes as is', async () => {
    const rel = await get('/raw/relative');
    expect([rel.status, rel.headers.get('location')]).toEqual([301, '/v2/relative']);
    const bare = await get('/raw/bare');
    expect([bare.status, bare.headers.get('location')]).toEqual([303, null]);
  });

  it('mapping: $ and forward', async () => {
    const dollar = await get('/dollar/moved');
    expect([dollar.status, dollar.headers.get('location')]).toEqual([302, LOCATION]);
    const fwd = await get('/fwd/notes/1');
    expect([fwd.status, fwd.headers.get('location')]).toEqual([307, 'https://mirror.example.org/notes/1']);
  });
});

describe('everything else answers UPSTREAM_REDIRECT', () => {
  it('a mapped REST route: 502 naming the status and only the origin of the Location', async () => {
    const res = await get('/mapped/moved');
    expect(res.status).toBe(502);
    expect(res.headers.get('location')).toBeNull();
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({
      code: 'UPSTREAM_REDIRECT',
      upstreamStatus: 302,
      redirectOrigin: 'https://login.example.com',
    });
    expect(body.detail).toMatch(/302/);
    expect(body.detail).toMatch(/https:\/\/login\.example\.com/);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('/sso');
  });

  it('a relative Location or none is said so', async () => {
    const rel = (await (await get('/mapped/relative')).json()) as Record<string, unknown>;
    expect(rel).toMatchObject({ code: 'UPSTREAM_REDIRECT', upstreamStatus: 301 });
    expect(rel.detail).toMatch(/same upstream/);
    const bare = (await (await get('/mapped/bare')).json()) as Record<string, unknown>;
    expect(bare).toMatchObject({ code: 'UPSTREAM_REDIRECT', upstreamStatus: 303 });
    expect(bare.detail).toMatch(/no Location/);
  });

  it('an orchestration step', async () => {
    const res = await get('/steps/moved');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'UPSTREAM_REDIRECT', upstreamStatus: 302, step: 'second' });
  });

  it('an MCP tool, pass-through or mapped', async () => {
    for (const name of ['raw-moved', 'mapped-moved']) {
      const result = await mcp.callTool({ name, arguments: {} });
      expect(result.isError).toBe(true);
      expect(result._meta?.['capgate/error']).toMatchObject({ code: 'UPSTREAM_REDIRECT', upstreamStatus: 302 });
      const text = firstText(result);
      expect(text).toMatch(/302/);
      expect(text).toMatch(/https:\/\/login\.example\.com/);
      expect(text).not.toContain('abc123');
    }
  });

  it('an MCP resource', async () => {
    const err = await mcp.readResource({ uri: 'data://moved' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/302/);
    expect(String((err as Error).message)).not.toContain('abc123');
  });
});

describe('Retry-After on error statuses', () => {
  it('passes through on a mapped route whose upstream answers 503', async () => {
    const res = await get('/mapped/busy');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await res.json()).toEqual({ error: 'busy' });
  });
});
