/** @module common/json-pointer — RFC 6901 JSON pointers: build one from segments, split one back. */

/** Escape one segment (`~` → `~0`, `/` → `~1`). */
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Undo `escapeSegment`. */
export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Build a JSON pointer from path segments, escaping each. */
export function pointerOf(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + escapeSegment(s)).join('');
}

/** Split a JSON pointer back into its (unescaped) segments. */
export function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeSegment);
}
