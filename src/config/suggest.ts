/** "Did you mean" for misspelt keys. */

/** Lower case without `_`, `-`, `.`: `chunk_size`, `CHUNKSIZE` and `chunkSize` are the same key. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_.-]/g, '');
}

/** The candidate closest to `word`, or undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const wanted = normalizeKey(word);
  const same = candidates.find((candidate) => normalizeKey(candidate) === wanted);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, normalizeKey(candidate));
    const allowed = Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(current[j - 1]! + 1, previous[j]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
