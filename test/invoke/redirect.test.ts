/** How an upstream redirect is reported: the status and only the origin of where it points. */
import { describe, expect, it } from 'vitest';
import { redirectError } from '../../src/invoke/redirect.ts';
import { passedHeaders } from '../../src/invoke/passed-headers.ts';
import type { UpstreamResponse } from '../../src/consume/http.ts';

describe('redirectError', () => {
  it('names the origin of an absolute Location, never its path, query or credentials', () => {
    const e = redirectError(302, 'https://user:pw@sso.example.com:8443/a/b?token=t0k3n#f', { operation: 'up.get' });
    expect(e).toMatchObject({ code: 'UPSTREAM_REDIRECT', status: 502 });
    expect(e.details).toEqual({
      upstreamStatus: 302,
      redirectOrigin: 'https://sso.example.com:8443',
      operation: 'up.get',
    });
    expect(e.message).toBe(
      'upstream operation up.get answered 302 redirecting to https://sso.example.com:8443; capgate does not follow upstream redirects',
    );
    expect(e.message).not.toMatch(/t0k3n|user|pw|\/a\/b/);
  });

  it('says what it can of other Locations', () => {
    expect(redirectError(301, '/v2/x').message).toMatch(
      /answered 301 redirecting to another path on the same upstream/,
    );
    expect(redirectError(301, '//cdn.example.net/x').details.redirectOrigin).toBe('https://cdn.example.net');
    expect(redirectError(302, 'javascript:alert(1)').message).toMatch(/a non-HTTP location/);
    expect(redirectError(302, 'http://[bad').message).toMatch(/an unreadable Location/);
    expect(redirectError(304, undefined).message).toMatch(/answered 304 with no Location/);
    expect(redirectError(302, undefined, { operation: 'up.b', step: 's2' }).message).toMatch(
      /^step 's2' \(up\.b\): upstream answered 302/,
    );
  });
});

describe('passedHeaders', () => {
  const res = (status: number, headers: UpstreamResponse['headers']): UpstreamResponse => ({
    status,
    headers,
    contentType: '',
    body: Buffer.alloc(0),
  });

  it('passes Location and Retry-After with a redirect, Retry-After with an error, Location, Retry-After and Link with a success', () => {
    const all = { location: '/x', 'retry-after': '3', link: '<https://up/next>; rel=next', 'set-cookie': ['a=b'] };
    expect(passedHeaders(res(302, all))).toEqual({ location: '/x', 'retry-after': '3' });
    expect(passedHeaders(res(429, all))).toEqual({ 'retry-after': '3' });
    const success = { location: '/x', 'retry-after': '3', link: '<https://up/next>; rel=next' };
    expect(passedHeaders(res(200, all))).toEqual(success);
    expect(passedHeaders(res(202, all))).toEqual(success);
    expect(passedHeaders(res(200, { 'set-cookie': ['a=b'] }))).toBeUndefined();
    expect(passedHeaders(res(302, {}))).toBeUndefined();
  });

  it('drops a value a response header cannot carry', () => {
    expect(passedHeaders(res(302, { location: '/é😀' }))).toBeUndefined();
  });
});
