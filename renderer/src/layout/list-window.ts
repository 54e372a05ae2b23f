/**
 * Which rows of a very long list to draw, and where. Browsers cap an element's height (about
 * 33 million pixels in Chromium), so a list taller than `maxPx` is drawn in a scaled scroll space:
 * the scrollbar spans the whole list, the rows themselves stay full height. Pure: numbers in, numbers out.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface RowWindow {
  /** First row to draw and how many. */
  first: number;
  count: number;
  /** Pixel position (inside the spacer) where row `first` is drawn. */
  top: number;
  /** Height of the scrollable spacer. */
  spacer: number;
}

export function rowWindow(scrollTop: number, viewHeight: number, total: number, rowHeight: number, margin = 20, maxPx = MAX_SCROLL_PX): RowWindow {
  const natural = total * rowHeight;
  const spacer = Math.min(natural, maxPx);
  const visible = Math.ceil(viewHeight / rowHeight);
  if (natural <= maxPx) {
    const first = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
    return { first, count: Math.max(0, Math.min(total - first, visible + 2 * margin)), top: first * rowHeight, spacer };
  }
  // Scaled: the fraction scrolled picks the first visible row; rows are drawn at the viewport.
  const maxScroll = Math.max(1, spacer - viewHeight);
  const fraction = Math.min(1, Math.max(0, scrollTop / maxScroll));
  const firstVisible = Math.round(fraction * Math.max(0, total - visible));
  const first = Math.max(0, firstVisible - margin);
  return { first, count: Math.max(0, Math.min(total - first, visible + 2 * margin)), top: scrollTop - (firstVisible - first) * rowHeight, spacer };
}

/** The scrollTop that brings `row` into view (near the top), in plain or scaled scroll space. */
export function scrollTopForRow(row: number, viewHeight: number, total: number, rowHeight: number, maxPx = MAX_SCROLL_PX): number {
  const natural = total * rowHeight;
  if (natural <= maxPx) return Math.max(0, row * rowHeight - rowHeight);
  const spacer = maxPx;
  const visible = Math.ceil(viewHeight / rowHeight);
  const maxScroll = Math.max(1, spacer - viewHeight);
  return Math.max(0, Math.min(maxScroll, (row / Math.max(1, total - visible)) * maxScroll));
}

/**
 * The rows to fetch for a window of `count` rows at `first`: five windows, aligned to multiples of
 * `count`, from two windows before to two after the window's own. The block only changes when the
 * view moves into another window-sized step, so a wheel scroll fetches once per `count` rows
 * travelled instead of every frame, with at least a window of rows ready on either side.
 */
export function rowBlock(first: number, count: number, total: number): { start: number; count: number } {
  if (count <= 0 || total <= 0) return { start: 0, count: 0 };
  const step = Math.floor(first / count) * count;
  const start = Math.max(0, step - 2 * count);
  const end = Math.min(total, step + 3 * count);
  return { start, count: Math.max(0, end - start) };
}
