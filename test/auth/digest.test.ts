import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServerAuthenticator, digestAuthorization, parseAuthChallenges } from '../../src/auth/index.ts';

const RFC_CHALLENGE = (alg: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${alg}, ` +
  `nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
const RFC_REQ = {
  method: 'GET',
  uri: '/dir/index.html',
  username: 'Mufasa',
  password: 'Circle of Life',
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

const responseOf = (authorization: string) => parseAuthChallenges(authorization)[0]!.params.response;

describe('digestAuthorization (client)', () => {
  it('reproduces the RFC 7616 §3.9.1 MD5 example', () => {
    const header = digestAuthorization(RFC_CHALLENGE('MD5'), RFC_REQ)!;
    expect(responseOf(header)).toBe('8ca523f5e9506fed4657c9700eebdbec');
    const params = parseAuthChallenges(header)[0]!.params;
    expect(params).toMatchObject({
      qop: 'auth',
      nc: '00000001',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      uri: '/dir/index.html',
    });
  });

  it('reproduces the RFC 7616 §3.9.1 SHA-256 example', () => {
    const header = digestAuthorization(RFC_CHALLENGE('SHA-256'), RFC_REQ)!;
    expect(responseOf(header)).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('picks the first supported Digest challenge among several', () => {
    const header = digestAuthorization(
      `Basic realm="x", Digest realm="r", nonce="n1", algorithm=SHA-512, Digest realm="r", nonce="n2", algorithm=MD5, qop="auth"`,
      RFC_REQ,
    )!;
    expect(parseAuthChallenges(header)[0]!.params).toMatchObject({ nonce: 'n2', algorithm: 'MD5' });
  });

  it('returns undefined when no Digest challenge is usable', () => {
    expect(digestAuthorization('Basic realm="x"', RFC_REQ)).toBeUndefined();
    expect(digestAuthorization('Digest realm="x", nonce="n", qop="auth-int"', RFC_REQ)).toBeUndefined();
    expect(digestAuthorization('Digest realm="x", qop="auth"', RFC_REQ)).toBeUndefined();
  });

  it('uses the RFC 2069 form when the challenge has no qop', () => {
    const header = digestAuthorization('Digest realm="r", nonce="abc"', {
      method: 'GET',
      uri: '/',
      username: 'u',
      password: 'p',
    })!;
    const params = parseAuthChallenges(header)[0]!.params;
    expect(params.qop).toBeUndefined();
    expect(params.nc).toBeUndefined();
    const md5 = (v: string) => createHash('md5').update(v).digest('hex');
    expect(params.response).toBe(md5(`${md5('u:r:p')}:abc:${md5('GET:/')}`));
  });

  it('supports MD5-sess with a random cnonce', () => {
    const h1 = digestAuthorization('Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess', {
      method: 'GET',
      uri: '/',
      username: 'u',
      password: 'p',
    })!;
    const h2 = digestAuthorization('Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess', {
      method: 'GET',
      uri: '/',
      username: 'u',
      password: 'p',
    })!;
    expect(parseAuthChallenges(h1)[0]!.params.cnonce).not.toBe(parseAuthChallenges(h2)[0]!.params.cnonce);
    expect(parseAuthChallenges(h1)[0]!.params.algorithm).toBe('MD5-sess');
  });
});

describe('digest server authenticator', () => {
  let clock = 1_000_000;
  const now = () => clock;
  const auth = createServerAuthenticator({ type: 'digest', username: 'alice', password: 's3cret' }, { now });
  const url = 'http://gw.test/ships?status=active';

  async function challenge(): Promise<string[]> {
    const res = await auth.authenticate(new Request(url));
    expect(res!.status).toBe(401);
    const value = res!.headers.get('www-authenticate')!;
    return [value];
  }

  const pick = (value: string, alg: string) =>
    parseAuthChallenges(value)
      .filter((c) => c.params.algorithm === alg)
      .map(
        (c) =>
          `Digest ${Object.entries(c.params)
            .map(([k, v]) => `${k}="${v}"`)
            .join(', ')}`,
      )[0]!;

  it('challenges with SHA-256 and MD5, qop=auth and realm capgate', async () => {
    const [value] = await challenge();
    const challenges = parseAuthChallenges(value!);
    expect(challenges.map((c) => c.params.algorithm)).toEqual(['SHA-256', 'MD5']);
    for (const c of challenges) {
      expect(c.scheme).toBe('Digest');
      expect(c.params).toMatchObject({ realm: 'capgate', qop: 'auth' });
      expect(c.params.nonce).toMatch(/^\d+\.[\w-]+$/);
    }
  });

  for (const alg of ['SHA-256', 'MD5']) {
    it(`round-trips with the client helper (${alg})`, async () => {
      const [value] = await challenge();
      const authorization = digestAuthorization(pick(value!, alg), {
        method: 'GET',
        uri: '/ships?status=active',
        username: 'alice',
        password: 's3cret',
      })!;
      expect(await auth.authenticate(new Request(url, { headers: { authorization } }))).toBeUndefined();
    });
  }

  it('rejects a wrong password, wrong user, other uri and other method', async () => {
    const [value] = await challenge();
    const ch = pick(value!, 'SHA-256');
    const cases: Array<[string, Parameters<typeof digestAuthorization>[1]]> = [
      ['GET', { method: 'GET', uri: '/ships?status=active', username: 'alice', password: 'nope' }],
      ['GET', { method: 'GET', uri: '/ships?status=active', username: 'bob', password: 's3cret' }],
      ['GET', { method: 'GET', uri: '/other', username: 'alice', password: 's3cret' }],
      ['POST', { method: 'GET', uri: '/ships?status=active', username: 'alice', password: 's3cret' }],
    ];
    for (const [method, r] of cases) {
      const authorization = digestAuthorization(ch, r)!;
      const res = await auth.authenticate(new Request(url, { method, headers: { authorization } }));
      expect(res!.status).toBe(401);
      expect(await res!.text()).not.toContain('nope');
    }
  });

  it('rejects a forged nonce', async () => {
    const authorization = digestAuthorization(
      `Digest realm="capgate", qop="auth", algorithm=MD5, nonce="${clock}.forged"`,
      {
        method: 'GET',
        uri: '/ships?status=active',
        username: 'alice',
        password: 's3cret',
      },
    )!;
    expect((await auth.authenticate(new Request(url, { headers: { authorization } })))!.status).toBe(401);
  });

  it('marks an expired nonce stale', async () => {
    const [value] = await challenge();
    const authorization = digestAuthorization(pick(value!, 'MD5'), {
      method: 'GET',
      uri: '/ships?status=active',
      username: 'alice',
      password: 's3cret',
    })!;
    clock += 5 * 60_000 + 1;
    const res = await auth.authenticate(new Request(url, { headers: { authorization } }));
    expect(res!.status).toBe(401);
    expect(res!.headers.get('www-authenticate')).toContain('stale=true');
  });

  it('requires nc and cnonce (qop=auth)', async () => {
    const [value] = await challenge();
    const nonce = parseAuthChallenges(value!)[0]!.params.nonce!;
    const authorization = `Digest username="alice", realm="capgate", nonce="${nonce}", uri="/ships?status=active", algorithm=MD5, response="00000000000000000000000000000000"`;
    expect((await auth.authenticate(new Request(url, { headers: { authorization } })))!.status).toBe(401);
  });
});
