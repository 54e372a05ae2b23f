/**
 * Draws a ladder layout as SVG, as wide as its pane (text only, never HTML from payloads);
 * virtualised by scroll position. Each arrow is a focusable list item (a step): its colour tells the
 * reply's outcome, a key marks credentials, TLS is purple, and badges mark TCP trouble around it.
 */
import { Fragment, useEffect, useId, useMemo, useState } from 'react';
import type { LadderEvent } from '../../../dissectors/app/types';
import { ladderPositions, layoutLadder, rowsInViewport, type LadderMode } from '../layout/ladder-layout';
import type { LadderMark } from '../layout/ladder-marks';
import { OUTCOME_TEXT, TROUBLE_TEXT } from '../palette/palette';
import { visible } from '../text/visible';
import { KeyIcon } from './KeyIcon';
import { useElementSize } from './use-element-size';

const ENCRYPTED_NOTE = 'TLS: encrypted below this line — a capture cannot read these bytes';
const TLS_GLYPH: Partial<Record<NonNullable<LadderEvent['tls']>, string>> = { 'client-hello': 'ClientHello', 'server-hello': 'ServerHello', 'encrypted-start': 'encrypted from here' };
/** Average width of a label character at 11 px (to decide whether a label fits between the lifelines). */
const CHAR_PX = 6.2;

export function arrowClass(e: LadderEvent): string {
  return `arrow kind-${e.kind}${e.outcome ? ` outcome-${e.outcome}` : ''}${e.insideTls ? ' inside-tls' : ''}`;
}

