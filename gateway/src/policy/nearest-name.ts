/**
 * "Did you mean" for policy authors: the valid name closest to a misspelt one, so a
 * compliance officer sees `Containr` → `Container` instead of a bare "unknown type".
 */

/** Levenshtein edit distance (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] ?? 0;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      prev[j] = Math.min(above + 1, (prev[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate nearest to `name` (case-insensitive distance, ties broken by order), or
 * undefined when there are no candidates. Always returns the best guess, even a poor
 * one: an author is better served by a wrong suggestion than by none.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "X"?)`, or an empty string when nothing is known. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = nearestName(name, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
