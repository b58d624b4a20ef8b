/**
 * An upstream that echoes the credentials it was sent (an error body quoting `Authorization`, a
 * redirect carrying the key) never hands them to the caller: bind values and the credential forms
 * actually sent are replaced with `[redacted]` on redirects and error statuses, over REST and MCP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.ts';
import { startGateway, type StartedGateway } from '../helpers/start-gateway.ts';
import { connectMcp, firstText, type McpClient } from '../helpers/mcp-client.ts';

const TOKEN = 'tok-Zx81-secret-bearer';
const API_KEY = 'key/with+special=chars';
const USER = 'svc-user';
const PASS = 'hunter2-but-longer';
const REGION = 'eu-1';
const BASIC = Buffer.from(`${USER}:${PASS}`).toString('base64');

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  binds:
    - namespace: env
      keys: { TOKEN: TOKEN, API_KEY: API_KEY, USER: USER, PASS: PASS, REGION: REGION }
  consumes:
    - type: http
      namespace: bearer
      baseUri: http://bearer.test
      authentication: { type: bearer, token: "{{TOKEN}}" }
      inputParameters:
        - { name: X-Region, in: header, value: "{{REGION}}" }
        - { name: api_key, in: query, value: "{{API_KEY}}" }
      resources:
        - name: fail
          path: /fail
          operations: [{ name: fail, method: GET }]
        - name: moved
          path: /moved
          operations: [{ name: moved, method: GET }]
        - name: fine
          path: /fine
          operations: [{ name: fine, method: GET }]
    - type: http
      namespace: basic
      baseUri: http://basic.test
      authentication: { type: basic, username: "{{USER}}", password: "{{PASS}}" }
      resources:
        - name: denied
          path: /denied
          operations: [{ name: denied, method: GET }]
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /fail
          operations: [{ method: GET, call: bearer.fail }]
        - path: /moved
          operations: [{ method: GET, call: bearer.moved }]
        - path: /fine
          operations: [{ method: GET, call: bearer.fine }]
        - path: /denied
          operations: [{ method: GET, call: basic.denied }]
    - type: mcp
      port: 9090
      namespace: tools
      tools:
        - name: fail
          description: An upstream error echoing the request
          call: bearer.fail
        - name: denied
          description: A 401 echoing the Basic credentials
          call: basic.denied
        - name: steps
          description: A step whose upstream error echoes the request
          steps:
            - { type: call, name: first, call: bearer.fine }
            - { type: call, name: second, call: bearer.fail }
          mappings:
            - { targetName: x, value: "$.second.x" }
`;

let upstream: MockUpstream;
let gw: StartedGateway;
let mcp: McpClient;

/** What a careless upstream says back: everything it was sent. */
const echo = (r: RecordedRequest) => ({
  error: 'something broke',
  authorization: r.headers.authorization,
  region: r.headers['x-region'],
  query: r.query,
});

beforeAll(async () => {
  upstream = await startMockUpstream({
    routes: [
      { method: 'GET', path: '/fail', reply: (r) => ({ status: 500, json: echo(r) }) },
      {
        method: 'GET',
        path: '/moved',
        reply: (r) => ({ status: 302, headers: { location: `https://login.example.com/?${r.query}` }, body: '' }),
      },
      { method: 'GET', path: '/fine', reply: (r) => ({ json: echo(r) }) },
      {
        method: 'GET',
        path: '/denied',
        reply: (r) => ({ status: 401, body: `bad credentials: ${r.headers.authorization} (${PASS})` }),
      },
    ],
  });
  gw = await startGateway(YAML, { upstream: upstream.url, env: { TOKEN, API_KEY, USER, PASS, REGION } });
  mcp = await connectMcp(gw.mcp);
});

afterAll(async () => {
  await mcp?.close();
  await gw?.stop();
  await upstream?.close();
});

function expectScrubbed(text: string): void {
  for (const s of [TOKEN, API_KEY, encodeURIComponent(API_KEY), PASS, BASIC]) expect(text).not.toContain(s);
  expect(text).toContain('[redacted]');
}

describe('REST', () => {
  it('an error body echoing the bearer token and the query key', async () => {
    const res = await fetch(`${gw.rest}/fail`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expectScrubbed(text);
    expect(JSON.parse(text)).toEqual({
      error: 'something broke',
      authorization: 'Bearer [redacted]',
      region: REGION, // under the minimum length: left alone
      query: 'api_key=[redacted]',
    });
  });

  it('a 401 echoing the Basic credentials and the password', async () => {
    const res = await fetch(`${gw.rest}/denied`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('bad credentials: Basic [redacted] ([redacted])');
  });

  it('a redirect Location carrying the key', async () => {
    const res = await fetch(`${gw.rest}/moved`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://login.example.com/?api_key=[redacted]');
  });

  it('a success body is passed as the upstream sent it (not scanned)', async () => {
    const res = await fetch(`${gw.rest}/fine`);
    expect(((await res.json()) as { authorization: string }).authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('MCP', () => {
  it('the tool error text of an upstream error status', async () => {
    const result = await mcp.callTool({ name: 'fail', arguments: {} });
    expect(result.isError).toBe(true);
    const text = firstText(result);
    expect(text).toMatch(/^Upstream returned 500: /);
    expectScrubbed(text);
    const denied = firstText(await mcp.callTool({ name: 'denied', arguments: {} }));
    expect(denied).toBe('Upstream returned 401: bad credentials: Basic [redacted] ([redacted])');
  });

  it("a failed step's upstream body", async () => {
    const result = await mcp.callTool({ name: 'steps', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result._meta?.['capgate/error']).toMatchObject({ code: 'STEP_FAILED' });
    const text = firstText(result);
    expect(text).toContain('upstreamBody');
    expectScrubbed(text);
  });
});
