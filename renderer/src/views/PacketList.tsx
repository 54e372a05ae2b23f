/** The packet list: Wireshark's columns, virtualised (only the rows in view are fetched and drawn). */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaptureId, EngineApi, PacketRow, SortColumn } from '../../../api/engine-api';
import { rowBlock, rowWindow, scrollTopForRow } from '../layout/list-window';
import { useElementHeight } from './use-element-height';
import { visible } from '../text/visible';
import { packetRule } from '../palette/palette';

const ROW = 22;
const MARGIN_ROWS = 8;

const COLUMNS: Array<[SortColumn, string]> = [['no', 'No.'], ['time', 'Time'], ['source', 'Source'], ['destination', 'Destination'], ['protocol', 'Protocol'], ['length', 'Length'], ['info', 'Info']];

export function PacketList(props: {
  engine: EngineApi;
  captureId: CaptureId;
  total: number;
  selected: number | null;
  onSelect: (frame: number, connection: number) => void;
  /** Live capture: keep the newest rows in view while the list is scrolled to its end. */
  follow?: boolean;
  sort?: { column: SortColumn; descending: boolean } | null;
  /** Click on a column header: sort by it (again: descending; a third time: capture order). */
  onSort?: (column: SortColumn) => void;
  /** A frame to bring into view without selecting it. */
  reveal?: number | null;
  /** The capture is still being read: an empty list says so instead of looking empty. */
  loading?: boolean;
  /** Rows are fetched again when this changes (the load ended, a live capture stopped): their protocol and info may have changed. */
  refresh?: string;
}) {
  const { engine, captureId, total } = props;
  const [box, height, measured] = useElementHeight<HTMLDivElement>(400);
  const [scroll, setScroll] = useState(0);
  // Rows fetched from the engine: a block of several windows around the view (see rowBlock).
  const [cache, setCache] = useState<{ start: number; list: PacketRow[] }>({ start: 0, list: [] });
  // A few rows beyond the view on each side: enough for small scrolls, few to lay out per frame.
  const win = rowWindow(scroll, height, total, ROW, MARGIN_ROWS);
  const first = win.first;
  const count = win.count;
  const block = rowBlock(first, count, total);
  // The rows drawn: the part of the fetched block inside the window.
  const rows = useMemo(() => {
    const from = Math.max(first, cache.start);
    const to = Math.min(first + count, cache.start + cache.list.length);
    return to > from ? { start: from, list: cache.list.slice(from - cache.start, to - cache.start) } : { start: first, list: [] as PacketRow[] };
  }, [cache, first, count]);
  // A stable handler, so memoised rows are not redrawn because the parent made a new closure.
  const onSelectRef = useRef(props.onSelect);
  onSelectRef.current = props.onSelect;
  const select = useCallback((frame: number, connection: number) => onSelectRef.current(frame, connection), []);

  // A frame chosen elsewhere (a step, a ladder arrow, a panel link) or revealed (a chosen connection's
  // first) is brought into view when it is not in view already. Only a new choice cancels the lookup:
  // rows arriving meanwhile (every scroll step brings some) must not.
  const seen = useRef({ rows, total, win });
  seen.current = { rows, total, win };
  const bringIntoView = useCallback(
    (frame: number | null | undefined) => {
      if (frame === null || frame === undefined) return () => undefined;
      const el = box.current;
      const { rows: r, win: w } = seen.current;
      const at = r.list.findIndex((x) => x.no === frame);
      if (el && at >= 0) {
        const y = w.top + (r.start + at - w.first) * ROW + ROW; // + the header row
        if (y >= el.scrollTop + ROW && y + ROW <= el.scrollTop + el.clientHeight) return () => undefined;
      }
      let current = true;
      engine.rowOfFrame(captureId, frame).then((row) => {
        const list = box.current;
        if (!current || row < 0 || !list) return;
        // One row of context above it, unless the list is only a few rows high.
        const context = list.clientHeight >= 5 * ROW ? 0 : ROW;
        list.scrollTop = scrollTopForRow(row, list.clientHeight, seen.current.total, ROW) + context;
      });
      return () => void (current = false);
    },
    [engine, captureId, box],
  );
  useEffect(() => bringIntoView(props.selected), [props.selected, bringIntoView]);
  useEffect(() => bringIntoView(props.reveal), [props.reveal, bringIntoView]);

  // Auto-scroll as Wireshark does during a live capture, unless the user scrolled up.
  const atEnd = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (props.follow && el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [props.follow, total]);

  // One fetch per block: scrolling within it draws rows already here, without a round trip.
  useEffect(() => {
    // Not measured yet (the rows for the real height come one render later, before the first paint),
    // or nothing to show.
    if (!measured || block.count === 0) return;
    let live = true;
    engine.getPackets(captureId, block.start, block.count).then((list) => live && setCache({ start: block.start, list }));
    return () => void (live = false);
  }, [engine, captureId, block.start, block.count, total, measured, props.refresh]);

  return (
    <div
      className="packet-list"
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 2 * ROW;
        setScroll(el.scrollTop);
      }}
      tabIndex={0}
      role="grid"
      aria-label="Packet list"
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      aria-busy={props.loading || undefined}
      data-testid="packet-list"
      onKeyDown={(e) => {
        // ↑/↓ move the selection within the loaded rows; the view follows.
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
        e.preventDefault();
        const at = rows.list.findIndex((r) => r.no === props.selected);
        const next = rows.list[Math.max(0, Math.min(rows.list.length - 1, at < 0 ? 0 : at + (e.key === 'ArrowDown' ? 1 : -1)))];
        if (!next) return;
        props.onSelect(next.no, next.connection);
        const el = box.current;
        const y = win.top + (rows.start + rows.list.indexOf(next) - first) * ROW;
        if (el && (y < el.scrollTop + ROW || y > el.scrollTop + el.clientHeight - 2 * ROW)) el.scrollTop = Math.max(0, el.scrollTop + (e.key === 'ArrowDown' ? ROW : -ROW));
      }}
    >
      <div className="row head" role="row" aria-rowindex={1}>
        {COLUMNS.map(([key, title]) => (
          <span key={key} role="columnheader" aria-sort={props.sort?.column === key ? (props.sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" className="sortable" data-testid={`sort-${key}`} onClick={() => props.onSort?.(key)}>
              {title}{props.sort?.column === key ? (props.sort.descending ? ' ▼' : ' ▲') : ''}
            </button>
          </span>
        ))}
      </div>
      {total === 0 && <div className="row empty" role="row" aria-rowindex={2}><span role="gridcell">{props.loading ? 'Reading packets…' : 'No packets to show.'}</span></div>}
      <div style={{ height: win.spacer, position: 'relative' }}>
        {/* One positioned block holds the rows, so a scroll moves one element, not every row. */}
        <div className="rows" style={{ transform: `translateY(${win.top + (rows.start - first) * ROW}px)` }}>
          {rows.list.map((r, i) => (
            // Keyed by list position modulo the window's length: a small scroll keeps the rows still in
            // view (same key, same text, no layout) and reuses the elements of those that left for those
            // that came; a jump reuses every element and only changes the text.
            <PacketRowView key={(rows.start + i) % rows.list.length} index={rows.start + i} row={r} selected={r.no === props.selected} onSelect={select} />
          ))}
        </div>
      </div>
    </div>
  );
}

