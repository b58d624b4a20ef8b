/**
 * @module expose/rest/prefer — RFC 7240 `Prefer: wait=<seconds>` parsing for waiting reads.
 */

/** Seconds to wait (capped), or undefined when the header asks for no wait. */
export function parsePreferWait(header: string | null, maxSeconds: number): number | undefined {
  if (!header) return undefined;
  for (const pref of header.split(',')) {
    const m = /^\s*wait\s*=\s*"?(\d+)"?\s*(;.*)?$/i.exec(pref);
    if (m) return Math.min(Number(m[1]), maxSeconds);
  }
  return undefined;
}