export function LadderDiagram(props: { events: LadderEvent[]; current: number | null; onSelect: (index: number) => void; client?: string; server?: string; marks?: Map<number, LadderMark[]>; legend?: React.ReactNode }) {
  const [scroll, setScroll] = useState(0);
  const [mode, setMode] = useState<LadderMode>('compact');
  // Its own radio group: presenter mode draws a second ladder on the same page.
  const modeGroup = useId();
  const [box, size] = useElementSize<HTMLDivElement>({ width: 600, height: 400 });
  const width = Math.max(320, size.width - 2);
  const ys = useMemo(() => ladderPositions(props.events, mode), [props.events, mode]);
  // Only the rows in view are drawn: thousands of events scroll without stalling.
  const { first, count } = rowsInViewport(ys, scroll, size.height);
  const lay = layoutLadder(props.events, width, first, count, ys);
  const t0 = props.events[0]?.time ?? 0;
  const room = lay.serverX - lay.clientX - 16;

  // The current step's arrow is scrolled into view.
  useEffect(() => {
    const el = box.current;
    if (props.current === null || !el || props.current >= ys.length) return;
    const y = ys[props.current];
    if (y < el.scrollTop + 30 || y > el.scrollTop + el.clientHeight - 24) el.scrollTop = Math.max(0, y - el.clientHeight / 3);
  }, [props.current, ys, box]);

  return (
    <div className="ladder-box">
      <div className="ladder-head">
      <div className="ladder-mode">
        <span role="radiogroup" aria-label="Ladder rows">
          Rows:{' '}
          <label><input type="radio" name={modeGroup} checked={mode === 'compact'} onChange={() => setMode('compact')} data-testid="ladder-compact" /> even</label>{' '}
          <label><input type="radio" name={modeGroup} checked={mode === 'time'} onChange={() => setMode('time')} data-testid="ladder-time" /> by time</label>
        </span>
        <span className="count"> · {props.events.length} {props.events.length === 1 ? 'event' : 'events'}</span>
        {lay.encryptedBand && <span className="encrypted-note" data-testid="encrypted-note"> · shaded: {ENCRYPTED_NOTE}</span>}
      </div>
      {props.legend}
      </div>
      <div className="ladder" ref={box} onScroll={(e) => setScroll(e.currentTarget.scrollTop)} data-testid="ladder">
        <svg width={width} height={lay.height} role="group" aria-label="ladder diagram: the conversation, one arrow per step">
          <defs>
            <clipPath id="ladder-label-clip">
              <rect x={lay.clientX + 4} y={0} width={Math.max(0, lay.serverX - lay.clientX - 8)} height={lay.height} />
            </clipPath>
          </defs>
          {lay.encryptedBand && (
            <g className="encrypted-band" data-testid="encrypted-band" aria-hidden="true">
              {/* The caption is in the header line: inside the band it ran over the first encrypted arrow's label. */}
              <rect x={0} y={lay.encryptedBand.y} width={width} height={lay.encryptedBand.height}>
                <title>{ENCRYPTED_NOTE}</title>
              </rect>
            </g>
          )}
          <g aria-hidden="true">
            <text x={lay.clientX} y={18} className="lane-title" textAnchor="middle">client</text>
            <text x={lay.clientX} y={30} className="lane-endpoint" textAnchor="middle">{props.client ?? ''}</text>
            <text x={lay.serverX} y={18} className="lane-title" textAnchor="middle">server</text>
            <text x={lay.serverX} y={30} className="lane-endpoint" textAnchor="middle">{props.server ?? ''}</text>
            <line x1={lay.clientX} x2={lay.clientX} y1={34} y2={lay.height} className="lifeline" />
            <line x1={lay.serverX} x2={lay.serverX} y1={34} y2={lay.height} className="lifeline" />
          </g>
          <g role="list" aria-label="steps of the conversation">
            {lay.arrows.map((a) => {
              const e = props.events[a.index];
              const dir = a.x2 > a.x1 ? 1 : -1;
              const label = a.label.length > 90 ? a.label.slice(0, 89) + '…' : a.label;
              const fits = label.length * CHAR_PX <= room;
              const marks = props.marks?.get(a.index) ?? [];
              const current = a.index === props.current;
              const name = `${a.from === 'client' ? 'client to server' : 'server to client'}: ${visible(a.label)}${e.outcome ? ` (reply: ${OUTCOME_TEXT[e.outcome].name})` : ''}${e.kind === 'auth' ? ' (credentials)' : ''}${e.insideTls ? ' (decrypted with your key log)' : ''}${marks.length ? ` (${marks.map((m) => m.kinds.map((k) => TROUBLE_TEXT[k].name).join(', ')).join('; ')})` : ''}, frame ${a.frame}`;
              return (
                <g
                  key={a.index}
                  role="listitem"
                  tabIndex={0}
                  aria-label={name}
                  aria-current={current ? 'step' : undefined}
                  className={`${arrowClass(e)}${a.marker ? ` tls-${a.marker}` : ''}${current ? ' selected' : ''}`}
                  onClick={() => props.onSelect(a.index)}
                  onKeyDown={(ev) => {
                    if (ev.key === 'Enter' || ev.key === ' ') {
                      ev.preventDefault();
                      ev.stopPropagation();
                      props.onSelect(a.index);
                    }
                  }}
                  data-testid="ladder-arrow"
                  data-outcome={e.outcome}
                >
                  {current && <rect className="current-row" x={2} y={a.y - 18} width={width - 4} height={26} rx={3} />}
                  <line x1={a.x1} x2={a.x2 - dir * 6} y1={a.y} y2={a.y} />
                  <path d={`M${a.x2},${a.y} l${-dir * 8},-4 l0,8 z`} />
                  <text x={fits ? (a.x1 + a.x2) / 2 : lay.clientX + 8} y={a.y - 5} textAnchor={fits ? 'middle' : 'start'} className="label" clipPath="url(#ladder-label-clip)">{visible(label)}</text>
                  <text x={a.from === 'client' ? a.x1 - 8 : a.x1 + 8} y={a.y + 4} textAnchor={a.from === 'client' ? 'end' : 'start'} className="frame-no">{a.frame}</text>
                  {mode === 'time' && <text x={4} y={a.y + 4} className="time-label" data-testid="ladder-time-label">+{(a.time - t0).toFixed(3)} s</text>}
                  {e.kind === 'auth' && <KeyIcon x={a.x1 + dir * 14 - (dir < 0 ? 12 : 0)} y={a.y - 9} />}
                  {a.marker && TLS_GLYPH[a.marker] && (
                    <path data-testid="tls-marker" className={`tls-glyph tls-glyph-${a.marker}`} d={`M${a.x1},${a.y - 7} l7,7 l-7,7 l-7,-7 z`}>
                      <title>{TLS_GLYPH[a.marker]}</title>
                    </path>
                  )}
                  {marks.map((m, k) => {
                    const text = `frame ${m.frame}: ${m.kinds.map((x) => TROUBLE_TEXT[x].name).join(', ')}`;
                    const w = text.length * 5.6 + 10;
                    const x = (a.x1 + a.x2) / 2 - w / 2 + (k - (marks.length - 1) / 2) * (w + 4);
                    const rst = m.kinds.length === 1 && m.kinds[0] === 'rst';
                    return (
                      // Flat (no group): the label stays the arrow's first text element.
                      <Fragment key={m.frame}>
                        <rect className={`trouble-mark ${rst ? 'trouble-rst' : 'trouble-bad-tcp'}`} data-testid="trouble-mark" x={x} y={a.y + 3} width={w} height={12} rx={2} />
                        <text className={`trouble-text ${rst ? 'trouble-rst' : 'trouble-bad-tcp'}`} x={x + 5} y={a.y + 12}>{text}</text>
                      </Fragment>
                    );
                  })}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
    </div>
  );
}
