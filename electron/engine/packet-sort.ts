/**
 * Sorting the packet list by a column, as Wireshark does: a permutation of the current view
 * (all packets, or the display-filter matches), stable, so equal keys keep capture order. Number
 * columns sort on the index; text columns format each row once (packets re-read from the file),
 * so a sort is bounded by MAX_SORT_ROWS.
 */
import type { SortColumn } from '../../api/engine-api';
import type { CaptureSession } from './capture-session';
import { formatRow } from './packet-rows';

export const MAX_SORT_ROWS = 2_000_000;

/** IPv4 sorts by value (10.0.0.9 before 10.0.0.10); other text as is. */
function addressKey(a: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  return m ? `4:${m.slice(1).map((o) => o.padStart(3, '0')).join('.')}` : `6:${a}`;
}

export function sortedView(s: CaptureSession, base: Int32Array | null, column: SortColumn, descending: boolean): Int32Array {
  const idx = s.analyzer.index;
  const rows = base ? Array.from(base) : Array.from({ length: idx.count }, (_, i) => i);
  if (rows.length > MAX_SORT_ROWS) throw new Error(`sorting is limited to ${MAX_SORT_ROWS.toLocaleString('en-US')} rows: narrow the list with a display filter first`);
  const sign = descending ? -1 : 1;
  if (column === 'no' || column === 'time' || column === 'length') {
    const key = column === 'no' ? null : column === 'time' ? idx.time : idx.origLenColumn();
    rows.sort((a, b) => (key ? sign * (key[a] - key[b]) : sign * (a - b)) || a - b);
  } else {
    const keys = new Map<number, string>();
    for (const i of rows) {
      const r = formatRow(s, i);
      keys.set(i, column === 'source' ? addressKey(r.source) : column === 'destination' ? addressKey(r.destination) : column === 'protocol' ? r.protocol : r.info);
    }
    rows.sort((a, b) => {
      const ka = keys.get(a)!;
      const kb = keys.get(b)!;
      return sign * (ka < kb ? -1 : ka > kb ? 1 : 0) || a - b;
    });
  }
  return Int32Array.from(rows);
}
