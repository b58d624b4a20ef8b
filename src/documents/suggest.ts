/**
 * @module documents/suggest — "did you mean …?" for every message that names an unknown thing
 * (schema keys, namespaces, operations, inputs): nearest candidate by edit distance.
 */

/** Closest candidate: a case-insensitive match first, else within a small edit distance. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bound = Math.min(3, 1 + Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bound) [best, bound] = [c, d];
  }
  return best;
}

/** Levenshtein distance over one rolling row. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
