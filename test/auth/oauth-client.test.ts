import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/common/errors.ts';
import { createOAuth2ClientCredentials } from '../../src/auth/index.ts';

const ENDPOINT = 'https://as.test/token?tenant=t1';

function tokenServer(reply: (n: number) => Response | Promise<Response>) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), init: init ?? {} });
    return reply(requests.length);
  }) as typeof fetch;
  return { requests, fetchFn };
}

const ok = (n: number, expiresIn?: number) =>
  Response.json({
    access_token: `tok-${n}`,
    token_type: 'Bearer',
    ...(expiresIn !== undefined ? { expires_in: expiresIn } : {}),
  });

function client(fetchFn: typeof fetch, clock: { t: number }, extra: Record<string, unknown> = {}) {
  return createOAuth2ClientCredentials({
    tokenEndpoint: ENDPOINT,
    clientId: 'cli ent',
    clientSecret: 's3cr&t',
    fetch: fetchFn,
    now: () => clock.t,
    ...extra,
  });
}

async function expectGatewayError(p: Promise<unknown>, code: string): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  expect((err as GatewayError).code).toBe(code);
  expect((err as GatewayError).message).not.toContain('s3cr');
  expect(JSON.stringify((err as GatewayError).details)).not.toContain('s3cr');
  expect(JSON.stringify((err as GatewayError).details)).not.toContain('tenant');
  return err as GatewayError;
}

describe('createOAuth2ClientCredentials', () => {
  it('sends a form-encoded client_credentials grant with HTTP Basic client auth', async () => {
    const { requests, fetchFn } = tokenServer((n) => ok(n, 3600));
    const c = client(
      fetchFn,
      { t: 0 },
      { scopes: ['a:read', 'b'], audience: 'api://x', resource: 'https://api.test/' },
    );
    expect(await c.getToken()).toBe('tok-1');
    const { url, init } = requests[0]!;
    expect(url).toBe(ENDPOINT);
    expect(init.method).toBe('POST');
    const headers = new Headers(init.headers);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    // id and secret are form-encoded before base64 (RFC 6749 §2.3.1)
    expect(headers.get('authorization')).toBe(`Basic ${Buffer.from('cli+ent:s3cr%26t').toString('base64')}`);
    const body = new URLSearchParams(String(init.body));
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'client_credentials',
      scope: 'a:read b',
      audience: 'api://x',
      resource: 'https://api.test/',
    });
  });

  it('caches until expires_in minus skew, then refreshes', async () => {
    const clock = { t: 0 };
    const { requests, fetchFn } = tokenServer((n) => ok(n, 120));
    const c = client(fetchFn, clock);
    expect(await c.getToken()).toBe('tok-1');
    clock.t = 89_000;
    expect(await c.getToken()).toBe('tok-1');
    clock.t = 90_000; // 120 s - 30 s default skew
    expect(await c.getToken()).toBe('tok-2');
    expect(requests).toHaveLength(2);
  });

  it('honours a custom skew and defaults to 5 minutes without expires_in', async () => {
    const clock = { t: 0 };
    const { fetchFn } = tokenServer((n) => ok(n));
    const c = client(fetchFn, clock, { skewMs: 0 });
    await c.getToken();
    clock.t = 299_999;
    expect(await c.getToken()).toBe('tok-1');
    clock.t = 300_000;
    expect(await c.getToken()).toBe('tok-2');
  });

  it('coalesces concurrent fetches into one request', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { requests, fetchFn } = tokenServer(async (n) => {
      await gate;
      return ok(n, 3600);
    });
    const c = client(fetchFn, { t: 0 });
    const all = Promise.all([c.getToken(), c.getToken(), c.getToken()]);
    release();
    expect(await all).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(requests).toHaveLength(1);
  });

  it('invalidate() forces a new token', async () => {
    const { requests, fetchFn } = tokenServer((n) => ok(n, 3600));
    const c = client(fetchFn, { t: 0 });
    expect(await c.getToken()).toBe('tok-1');
    c.invalidate();
    expect(await c.getToken()).toBe('tok-2');
    expect(requests).toHaveLength(2);
  });

  it('network failure → UPSTREAM_UNREACHABLE, and the next call retries', async () => {
    let fail = true;
    const fetchFn = (async () => {
      if (fail) throw new TypeError('fetch failed');
      return ok(9, 60);
    }) as typeof fetch;
    const c = client(fetchFn, { t: 0 });
    await expectGatewayError(c.getToken(), 'UPSTREAM_UNREACHABLE');
    fail = false;
    expect(await c.getToken()).toBe('tok-9');
  });

  it('4xx from the token endpoint → UNAUTHORIZED with the OAuth error code only', async () => {
    const { fetchFn } = tokenServer(() =>
      Response.json({ error: 'invalid_client', error_description: 'secret s3cr&t is wrong' }, { status: 401 }),
    );
    const err = await expectGatewayError(client(fetchFn, { t: 0 }).getToken(), 'UNAUTHORIZED');
    expect(err.details).toMatchObject({
      upstreamStatus: 401,
      oauthError: 'invalid_client',
      endpoint: 'https://as.test/token',
    });
  });

  it('5xx → UPSTREAM_STATUS; no access_token → UPSTREAM_FORMAT', async () => {
    await expectGatewayError(
      client(tokenServer(() => new Response('boom', { status: 503 })).fetchFn, { t: 0 }).getToken(),
      'UPSTREAM_STATUS',
    );
    await expectGatewayError(
      client(tokenServer(() => Response.json({ token_type: 'Bearer' })).fetchFn, { t: 0 }).getToken(),
      'UPSTREAM_FORMAT',
    );
    await expectGatewayError(
      client(tokenServer(() => new Response('<html>')).fetchFn, { t: 0 }).getToken(),
      'UPSTREAM_FORMAT',
    );
  });

  it('timeout → UPSTREAM_TIMEOUT', async () => {
    const fetchFn = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      })) as typeof fetch;
    await expectGatewayError(client(fetchFn, { t: 0 }, { timeoutMs: 20 }).getToken(), 'UPSTREAM_TIMEOUT');
  });
});
