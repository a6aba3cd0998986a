/**
 * "Did you mean …?" for names people type: model references, settings, fields. Edit distance, with
 * a bonus for one name containing the other, cut off where a suggestion would only confuse.
 */

/** Up to `limit` candidates within a small edit distance of `input`, closest first. */
export function closeMatches(input: string, candidates: readonly string[], limit = 3): string[] {
  return scored(input, candidates)
    .filter(({ score }) => score <= Math.max(2, Math.floor(input.length / 3)))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** The one candidate nearest to `input`, however far (for a key that has a fixed set of neighbours). */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const [nearest] = scored(input, candidates);
  return nearest?.candidate;
}

function scored(input: string, candidates: readonly string[]): { candidate: string; score: number }[] {
  const lower = input.toLowerCase();
  return candidates
    .map((candidate) => {
      const target = candidate.toLowerCase();
      const bare = target.includes(':') ? target.slice(target.indexOf(':') + 1) : target;
      const distance = Math.min(editDistance(lower, target), editDistance(lower, bare));
      // Containing the other name counts as much as a typo or two: `daily` for `daily_usd`.
      const contains = target.includes(lower) || lower.includes(bare) ? Math.min(2, distance) : 0;
      return { candidate, score: distance - contains };
    })
    .sort((left, right) => left.score - right.score);
}

/** Levenshtein distance where swapping two neighbouring letters (`chian`, `chain`) is one edit. */
function editDistance(left: string, right: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current[j] = best;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[right.length]!;
}
