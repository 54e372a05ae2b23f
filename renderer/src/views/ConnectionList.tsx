/**
 * TCP connections: client, server, protocol, packets, bytes, duration, status. A grid: rows are
 * selectable with the mouse or the keyboard (↑/↓, Enter). Virtualised like the packet list: a capture
 * with thousands of connections keeps only the rows in view in the page.
 */
import { useRef, useState } from 'react';
import type { ConnectionRow } from '../../../api/engine-api';
import { rowWindow } from '../layout/list-window';
import { useElementHeight } from './use-element-height';

const ROW = 24;

export function ConnectionList(props: { rows: ConnectionRow[]; selected: number | null; onSelect: (id: number) => void }) {
  const [query, setQuery] = useState('');
  const [scroll, setScroll] = useState(0);
  const [box, height] = useElementHeight<HTMLDivElement>(300);
  const table = useRef<HTMLTableElement>(null);
  const rows = props.rows;
  const q = query.trim().toLowerCase();
  const shown = q ? rows.filter((c) => `${c.id} ${c.client} ${c.server} ${c.protocol} ${c.status}`.toLowerCase().includes(q)) : rows;
  const win = rowWindow(scroll, height, shown.length, ROW, 10);
  const below = Math.max(0, win.spacer - win.top - win.count * ROW);
  const move = (d: number) => {
    const at = shown.findIndex((c) => c.id === props.selected);
    const next = shown[Math.max(0, Math.min(shown.length - 1, at < 0 ? 0 : at + d))];
    if (!next) return;
    props.onSelect(next.id);
    const el = box.current;
    const i = shown.indexOf(next);
    if (el && (i * ROW < el.scrollTop || (i + 2) * ROW > el.scrollTop + el.clientHeight)) el.scrollTop = Math.max(0, (i - 1) * ROW);
  };
  return (
    <div className="connections-box">
      <input className="connections-filter" data-testid="connections-filter" placeholder="Filter connections (address, port, protocol, status)" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="filter connections" />
      <div className="connections-scroll" ref={box} onScroll={(e) => setScroll(e.currentTarget.scrollTop)}>
        <table
          ref={table}
          className="connections-table"
          role="grid"
          aria-label="Connections"
          aria-rowcount={shown.length + 1}
          tabIndex={0}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              move(e.key === 'ArrowDown' ? 1 : -1);
            }
          }}
        >
          <thead>
            <tr aria-rowindex={1}><th>#</th><th>Client</th><th>Server</th><th>Protocol</th><th>Packets</th><th>Bytes</th><th>Duration</th><th>Status</th></tr>
          </thead>
          <tbody>
            {win.top > 0 && <tr aria-hidden="true" style={{ height: win.top }} />}
            {shown.slice(win.first, win.first + win.count).map((c, i) => (
              <tr key={c.id} data-testid="connection-row" aria-rowindex={win.first + i + 2} aria-selected={c.id === props.selected} style={{ height: ROW }} className={c.id === props.selected ? 'selected' : ''} onClick={() => props.onSelect(c.id)}>
                <td>{c.id}</td>
                <td>{c.client}</td>
                <td>{c.server}</td>
                <td>{c.protocol}{c.tls ? ' + TLS' : ''}</td>
                <td>{c.packets}</td>
                <td>{c.bytes}</td>
                <td>{c.duration.toFixed(3)} s</td>
                <td>{c.status}</td>
              </tr>
            ))}
            {below > 0 && <tr aria-hidden="true" style={{ height: below }} />}
          </tbody>
        </table>
        {rows.length > 0 && shown.length === 0 && <p className="hint">No connection matches “{query}”.</p>}
      </div>
    </div>
  );
}
