import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/common/errors.ts';
import { basicHeader, createServerAuthenticator, type ServerAuthSpec } from '../../src/auth/index.ts';

const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

async function problem(res: Response | undefined) {
  expect(res).toBeInstanceOf(Response);
  expect(res!.headers.get('content-type')).toBe('application/problem+json');
  const text = await res!.text();
  return { text, body: JSON.parse(text) as Record<string, unknown> };
}

describe('bearer', () => {
  const auth = createServerAuthenticator({ type: 'bearer', token: 'mcp-secret' });

  it('lets the right token through (scheme case-insensitive)', async () => {
    expect(await auth.authenticate(req('http://x/', { authorization: 'Bearer mcp-secret' }))).toBeUndefined();
    expect(await auth.authenticate(req('http://x/', { authorization: 'bearer mcp-secret' }))).toBeUndefined();
  });

  it('401 with a Bearer challenge when missing', async () => {
    const res = await auth.authenticate(req('http://x/'));
    expect(res!.status).toBe(401);
    expect(res!.headers.get('www-authenticate')).toBe('Bearer realm="capgate"');
    const { body } = await problem(res);
    expect(body).toMatchObject({ status: 401, title: 'Unauthorized', code: 'UNAUTHORIZED' });
  });

  it('401 invalid_token for a wrong token, never echoing it', async () => {
    const res = await auth.authenticate(req('http://x/', { authorization: 'Bearer wrong-token-xyz' }));
    expect(res!.status).toBe(401);
    expect(res!.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const { text } = await problem(res);
    expect(text).not.toContain('wrong-token-xyz');
  });

  it('rejects a prefix of the token and another scheme', async () => {
    expect((await auth.authenticate(req('http://x/', { authorization: 'Bearer mcp-secre' })))!.status).toBe(401);
    expect((await auth.authenticate(req('http://x/', { authorization: 'Basic mcp-secret' })))!.status).toBe(401);
  });

  it('honours a custom realm', async () => {
    const custom = createServerAuthenticator({ type: 'bearer', token: 't' }, { realm: 'naftiko' });
    expect((await custom.authenticate(req('http://x/')))!.headers.get('www-authenticate')).toBe(
      'Bearer realm="naftiko"',
    );
  });
});

describe('apikey', () => {
  it('defaults to a header, matched case-insensitively by name', async () => {
    const auth = createServerAuthenticator({ type: 'apikey', key: 'X-Key', value: 'k-2' });
    expect(await auth.authenticate(req('http://x/ships', { 'x-key': 'k-2' }))).toBeUndefined();
    expect(await auth.authenticate(req('http://x/ships', { 'X-KEY': 'k-2' }))).toBeUndefined();
    // a query parameter does not count when placement is header
    expect((await auth.authenticate(req('http://x/ships?X-Key=k-2')))!.status).toBe(401);
  });

  it('401 when missing or wrong, without echoing the value', async () => {
    const auth = createServerAuthenticator({ type: 'apikey', key: 'X-Key', value: 'k-2', placement: 'header' });
    const missing = await auth.authenticate(req('http://x/ships'));
    expect(missing!.status).toBe(401);
    expect(missing!.headers.get('www-authenticate')).toBeTruthy();
    const wrong = await auth.authenticate(req('http://x/ships', { 'x-key': 'k-bad-value' }));
    expect(wrong!.status).toBe(401);
    expect((await problem(wrong)).text).not.toContain('k-bad-value');
  });

  it('reads the query parameter when placement is query', async () => {
    const auth = createServerAuthenticator({ type: 'apikey', key: 'api_key', value: 'k 1', placement: 'query' });
    expect(await auth.authenticate(req('http://x/ships?status=a&api_key=k%201'))).toBeUndefined();
    expect((await auth.authenticate(req('http://x/ships?api_key=k2')))!.status).toBe(401);
    expect((await auth.authenticate(req('http://x/ships', { api_key: 'k 1' })))!.status).toBe(401);
  });
});

describe('basic', () => {
  const auth = createServerAuthenticator({ type: 'basic', username: 'ü-user', password: 'p:ä' });

  it('accepts UTF-8 credentials (password may contain a colon)', async () => {
    expect(await auth.authenticate(req('http://x/', { authorization: basicHeader('ü-user', 'p:ä') }))).toBeUndefined();
  });

  it('401 with Basic realm challenge when missing, wrong user, wrong password or garbage', async () => {
    for (const authorization of [
      undefined,
      basicHeader('other', 'p:ä'),
      basicHeader('ü-user', 'p'),
      'Basic !!!',
      'Basic ',
    ]) {
      const res = await auth.authenticate(req('http://x/', authorization ? { authorization } : {}));
      expect(res!.status).toBe(401);
      expect(res!.headers.get('www-authenticate')).toBe('Basic realm="capgate"');
    }
  });
});

describe('configuration errors', () => {
  it('refuses empty secrets at creation', () => {
    expect(() => createServerAuthenticator({ type: 'bearer', token: '' })).toThrow(GatewayError);
    expect(() => createServerAuthenticator({ type: 'basic', username: 'u', password: '' })).toThrow(/password/);
  });

  it('rejects unknown types with NOT_SUPPORTED', () => {
    try {
      createServerAuthenticator({ type: 'kerberos' } as unknown as ServerAuthSpec);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe('NOT_SUPPORTED');
    }
  });
});

describe('basicHeader', () => {
  it('matches the S27 vector', () => {
    expect(basicHeader('u', 'p')).toBe('Basic dTpw');
  });
});
