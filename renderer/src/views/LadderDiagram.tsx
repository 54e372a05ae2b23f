/** Draws a ladder layout as SVG (text only, never HTML from payloads); virtualised by scroll position. */
import { useMemo, useState } from 'react';
import type { LadderEvent } from '../../../dissectors/app/types';
import { ladderPositions, layoutLadder, rowsInViewport, type LadderMode } from '../layout/ladder-layout';
import { visible } from '../text/visible';

const WIDTH = 760;
const VIEW = 520;

const ENCRYPTED_NOTE = 'TLS: encrypted below this line — a capture cannot read these bytes';

const TLS_GLYPH: Partial<Record<NonNullable<LadderEvent['tls']>, string>> = { 'client-hello': 'ClientHello', 'server-hello': 'ServerHello', 'encrypted-start': 'encrypted from here' };

export function LadderDiagram(props: { events: LadderEvent[]; selected: number | null; onSelect: (index: number) => void; client?: string; server?: string }) {
  const [scroll, setScroll] = useState(0);
  const [mode, setMode] = useState<LadderMode>('compact');
  const ys = useMemo(() => ladderPositions(props.events, mode), [props.events, mode]);
  // Only the rows in view are drawn: thousands of events scroll without stalling.
  const { first, count } = rowsInViewport(ys, scroll, VIEW);
  const lay = layoutLadder(props.events, WIDTH, first, count, ys);
  const t0 = props.events[0]?.time ?? 0;
  return (
    <div className="ladder-box">
    <p className="ladder-mode">
      Rows:{' '}
      <label><input type="radio" name="ladder-mode" checked={mode === 'compact'} onChange={() => setMode('compact')} data-testid="ladder-compact" /> evenly spaced</label>{' '}
      <label><input type="radio" name="ladder-mode" checked={mode === 'time'} onChange={() => setMode('time')} data-testid="ladder-time" /> by time (pauses show as gaps)</label>
      <span className="count"> · {props.events.length} {props.events.length === 1 ? 'event' : 'events'}</span>
      {lay.encryptedBand && <span className="encrypted-note" data-testid="encrypted-note"> · shaded part: {ENCRYPTED_NOTE}</span>}
    </p>
    <div className="ladder" style={{ height: VIEW }} onScroll={(e) => setScroll(e.currentTarget.scrollTop)} data-testid="ladder">
      <svg width={WIDTH} height={lay.height} role="img" aria-label="ladder diagram">
        {lay.encryptedBand && (
          <g className="encrypted-band" data-testid="encrypted-band">
            {/* The caption is in the header line: inside the band it ran over the first encrypted arrow's label. */}
            <rect x={0} y={lay.encryptedBand.y} width={WIDTH} height={lay.encryptedBand.height}>
              <title>{ENCRYPTED_NOTE}</title>
            </rect>
          </g>
        )}
        <text x={lay.clientX} y={18} className="lane-title" textAnchor="middle">client</text>
        <text x={lay.clientX} y={30} className="lane-endpoint" textAnchor="middle">{props.client ?? ''}</text>
        <text x={lay.serverX} y={18} className="lane-title" textAnchor="middle">server</text>
        <text x={lay.serverX} y={30} className="lane-endpoint" textAnchor="middle">{props.server ?? ''}</text>
        <line x1={lay.clientX} x2={lay.clientX} y1={34} y2={lay.height} className="lifeline" />
        <line x1={lay.serverX} x2={lay.serverX} y1={34} y2={lay.height} className="lifeline" />
        {lay.arrows.map((a) => {
          const dir = a.x2 > a.x1 ? 1 : -1;
          return (
            <g key={a.index} className={`arrow kind-${a.kind}${a.marker ? ` tls-${a.marker}` : ''}${a.index === props.selected ? ' selected' : ''}`} onClick={() => props.onSelect(a.index)} data-testid="ladder-arrow">
              <title>{`${visible(a.label)}\n${props.events[a.index].explain}`}</title>
              <line x1={a.x1} x2={a.x2 - dir * 6} y1={a.y} y2={a.y} />
              <path d={`M${a.x2},${a.y} l${-dir * 8},-4 l0,8 z`} />
              <text x={(a.x1 + a.x2) / 2} y={a.y - 5} textAnchor="middle">{visible(a.label.length > 90 ? a.label.slice(0, 89) + '…' : a.label)}</text>
              <text x={a.from === 'client' ? a.x1 - 8 : a.x1 + 8} y={a.y + 4} textAnchor={a.from === 'client' ? 'end' : 'start'} className="frame-no">{a.frame}</text>
              {mode === 'time' && <text x={4} y={a.y + 4} className="time-label" data-testid="ladder-time-label">+{(a.time - t0).toFixed(3)} s</text>}
              {a.marker && TLS_GLYPH[a.marker] && (
                <path data-testid="tls-marker" className={`tls-glyph tls-glyph-${a.marker}`} d={`M${a.x1},${a.y - 7} l7,7 l-7,7 l-7,-7 z`}>
                  <title>{TLS_GLYPH[a.marker]}</title>
                </path>
              )}
            </g>
          );
        })}
      </svg>
    </div>
    </div>
  );
}
