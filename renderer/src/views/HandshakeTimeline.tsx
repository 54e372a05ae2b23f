/** Draws the handshake/teardown layout: SYN, SYN/ACK, ACK (time-scaled), then FIN/RST. */
import type { ConnectionModel } from '../../../dissectors/tcp/types';
import { layoutHandshake } from '../layout/handshake-layout';

const WIDTH = 460;
const HANDSHAKE_KEYS = new Set(['syn', 'synack', 'ack']);

export function HandshakeTimeline(props: { model: ConnectionModel; onFrame: (frame: number) => void }) {
  const name = (e: { ip: string; port: number }) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
  const lay = layoutHandshake(props.model, WIDTH);
  return (
    <svg className="timeline" width={WIDTH} height={lay.height} role="img" aria-label="three-way handshake timeline" data-testid="handshake">
      <text x={lay.clientX} y={16} textAnchor="middle" className="lane-title">client</text>
      <text x={lay.clientX} y={28} textAnchor="middle" className="lane-endpoint">{name(props.model.client)}</text>
      <text x={lay.serverX} y={16} textAnchor="middle" className="lane-title">server</text>
      <text x={lay.serverX} y={28} textAnchor="middle" className="lane-endpoint">{name(props.model.server)}</text>
      <line x1={lay.clientX} x2={lay.clientX} y1={32} y2={lay.height} className="lifeline" />
      <line x1={lay.serverX} x2={lay.serverX} y1={32} y2={lay.height} className="lifeline" />
      {lay.arrows.map((a) => (
        <g key={a.key} className={`hs hs-${a.key}`} onClick={() => props.onFrame(a.frame)} data-testid={HANDSHAKE_KEYS.has(a.key) ? 'handshake-mark' : 'teardown-mark'}>
          <line x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} />
          <text x={(a.x1 + a.x2) / 2} y={(a.y1 + a.y2) / 2 - 6} textAnchor="middle">{a.label}</text>
          <text x={(a.x1 + a.x2) / 2} y={(a.y1 + a.y2) / 2 + 20} textAnchor="middle" className="detail">{a.detail}</text>
        </g>
      ))}
      {lay.notes.map((n, i) => (
        <text key={i} x={WIDTH / 2} y={n.y} textAnchor="middle" className="note">{n.text}</text>
      ))}
    </svg>
  );
}
