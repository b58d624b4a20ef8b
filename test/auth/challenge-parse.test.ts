import { describe, expect, it } from 'vitest';
import { parseAuthChallenges, safeEqual } from '../../src/auth/index.ts';

describe('parseAuthChallenges', () => {
  it('splits several challenges and unescapes quoted values', () => {
    expect(parseAuthChallenges('Bearer realm="a\\"b", error=invalid_token, Basic realm="c,d"')).toEqual([
      { scheme: 'Bearer', params: { realm: 'a"b', error: 'invalid_token' } },
      { scheme: 'Basic', params: { realm: 'c,d' } },
    ]);
  });

  it('lower-cases parameter names and tolerates junk', () => {
    expect(parseAuthChallenges('Digest Realm="r",,  NONCE=abc')).toEqual([
      { scheme: 'Digest', params: { realm: 'r', nonce: 'abc' } },
    ]);
    expect(parseAuthChallenges('')).toEqual([]);
    expect(() => parseAuthChallenges('"=,"')).not.toThrow();
  });
});

describe('safeEqual', () => {
  it('compares content, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
