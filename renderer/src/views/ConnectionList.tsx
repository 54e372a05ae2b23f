/** TCP connections: client, server, protocol (and why), packets, bytes, duration, status. */
import { useEffect, useState } from 'react';
import type { CaptureId, ConnectionRow, EngineApi } from '../../../api/engine-api';

export function ConnectionList(props: { engine: EngineApi; captureId: CaptureId; selected: number | null; onSelect: (id: number) => void; /** Changes while a live capture grows. */ version?: number }) {
  const [rows, setRows] = useState<ConnectionRow[]>([]);
  const [query, setQuery] = useState('');
  useEffect(() => {
    let current = true;
    props.engine.getConnections(props.captureId).then((r) => current && setRows(r));
    return () => void (current = false);
  }, [props.engine, props.captureId, props.version]);
  const q = query.trim().toLowerCase();
  const shown = q ? rows.filter((c) => `${c.id} ${c.client} ${c.server} ${c.protocol} ${c.status}`.toLowerCase().includes(q)) : rows;
  return (
    <>
    <input className="connections-filter" data-testid="connections-filter" placeholder="Filter connections (address, port, protocol, status)" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="filter connections" />
    <table className="connections-table">
      <thead>
        <tr><th>#</th><th>Client</th><th>Server</th><th>Protocol</th><th>Packets</th><th>Bytes</th><th>Duration</th><th>Status</th></tr>
      </thead>
      <tbody>
        {shown.map((c) => (
          <tr key={c.id} data-testid="connection-row" className={c.id === props.selected ? 'selected' : ''} onClick={() => props.onSelect(c.id)}>
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
      </tbody>
    </table>
    </>
  );
}
