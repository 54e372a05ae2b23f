/**
 * TCP connections: client, server, protocol (and why), packets, bytes, duration, status.
 * Virtualised like the packet list: a capture with thousands of connections keeps only the rows in
 * view in the page, so scrolling anywhere stays smooth.
 */
import { useEffect, useState } from 'react';
import type { CaptureId, ConnectionRow, EngineApi } from '../../../api/engine-api';
import { rowWindow } from '../layout/list-window';
import { useElementHeight } from './use-element-height';

const ROW = 24;

export function ConnectionList(props: { engine: EngineApi; captureId: CaptureId; selected: number | null; onSelect: (id: number) => void; /** Changes while a live capture grows. */ version?: number }) {
  const [rows, setRows] = useState<ConnectionRow[]>([]);
  const [query, setQuery] = useState('');
  const [scroll, setScroll] = useState(0);
  const [box, height] = useElementHeight<HTMLDivElement>(300);
  useEffect(() => {
    let current = true;
    props.engine.getConnections(props.captureId).then((r) => current && setRows(r));
    return () => void (current = false);
  }, [props.engine, props.captureId, props.version]);
  const q = query.trim().toLowerCase();
  const shown = q ? rows.filter((c) => `${c.id} ${c.client} ${c.server} ${c.protocol} ${c.status}`.toLowerCase().includes(q)) : rows;
  const win = rowWindow(scroll, height, shown.length, ROW, 10);
  const below = Math.max(0, win.spacer - win.top - win.count * ROW);
  return (
    <div className="connections-box">
      <input className="connections-filter" data-testid="connections-filter" placeholder="Filter connections (address, port, protocol, status)" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="filter connections" />
      <div className="connections-scroll" ref={box} onScroll={(e) => setScroll(e.currentTarget.scrollTop)}>
        <table className="connections-table" aria-rowcount={shown.length}>
          <thead>
            <tr><th>#</th><th>Client</th><th>Server</th><th>Protocol</th><th>Packets</th><th>Bytes</th><th>Duration</th><th>Status</th></tr>
          </thead>
          <tbody>
            {win.top > 0 && <tr aria-hidden="true" style={{ height: win.top }} />}
            {shown.slice(win.first, win.first + win.count).map((c) => (
              <tr key={c.id} data-testid="connection-row" style={{ height: ROW }} className={c.id === props.selected ? 'selected' : ''} onClick={() => props.onSelect(c.id)}>
                <td>{c.id}</td>
                <td>{c.client}</td>
                <td>{c.server}</td>
                <td title={`chosen by ${c.protocolBy}`}>{c.protocol}{c.tls ? ' + TLS' : ''}</td>
                <td>{c.packets}</td>
                <td>{c.bytes}</td>
                <td>{c.duration.toFixed(3)} s</td>
                <td>{c.status}</td>
              </tr>
            ))}
            {below > 0 && <tr aria-hidden="true" style={{ height: below }} />}
          </tbody>
        </table>
      </div>
    </div>
  );
}
