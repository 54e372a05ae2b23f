/** The packet list: Wireshark's columns, virtualised (only the rows in view are fetched and drawn). */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaptureId, EngineApi, PacketRow, SortColumn } from '../../../api/engine-api';
import { rowBlock, rowWindow, scrollTopForRow } from '../layout/list-window';
import { useElementHeight } from './use-element-height';
import { visible } from '../text/visible';

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

  // A frame chosen elsewhere (a ladder arrow, a panel link) is brought into view. Only a new choice
  // cancels the lookup: rows arriving meanwhile (every scroll step brings some) must not.
  const seen = useRef({ rows, total });
  seen.current = { rows, total };
  useEffect(() => {
    const frame = props.selected;
    if (frame === null || seen.current.rows.list.some((r) => r.no === frame)) return;
    let current = true;
    engine.rowOfFrame(captureId, frame).then((row) => {
      const el = box.current;
      if (!current || row < 0 || !el) return;
      el.scrollTop = scrollTopForRow(row, el.clientHeight, seen.current.total, ROW);
    });
    return () => void (current = false);
  }, [props.selected, engine, captureId]);

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
  }, [engine, captureId, block.start, block.count, total, measured]);

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
      aria-rowcount={total}
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
      <div className="row head" role="row">
        {COLUMNS.map(([key, title]) => (
          <span key={key} role="columnheader" data-testid={`sort-${key}`} className="sortable" onClick={() => props.onSort?.(key)} aria-sort={props.sort?.column === key ? (props.sort.descending ? 'descending' : 'ascending') : 'none'}>
            {title}{props.sort?.column === key ? (props.sort.descending ? ' ▼' : ' ▲') : ''}
          </span>
        ))}
      </div>
      <div style={{ height: win.spacer, position: 'relative' }}>
        {/* One positioned block holds the rows, so a scroll moves one element, not every row. */}
        <div className="rows" style={{ transform: `translateY(${win.top + (rows.start - first) * ROW}px)` }}>
          {rows.list.map((r, i) => (
            // Keyed by list position modulo the window's length: a small scroll keeps the rows still in
            // view (same key, same text, no layout) and reuses the elements of those that left for those
            // that came; a jump reuses every element and only changes the text.
            <PacketRowView key={(rows.start + i) % rows.list.length} row={r} selected={r.no === props.selected} onSelect={select} />
          ))}
        </div>
      </div>
    </div>
  );
}

type RowProps = { row: PacketRow; selected: boolean; onSelect: (frame: number, connection: number) => void };

/** The same row again (a new fetch returns new objects for rows already shown). */
const sameRow = (a: RowProps, b: RowProps) =>
  a.selected === b.selected && a.onSelect === b.onSelect && a.row.no === b.row.no && a.row.info === b.row.info && a.row.protocol === b.row.protocol && a.row.time === b.row.time && a.row.problem === b.row.problem;

/** One row; redrawn only when its packet or its selection changes (not on every scroll). */
const PacketRowView = memo(function PacketRowView(p: RowProps) {
  const r = p.row;
  return (
    <div
      role="row"
      data-testid="packet-row"
      className={`row packet proto-${r.protocol.toLowerCase().replace(/[^a-z0-9]/g, '')}${p.selected ? ' selected' : ''}${r.problem ? ' problem' : ''}`}
      onClick={() => p.onSelect(r.no, r.connection)}
    >
      <span>{r.no}</span>
      <span>{r.time.toFixed(6)}</span>
      <span>{r.source}</span>
      <span>{r.destination}</span>
      <span>{r.protocol}</span>
      <span>{r.length}</span>
      <span>{visible(r.info)}</span>
    </div>
  );
}, sameRow);
