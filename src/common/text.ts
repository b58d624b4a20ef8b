/** @module common/text — text helpers shared by the exposers and the forward proxy. */

/** Percent-decode, keeping the text as written when it is not valid percent-encoding. */
export function decodeOrKeep(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
