/**
 * An MCP adapter declaring `authentication: oauth2` is an OAuth 2.1 resource server through the
 * gateway: RFC 9728 metadata on the MCP port, a 401 challenge pointing at it, 200 with a valid
 * token from the authorisation server's JWKS, 403 without the required scope (S31).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';
import type { Hono } from 'hono';

const AS = 'https://as.test';
const YAML = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: mcp
      port: 9999
      namespace: fleet
      authentication:
        type: oauth2
        authorizationServerUri: ${AS}
        resource: https://mcp.test/mcp
        scopes: [fleet:read]
      tools:
        - name: hello
          description: Says hello
          outputParameters: [{ name: message, type: string, value: hi }]
`;

let mcp: Hono;
let token: (scope: string) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const fakeFetch = (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${AS}/.well-known/oauth-authorization-server`)
      return Response.json({ issuer: AS, jwks_uri: `${AS}/jwks` });
    if (url === `${AS}/jwks`) return Response.json({ keys: [jwk] });
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  token = (scope) =>
    new SignJWT({ scope })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(AS)
      .setAudience('https://mcp.test/mcp')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  const plan = buildPlan([parseDocumentText('/tmp/oauth.yaml', YAML)]);
  const rt = await createDeps(plan, { env: {}, fetch: fakeFetch });
  mcp = createGateway(plan, rt)
    .apps()
    .find((a) => a.kind === 'mcp')!.app;
});

function initialize(auth?: string): Promise<Response> {
  return Promise.resolve(
    mcp.request('http://127.0.0.1:9999/mcp', {
      method: 'POST',
      headers: {
        host: '127.0.0.1:9999',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(auth ? { authorization: auth } : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    }),
  );
}

describe('MCP adapter as an OAuth 2.1 resource server', () => {
  it('serves protected-resource metadata', async () => {
    const res = await mcp.request('http://127.0.0.1:9999/.well-known/oauth-protected-resource/mcp', {
      headers: { host: '127.0.0.1:9999' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: 'https://mcp.test/mcp',
      authorization_servers: [AS],
      scopes_supported: ['fleet:read'],
      bearer_methods_supported: ['header'],
    });
  });

  it('challenges a request without a token, pointing at the metadata', async () => {
    const res = await initialize();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      'resource_metadata="https://mcp.test/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('accepts a valid token and refuses one without the scope', async () => {
    expect((await initialize(`Bearer ${await token('fleet:read')}`)).status).toBe(200);
    const forbidden = await initialize(`Bearer ${await token('other')}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toContain('insufficient_scope');
  });
});
