/** @module auth/digest-common — RFC 7616 hashing shared by the Digest client and server. */
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
};

/** Normalise an `algorithm` parameter; absent means MD5 (RFC 7616 §3.3); unknown → undefined. */
export function parseAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  return value === undefined ? 'MD5' : ALGORITHMS[value.toLowerCase()];
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** 'auth' or undefined for the RFC 2069 compatibility form. */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** Compute the `response` value of RFC 7616 §3.4.1. */
export function digestResponse(d: DigestInputs): string {
  const h = hasher(d.algorithm);
  let ha1 = h(`${d.username}:${d.realm}:${d.password}`);
  if (d.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${d.nonce}:${d.cnonce ?? ''}`);
  const ha2 = h(`${d.method}:${d.uri}`);
  if (d.qop === undefined) return h(`${ha1}:${d.nonce}:${ha2}`);
  return h(`${ha1}:${d.nonce}:${d.nc ?? ''}:${d.cnonce ?? ''}:${d.qop}:${ha2}`);
}

function hasher(algorithm: DigestAlgorithm): (s: string) => string {
  const name = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  return (s) => createHash(name).update(s, 'utf8').digest('hex');
}
