/**
 * Draws the handshake/teardown layout: SYN, SYN/ACK, ACK (time-scaled), then FIN/RST. Each mark is a
 * focusable step; SYN/FIN carry Wireshark's grey, RST its dark red, a retransmitted SYN the Bad TCP
 * colours — the same marks as the packet list.
 */
import type { FrameMark } from '../../../api/engine-api';
import type { ConnectionModel } from '../../../dissectors/tcp/types';
import { layoutHandshake } from '../layout/handshake-layout';
import type { HandshakeKey } from '../layout/lesson-steps';
import { troubleOf } from '../palette/palette';

export const TIMELINE_WIDTH = 300;
const HANDSHAKE_KEYS = new Set(['syn', 'synack', 'ack']);
const NAMES: Record<string, string> = { syn: 'SYN: the client asks to connect', synack: 'SYN, ACK: the server agrees', ack: 'ACK: the connection is open', cfin: 'FIN from the client', sfin: 'FIN from the server', rst: 'RST: the connection is aborted' };

export function HandshakeTimeline(props: { model: ConnectionModel; current: HandshakeKey | null; onSelect: (key: HandshakeKey) => void; frameMarks?: FrameMark[] }) {
  const name = (e: { ip: string; port: number }) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
  const lay = layoutHandshake(props.model, TIMELINE_WIDTH);
  const marks = new Map((props.frameMarks ?? []).map((m) => [m.frame, m]));
  return (
    <svg className="timeline" width={TIMELINE_WIDTH} height={lay.height} role="group" aria-label="three-way handshake and teardown timeline" data-testid="handshake">
      <g aria-hidden="true">
        <text x={lay.clientX} y={16} textAnchor="middle" className="lane-title">client</text>
        {/* Anchored inside the drawing: a long address would run past its edge. */}
        <text x={2} y={28} textAnchor="start" className="lane-endpoint">{name(props.model.client)}</text>
        <text x={lay.serverX} y={16} textAnchor="middle" className="lane-title">server</text>
        <text x={TIMELINE_WIDTH - 2} y={28} textAnchor="end" className="lane-endpoint">{name(props.model.server)}</text>
        <line x1={lay.clientX} x2={lay.clientX} y1={32} y2={lay.height} className="lifeline" />
        <line x1={lay.serverX} x2={lay.serverX} y1={32} y2={lay.height} className="lifeline" />
      </g>
      <g role="list" aria-label="handshake and teardown steps">
        {lay.arrows.map((a) => {
          const key = a.key as HandshakeKey;
          const m = marks.get(a.frame);
          const bad = m && troubleOf(m).some((k) => k !== 'rst');
          const rule = bad ? 'bad-tcp' : key === 'rst' ? 'rst' : 'syn-fin';
          const cx = (a.x1 + a.x2) / 2;
          const cy = (a.y1 + a.y2) / 2;
          const current = props.current === key;
          return (
            <g
              key={a.key}
              role="listitem"
              tabIndex={0}
              aria-label={`${NAMES[a.key] ?? a.label}, frame ${a.frame}`}
              aria-current={current ? 'step' : undefined}
              className={`hs hs-${a.key} rule-${rule}${current ? ' selected' : ''}`}
              onClick={() => props.onSelect(key)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  e.stopPropagation();
                  props.onSelect(key);
                }
              }}
              data-testid={HANDSHAKE_KEYS.has(a.key) ? 'handshake-mark' : 'teardown-mark'}
              data-rule={rule}
            >
              {current && <rect className="current-row" x={2} y={a.y1 - 22} width={TIMELINE_WIDTH - 4} height={a.y2 - a.y1 + 40} rx={3} />}
              <line x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} />
              <rect className="mark-chip" x={cx - a.label.length * 3.6 - 6} y={cy - 19} width={a.label.length * 7.2 + 12} height={16} rx={3} />
              <text x={cx} y={cy - 6} textAnchor="middle" className="mark-label">{a.label}</text>
              <text x={cx} y={cy + 20} textAnchor="middle" className="detail">{a.detail}</text>
            </g>
          );
        })}
      </g>
      <g aria-hidden="true">
        {lay.notes.map((n, i) => (
          <text key={i} x={TIMELINE_WIDTH / 2} y={n.y} textAnchor="middle" className="note">{n.text}</text>
        ))}
      </g>
    </svg>
  );
}