type RowProps = { row: PacketRow; index: number; selected: boolean; onSelect: (frame: number, connection: number) => void };

/** The same row again (a new fetch returns new objects for rows already shown). */
const sameRow = (a: RowProps, b: RowProps) =>
  a.selected === b.selected && a.onSelect === b.onSelect && a.index === b.index && a.row.no === b.row.no && a.row.tcpFlags === b.row.tcpFlags && a.row.analysis?.length === b.row.analysis?.length && a.row.info === b.row.info && a.row.protocol === b.row.protocol && a.row.time === b.row.time && a.row.problem === b.row.problem && a.row.comment === b.row.comment && a.row.marked === b.row.marked;

/** One row; redrawn only when its packet or its selection changes (not on every scroll). */
const PacketRowView = memo(function PacketRowView(p: RowProps) {
  const r = p.row;
  const rule = packetRule(r);
  return (
    <div
      role="row"
      aria-rowindex={p.index + 2}
      aria-selected={p.selected}
      data-testid="packet-row"
      data-rule={rule}
      className={`row packet rule-${rule}${p.selected ? ' selected' : ''}${r.problem ? ' problem' : ''}${r.marked ? ' marked' : ''}`}
      onClick={() => p.onSelect(r.no, r.connection)}
    >
      <span role="gridcell">{r.no}</span>
      <span role="gridcell">{r.time.toFixed(6)}</span>
      <span role="gridcell">{r.source}</span>
      <span role="gridcell">{r.destination}</span>
      <span role="gridcell">{r.protocol}</span>
      <span role="gridcell">{r.length}</span>
      <span role="gridcell">{r.comment && <span className="pkt-comment" title={visible(r.comment)} data-testid="row-comment">✎ </span>}{visible(r.info)}</span>
    </div>
  );
}, sameRow);
