/**
 * A REST adapter declaring `authentication: oauth2` serves its RFC 9728 protected-resource
 * metadata on its own REST port: the path of the `resource_metadata` URL in the 401 challenge
 * answers 200 there, before authentication, with the document a client needs to find the
 * authorisation server (the URL's origin is the configured `resource`'s, here a public name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { bootRest, rawRequest, type Booted } from '../helpers/rest-gateway.ts';

const AS = 'https://as.test';

const adapter = (namespace: string, path: string, resource: string) => `
    - type: rest
      port: 8080
      namespace: ${namespace}
      authentication:
        type: oauth2
        authorizationServerUri: ${AS}
        resource: ${resource}
        scopes: [fleet:read]
      resources:
        - path: "${path}"
          operations:
            - method: GET
              outputParameters: [{ name: message, type: string, value: hi }]`;

const YAML = `naftiko: "1.0.0-alpha3"
capability:
  exposes:${adapter('plain', '/hello', 'https://api.test')}${adapter('named', '/named', 'https://api.test/rest')}
`;

let gw: Booted;
let token: (aud: string) => Promise<string>;

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
  token = (aud) =>
    new SignJWT({ scope: 'fleet:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(AS)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  gw = await bootRest(YAML, { fetch: fakeFetch });
});
afterAll(async () => {
  await gw?.stop();
});

function metadataUrl(res: Response): string {
  const m = /resource_metadata="([^"]+)"/.exec(res.headers.get('www-authenticate') ?? '');
  expect(m, 'the challenge names resource_metadata').not.toBeNull();
  return m![1];
}

describe('REST adapter as an OAuth 2.1 resource server', () => {
  it('the resource_metadata path of the 401 answers with the metadata on the REST port', async () => {
    const denied = await fetch(`${gw.rest}/hello`);
    expect(denied.status).toBe(401);
    const url = new URL(metadataUrl(denied));
    expect(url.href).toBe('https://api.test/.well-known/oauth-protected-resource');
    const res = await fetch(`${gw.rest}${url.pathname}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      resource: 'https://api.test',
      authorization_servers: [AS],
      scopes_supported: ['fleet:read'],
      bearer_methods_supported: ['header'],
    });
    const ok = await fetch(`${gw.rest}/hello`, {
      headers: { authorization: `Bearer ${await token('https://api.test')}` },
    });
    expect(ok.status).toBe(200);
  });

  it('a resource with a path has its metadata under that path', async () => {
    const denied = await fetch(`${gw.rest}/named`);
    expect(metadataUrl(denied)).toBe('https://api.test/.well-known/oauth-protected-resource/rest');
    const res = await fetch(`${gw.rest}/.well-known/oauth-protected-resource/rest`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resource: 'https://api.test/rest', authorization_servers: [AS] });
  });

  it('answers HEAD, and only the metadata documents: other paths and methods stay 404', async () => {
    const head = await fetch(`${gw.rest}/.well-known/oauth-protected-resource`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${gw.rest}/.well-known/other`)).status).toBe(404);
    expect((await fetch(`${gw.rest}/.well-known/oauth-protected-resource`, { method: 'POST' })).status).toBe(404);
  });

  it('keeps the Host allow-list in front of it', async () => {
    const res = await rawRequest(gw.port, 'GET', '/.well-known/oauth-protected-resource', { host: 'evil.example' });
    expect(res.status).toBe(403);
  });
});
