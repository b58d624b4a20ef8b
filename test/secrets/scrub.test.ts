/** Scrubbing known secret values (and the forms they travel in) out of upstream answers. */
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, REDACTED, scrubNeedles, scrubBytes, scrubText } from '../../src/secrets/scrub.ts';
import type { SecretValues } from '../../src/secrets/types.ts';

const secrets = (values: Record<string, string>): SecretValues => ({
  values: new Map(Object.entries(values)),
  missing: new Map(),
});

describe('scrub', () => {
  it('replaces every occurrence of a secret, longest first', () => {
    const needles = scrubNeedles(secrets({ A: 'tok-123456', B: 'tok-123456-long' }));
    expect(scrubText('x tok-123456-long y tok-123456 z tok-123456', needles)).toBe(
      `x ${REDACTED} y ${REDACTED} z ${REDACTED}`,
    );
  });

  it('knows the forms a secret is echoed in: JSON-escaped, percent- and form-encoded', () => {
    const needles = scrubNeedles(secrets({ K: 'p@ss "w/rd" +x y' }));
    const echoed = [
      'p@ss "w/rd" +x y',
      JSON.stringify({ k: 'p@ss "w/rd" +x y' }),
      encodeURIComponent('p@ss "w/rd" +x y'),
      new URLSearchParams({ k: 'p@ss "w/rd" +x y' }).toString(),
    ].join(' | ');
    expect(scrubText(echoed, needles)).toBe(`${REDACTED} | {"k":"${REDACTED}"} | ${REDACTED} | k=${REDACTED}`);
  });

  it('adds the credentials actually sent: the Basic base64 and a Bearer token that is no bind', () => {
    const basic = Buffer.from('alice:correct-horse').toString('base64');
    const needles = scrubNeedles(secrets({ USER: 'alice', PASS: 'correct-horse' }), [
      `Basic ${basic}`,
      'Bearer oauth-access-token-1',
    ]);
    expect(scrubText(`got Basic ${basic} and Bearer oauth-access-token-1 for alice`, needles)).toBe(
      `got Basic ${REDACTED} and Bearer ${REDACTED} for alice`,
    );
  });

  it(`leaves values shorter than ${MIN_SECRET_LENGTH} characters alone (they match ordinary text)`, () => {
    expect(MIN_SECRET_LENGTH).toBe(6);
    const needles = scrubNeedles(secrets({ REGION: 'eu-1', SHORT: '12345', OK: '123456' }));
    expect(scrubText('eu-1 12345 123456', needles)).toBe(`eu-1 12345 ${REDACTED}`);
  });

  it('works on bytes, keeps a body with no secret as the same buffer', () => {
    const needles = scrubNeedles(secrets({ T: 'sëcret-värde' }));
    const body = Buffer.from('{"e":"sëcret-värde"}\u00ff', 'utf8');
    expect(scrubBytes(body, needles).toString('utf8')).toBe(`{"e":"${REDACTED}"}\u00ff`);
    const clean = Buffer.from('nothing here');
    expect(scrubBytes(clean, needles)).toBe(clean);
    expect(scrubNeedles(secrets({}))).toEqual([]);
  });
});
