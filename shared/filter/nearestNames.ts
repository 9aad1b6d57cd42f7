/**
 * "Did you mean …" suggestions by edit distance.
 */

/** Only this many leading characters are compared, so a pasted megabyte stays cheap. */
const MAX_COMPARED_LENGTH = 64;

/**
 * Levenshtein distance between two strings (insertions, deletions, substitutions cost 1).
 *
 * Compares at most the first 64 UTF-16 units of each string: O(64²) per call at worst.
 */
export function editDistance(a: string, b: string): number {
  const left = a.slice(0, MAX_COMPARED_LENGTH);
  const right = b.slice(0, MAX_COMPARED_LENGTH);
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/**
 * The `limit` candidates nearest to `word`, ignoring case, nearest first.
 *
 * Ties keep the candidates' order; candidates farther than `maxDistance` are left out. Returns
 * the candidates as given (not lower-cased).
 */
export function nearestNames(
  word: string,
  candidates: readonly string[],
  limit: number,
  maxDistance = Number.POSITIVE_INFINITY,
): string[] {
  const target = word.toLowerCase();
  return candidates
    .map((name, order) => ({ name, order, distance: editDistance(target, name.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, limit)
    .map((candidate) => candidate.name);
}
