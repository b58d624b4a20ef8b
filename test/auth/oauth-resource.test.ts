import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServerAuthenticator, parseAuthChallenges, type OAuth2ResourceSpec } from '../../src/auth/index.ts';

const AS = 'https://as.test';
const RESOURCE = 'https://mcp.test/mcp';
const META = 'https://mcp.test/.well-known/oauth-protected-resource/mcp';
const T0 = 1_700_000_000_000;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let rsa: KeyPair;
let ec: KeyPair;
let rotated: KeyPair;
let jwkRsa: JWK;
let jwkEc: JWK;
let jwkRotated: JWK;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  rotated = await generateKeyPair('RS256', { extractable: true });
  jwkRsa = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
  jwkEc = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
  jwkRotated = { ...(await exportJWK(rotated.publicKey)), kid: 'rsa-2', alg: 'RS256', use: 'sig' };
});

/** A fake authorization server: metadata, JWKS (mutable), and a log of requested URLs. */
function fakeAs(opts: { metadataPath?: 'oauth' | 'oidc' | 'none' } = {}) {
  const state = { keys: [] as JWK[], calls: [] as string[] };
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    state.calls.push(url);
    const mode = opts.metadataPath ?? 'oauth';
    if (url === `${AS}/.well-known/oauth-authorization-server` && mode === 'oauth')
      return Response.json({ issuer: AS, jwks_uri: `${AS}/jwks` });
    if (url === `${AS}/.well-known/openid-configuration` && mode === 'oidc')
      return Response.json({ issuer: AS, jwks_uri: `${AS}/oidc-jwks` });
    if (url === `${AS}/jwks` || url === `${AS}/oidc-jwks`) return Response.json({ keys: state.keys });
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { state, fetchFn };
}

interface TokenOpts {
  key?: KeyPair;
  kid?: string;
  alg?: string;
  iss?: string;
  aud?: string | string[];
  scope?: string;
  exp?: number;
  nbf?: number;
}

async function token(o: TokenOpts = {}): Promise<string> {
  const alg = o.alg ?? 'RS256';
  const jwt = new SignJWT({ ...(o.scope !== undefined ? { scope: o.scope } : { scope: 'fleet:read' }) })
    .setProtectedHeader({ alg, kid: o.kid ?? 'rsa-1' })
    .setIssuer(o.iss ?? AS)
    .setAudience(o.aud ?? RESOURCE)
    .setIssuedAt(Math.floor(T0 / 1000))
    .setExpirationTime(o.exp ?? Math.floor(T0 / 1000) + 600);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign((o.key ?? rsa).privateKey);
}

function setup(spec: Partial<OAuth2ResourceSpec> = {}, asOpts?: Parameters<typeof fakeAs>[0]) {
  const as = fakeAs(asOpts);
  as.state.keys = [jwkRsa, jwkEc];
  const clock = { t: T0 };
  const auth = createServerAuthenticator(
    { type: 'oauth2', authorizationServerUri: AS, resource: RESOURCE, scopes: ['fleet:read'], ...spec },
    { fetch: as.fetchFn, now: () => clock.t },
  );
  const call = (tok?: string) =>
    auth.authenticate(
      new Request('https://mcp.test/mcp', { method: 'POST', headers: tok ? { authorization: `Bearer ${tok}` } : {} }),
    );
  return { auth, as, clock, call };
}

const challengeOf = (res: Response | undefined) => {
  const value = res!.headers.get('www-authenticate')!;
  return { value, params: parseAuthChallenges(value)[0]!.params };
};

