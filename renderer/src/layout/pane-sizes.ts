/**
 * Splitter arithmetic: a pane's share of the space between two splitter neighbours, kept within
 * both panes' minimum sizes. Numbers in, numbers out.
 */

/** The fraction `f` (0–1) of `total` px kept so that the first pane gets ≥ minA px and the second ≥ minB px. */
export function clampSplit(f: number, total: number, minA: number, minB: number): number {
  if (!Number.isFinite(f)) f = 0.5;
  if (total <= 0) return Math.min(1, Math.max(0, f));
  if (minA + minB >= total) return minA / Math.max(1, minA + minB);
  return Math.min(1 - minB / total, Math.max(minA / total, f));
}

/** The new fraction after dragging a splitter by `dx` px. */
export function dragSplit(f: number, dx: number, total: number, minA: number, minB: number): number {
  return clampSplit(f + (total > 0 ? dx / total : 0), total, minA, minB);
}

/** A stored fraction, or the default when absent or not a number in (0, 1). */
export function parseStoredFraction(raw: string | null, fallback: number): number {
  const v = raw === null ? NaN : Number(raw);
  return Number.isFinite(v) && v > 0 && v < 1 ? v : fallback;
}
