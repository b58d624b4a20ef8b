/** @module auth/constant-time — secret comparison whose timing reveals neither content nor length. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compare two strings in constant time. Both sides are hashed first so the buffers always have
 * the same length: timingSafeEqual would otherwise throw (and leak) on a length mismatch.
 */
export function safeEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