describe('oauth2 resource server: tokens', () => {
  it('accepts a valid RSA token and a valid EC token', async () => {
    const { call } = setup();
    expect(await call(await token())).toBeUndefined();
    expect(await call(await token({ key: ec, kid: 'ec-1', alg: 'ES256' }))).toBeUndefined();
  });

  it('without a token: 401 with only resource_metadata', async () => {
    const { call } = setup();
    const res = await call();
    expect(res!.status).toBe(401);
    expect(res!.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${META}"`);
    expect(await res!.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized' });
  });

  it('expired token: 401 invalid_token plus resource_metadata', async () => {
    const { call } = setup();
    const res = await call(await token({ exp: Math.floor(T0 / 1000) - 10 }));
    expect(res!.status).toBe(401);
    const { params } = challengeOf(res);
    expect(params).toMatchObject({ error: 'invalid_token', resource_metadata: META });
    expect(params.error_description).toMatch(/expired/);
  });

  it('uses the injected clock (token valid at T0 is expired an hour later)', async () => {
    const { call, clock } = setup();
    const tok = await token();
    expect(await call(tok)).toBeUndefined();
    clock.t += 3600_000;
    expect((await call(tok))!.status).toBe(401);
  });

  it('token not yet valid (nbf): 401', async () => {
    const { call } = setup();
    const res = await call(await token({ nbf: Math.floor(T0 / 1000) + 120 }));
    expect(challengeOf(res).params.error_description).toMatch(/not yet valid/);
  });

  it('wrong issuer: 401; issuer trailing slash is ignored', async () => {
    const { call } = setup();
    expect(challengeOf(await call(await token({ iss: 'https://evil.test' }))).params.error).toBe('invalid_token');
    expect(await call(await token({ iss: `${AS}/` }))).toBeUndefined();
  });

  it('wrong audience: 401; audience list containing the resource passes', async () => {
    const { call } = setup();
    const res = await call(await token({ aud: 'https://other.test' }));
    expect(res!.status).toBe(401);
    expect(challengeOf(res).params.error_description).toMatch(/audience/);
    expect(await call(await token({ aud: ['https://other.test', RESOURCE] }))).toBeUndefined();
  });

  it('audience takes precedence over resource', async () => {
    const { call } = setup({ audience: 'api://fleet' });
    expect((await call(await token()))!.status).toBe(401);
    expect(await call(await token({ aud: 'api://fleet' }))).toBeUndefined();
  });

  it('missing scope: 403 insufficient_scope listing all configured scopes', async () => {
    const { call } = setup({ scopes: ['fleet:read', 'fleet:write'] });
    const res = await call(await token({ scope: 'other fleet:read' }));
    expect(res!.status).toBe(403);
    const { params } = challengeOf(res);
    expect(params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'fleet:read fleet:write',
      resource_metadata: META,
    });
    expect(await res!.json()).toMatchObject({ status: 403, code: 'FORBIDDEN', title: 'Forbidden' });
    expect(await call(await token({ scope: 'fleet:write x fleet:read' }))).toBeUndefined();
  });

  it('bad signature and garbage: 401 invalid_token, token never echoed', async () => {
    const { call } = setup();
    const forged = await token({ key: rotated }); // signed by another key under kid rsa-1
    const res = await call(forged);
    expect(challengeOf(res).params.error).toBe('invalid_token');
    const text = await res!.text();
    expect(text).not.toContain(forged);
    expect(res!.headers.get('www-authenticate')).not.toContain(forged);
    expect((await call('not-a-jwt'))!.status).toBe(401);
  });

  it('refuses HMAC tokens (only RSA/EC allowed)', async () => {
    const { call } = setup();
    const hs = await new SignJWT({ scope: 'fleet:read' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setIssuer(AS)
      .setAudience(RESOURCE)
      .setExpirationTime(Math.floor(T0 / 1000) + 60)
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await call(hs))!.status).toBe(401);
  });

  it('introspection: always 401 invalid_request', async () => {
    const { call } = setup({ tokenValidation: 'introspection' });
    const res = await call(await token());
    expect(res!.status).toBe(401);
    const { params } = challengeOf(res);
    expect(params.error).toBe('invalid_request');
    expect(params.error_description).toMatch(/not supported/);
  });
});

describe('oauth2 resource server: discovery and JWKS cache', () => {
  it('discovers once and caches the JWKS for 5 minutes', async () => {
    const { call, as, clock } = setup();
    await call(await token());
    await call(await token());
    expect(as.state.calls).toEqual([`${AS}/.well-known/oauth-authorization-server`, `${AS}/jwks`]);
    clock.t += 5 * 60_000 + 1;
    expect(await call(await token({ exp: Math.floor(clock.t / 1000) + 60 }))).toBeUndefined();
    expect(as.state.calls.filter((u) => u.endsWith('/jwks'))).toHaveLength(2);
  });

  it('falls back to openid-configuration', async () => {
    const { call, as } = setup({}, { metadataPath: 'oidc' });
    expect(await call(await token())).toBeUndefined();
    expect(as.state.calls).toEqual([
      `${AS}/.well-known/oauth-authorization-server`,
      `${AS}/.well-known/openid-configuration`,
      `${AS}/oidc-jwks`,
    ]);
  });

  it('unknown kid: refetches the JWKS, but at most every 30 s', async () => {
    const { call, as, clock } = setup();
    expect(await call(await token())).toBeUndefined();
    as.state.keys = [jwkRsa, jwkEc, jwkRotated];
    const rotatedToken = await token({ key: rotated, kid: 'rsa-2' });
    // within 30 s of the last fetch: no refetch, rejected
    const early = await call(rotatedToken);
    expect(early!.status).toBe(401);
    expect(as.state.calls.filter((u) => u.endsWith('/jwks'))).toHaveLength(1);
    clock.t += 31_000;
    expect(await call(rotatedToken)).toBeUndefined();
    expect(as.state.calls.filter((u) => u.endsWith('/jwks'))).toHaveLength(2);
  });

  it('discovery failure: 401 with a generic description, then retries on the next request', async () => {
    const { call, as } = setup({}, { metadataPath: 'none' });
    const res = await call(await token());
    expect(res!.status).toBe(401);
    expect(challengeOf(res).params).toMatchObject({
      error: 'invalid_token',
      error_description: 'Unable to validate the access token',
    });
    const before = as.state.calls.length;
    await call(await token());
    expect(as.state.calls.length).toBeGreaterThan(before);
  });

  it('network failure fetching metadata is reported the same way', async () => {
    const auth = createServerAuthenticator(
      { type: 'oauth2', authorizationServerUri: AS, resource: RESOURCE },
      {
        fetch: (async () => {
          throw new TypeError('fetch failed');
        }) as typeof fetch,
        now: () => T0,
      },
    );
    const res = await auth.authenticate(
      new Request(RESOURCE, { headers: { authorization: `Bearer ${await token()}` } }),
    );
    expect(challengeOf(res).params.error_description).toBe('Unable to validate the access token');
  });
});

describe('oauth2 resource server: protected-resource metadata', () => {
  it('serves RFC 9728 metadata at the root and the resource-path variant', async () => {
    const { auth } = setup();
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const res = auth.wellKnown!(new Request(`https://mcp.test${path}`));
      expect(res!.status).toBe(200);
      expect(await res!.json()).toEqual({
        resource: RESOURCE,
        authorization_servers: [AS],
        scopes_supported: ['fleet:read'],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('ignores other paths and methods, omits scopes_supported without scopes', async () => {
    const { auth } = setup({ scopes: [] });
    expect(auth.wellKnown!(new Request('https://mcp.test/mcp'))).toBeUndefined();
    expect(auth.wellKnown!(new Request('https://mcp.test/.well-known/oauth-protected-resource/other'))).toBeUndefined();
    expect(
      auth.wellKnown!(new Request('https://mcp.test/.well-known/oauth-protected-resource', { method: 'POST' })),
    ).toBeUndefined();
    const doc = await auth.wellKnown!(new Request('https://mcp.test/.well-known/oauth-protected-resource'))!.json();
    expect(doc).not.toHaveProperty('scopes_supported');
  });

  it('without a configured resource, derives metadata from the request origin', async () => {
    const { auth } = setup({ resource: undefined, audience: 'api://fleet' });
    const res = await auth.authenticate(new Request('http://localhost:9090/mcp', { method: 'POST' }));
    expect(challengeOf(res).params.resource_metadata).toBe(
      'http://localhost:9090/.well-known/oauth-protected-resource',
    );
    const doc = await auth.wellKnown!(
      new Request('http://localhost:9090/.well-known/oauth-protected-resource'),
    )!.json();
    expect(doc.resource).toBe('http://localhost:9090');
  });
});
