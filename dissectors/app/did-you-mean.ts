/**
 * "Did you mean …?" for a mistyped command: the known word nearest to what was typed, by
 * Damerau–Levenshtein distance (a swap of two neighbouring letters, as in RCTP for RCPT, counts as
 * one edit). Pure; words are compared in upper case and cut at 20 letters.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, 20);
  const t = b.slice(0, 20);
  const d: number[][] = [];
  for (let i = 0; i <= s.length; i++) d.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/** The known words nearest to `typed` (at most `max` edits, and fewer edits than half the word), best first; [] when none is close. */
export function nearestWords(typed: string, known: readonly string[], max = 2): string[] {
  const word = typed.toUpperCase();
  let best = Infinity;
  let found: string[] = [];
  for (const k of known) {
    if (k === word) return [];
    const dist = editDistance(word, k);
    if (dist > max || dist * 2 >= Math.max(word.length, k.length)) continue;
    if (dist < best) {
      best = dist;
      found = [k];
    } else if (dist === best) found.push(k);
  }
  return found;
}
