/**
 * One connection, laid out for a lesson: its handshake timeline (collapsible) and its ladder on the
 * left, the explanation of the selected step on the right (a splitter between them), the other views
 * (Follow stream, the protocol's panel, What went wrong) as tabs. Jargon (how the protocol was
 * chosen, Decode As) sits in the "More" menu.
 */
import { useMemo, useState } from 'react';
import type { CaptureId, CaptureInfo, ConnectionRow, ConnectionView, EngineApi } from '../../../api/engine-api';
import type { Diagnostic } from '../../../dissectors/model/diagnostic';
import { ladderMarks } from '../layout/ladder-marks';
import { stepOfLadder, stepOfTcp, type LessonStep } from '../layout/lesson-steps';
import { DecodeAsControl } from './DecodeAsControl';
import { DiagramExport } from './DiagramExport';
import { Explanation } from './Explanation';
import { FollowStream } from './FollowStream';
import { HandshakeTimeline } from './HandshakeTimeline';
import { LadderDiagram } from './LadderDiagram';
import { Menu } from './Menu';
import { Legend } from './Legend';
import { ProtocolPanel } from './panels/ProtocolPanel';
import { Splitter, useStoredFraction } from './Splitter';
import { TcpStateDiagram } from './TcpStateDiagram';
import { TlsSummary } from './TlsSummary';
import { WhatWentWrong } from './WhatWentWrong';

const PANEL_TITLE: Record<string, string> = { smtp: 'Messages (envelope vs headers)', pop3: 'Mailbox and messages', http: 'HTTP requests', ftp: 'FTP transfers', 'ftp-data': 'Transferred data' };
const BY: Record<string, string> = { port: 'by its server port (the usual port of the protocol)', content: 'by its first bytes', user: 'by you (Decode As)' };

type Tab = 'ladder' | 'follow' | 'panel' | 'problems';

export function ConnectionPane(props: {
  engine: EngineApi;
  captureId: CaptureId;
  connection: number;
  view: ConnectionView | null;
  steps: LessonStep[];
  step: number | null;
  onStep: (i: number) => void;
  onFrame: (frame: number) => void;
  onConnection: (id: number) => void;
  onReopened?: (c: CaptureInfo) => void;
  onlyThis: () => void;
  /** Opens presenter mode (also F5). */
  onPresent?: () => void;
  filtered: boolean;
  captureDiagnostics: Diagnostic[];
  rows: ConnectionRow[];
  /** Changes while a live capture grows. */
  version?: number;
}) {
  const { view, steps, step } = props;
  const [tab, setTab] = useState<Tab>('ladder');
  const [split, setSplit] = useStoredFraction('wirelens.pane.explain', 0.64);
  const [timeline, setTimeline] = useStoredFraction('wirelens.timeline.open', 0);
  const body = useRefWidth();
  // Shown unless the user closed it; by default only when there is room beside the ladder.
  const timelineOpen = timeline === 0 ? window.innerWidth / (Number(getComputedStyle(document.documentElement).zoom) || 1) >= 1200 : timeline > 0.5;
  const marks = useMemo(() => (view ? ladderMarks(view.ladder, view.frameMarks ?? []) : new Map()), [view]);
  const current = step !== null ? steps[step] : null;
  if (!view) return <p className="loading">Loading connection {props.connection}…</p>;
  const problems = view.diagnostics.length;
  return (
    <div className="connection-pane">
      <div className="conn-head">
        <h2>
          #{view.row.id} {view.row.client} → {view.row.server} · {view.row.protocol}{view.row.tls ? ' + TLS' : ''}
          {view.row.protocolBy === 'user' && <small> (chosen by user)</small>}
        </h2>
        {props.filtered ? (
          <span className="only-this" data-testid="only-this-on">Only this connection is listed</span>
        ) : (
          <button type="button" onClick={props.onlyThis} data-testid="only-this">Only this connection</button>
        )}
        {props.onPresent && (
          <button type="button" onClick={props.onPresent} data-testid="present" aria-keyshortcuts="F5">
            Present
          </button>
        )}
        <Menu label="More" testid="more-menu">
            <p>Wirelens chose {view.row.protocol === 'unknown' ? 'no protocol' : view.row.protocol.toUpperCase()} {BY[view.row.protocolBy] ?? view.row.protocolBy}.</p>
            {tab === 'ladder' && <DiagramExport view={view} />}
            {props.onReopened && <DecodeAsControl key={view.row.id} engine={props.engine} captureId={props.captureId} server={view.row.server} current={view.row.protocol} onReopened={props.onReopened} />}
          </Menu>
        <div className="tabs" role="tablist" aria-label="Views of this connection">
          <button role="tab" aria-selected={tab === 'ladder'} onClick={() => setTab('ladder')}>Handshake and ladder</button>
          <button role="tab" aria-selected={tab === 'follow'} onClick={() => setTab('follow')} data-testid="follow-tab">Follow stream</button>
          <button role="tab" aria-selected={tab === 'panel'} onClick={() => setTab('panel')} data-testid="panel-tab">{PANEL_TITLE[view.row.protocol] ?? 'Details'}</button>
          <button role="tab" aria-selected={tab === 'problems'} onClick={() => setTab('problems')} data-testid="problems-tab">What went wrong ({problems})</button>
        </div>
      </div>
      <div className="conn-body" ref={body.ref} style={{ gridTemplateColumns: `minmax(0, ${split}fr) 6px minmax(220px, ${1 - split}fr)` }}>
        <div className="conn-main">
          <div className="tab-body" role="tabpanel">
            {tab === 'panel' ? (
              <ProtocolPanel engine={props.engine} captureId={props.captureId} view={view} onFrame={props.onFrame} onConnection={props.onConnection} />
            ) : tab === 'follow' ? (
              <FollowStream engine={props.engine} captureId={props.captureId} connection={props.connection} version={props.version} />
            ) : tab === 'problems' ? (
              <WhatWentWrong view={view} captureDiagnostics={props.captureDiagnostics} rows={props.rows} onFrame={props.onFrame} onConnection={props.onConnection} />
            ) : (
              <div className="diagrams">
                <div className={`timeline-box${timelineOpen ? ' open' : ''}`}>
                  <button type="button" className="timeline-toggle" aria-expanded={timelineOpen} onClick={() => setTimeline(timelineOpen ? 0.1 : 0.9)} data-testid="timeline-toggle">
                    {timelineOpen ? '◂ Handshake' : '▸ Handshake'}
                  </button>
                  {timelineOpen && (
                    <div className="timeline-scroll">
                      <HandshakeTimeline model={view.model} frameMarks={view.frameMarks} current={current?.type === 'tcp' ? current.key : null} onSelect={(k) => props.onStep(stepOfTcp(steps, k))} />
                    </div>
                  )}
                </div>
                <LadderDiagram
                  events={view.ladder}
                  client={view.row.client}
                  server={view.row.server}
                  marks={marks}
                  current={current?.type === 'ladder' ? current.index : null}
                  onSelect={(i) => props.onStep(stepOfLadder(steps, i))}
                  legend={<Legend />}
                />
              </div>
            )}
          </div>
        </div>
        <Splitter orientation="vertical" fraction={split} onChange={setSplit} total={() => body.width() - 6} minA={300} minB={220} label="Resize the ladder and the explanation" />
        <Explanation view={view} steps={steps} step={step} marks={marks} onStep={props.onStep} onFrame={props.onFrame}>
        {tab === 'ladder' && <TcpStateDiagram model={view.model} steps={steps} step={step} />}
        {view.tls && <TlsSummary tls={view.tls} />}
        </Explanation>
      </div>
    </div>
  );
}

/** A ref and a reader of the element's current width. */
function useRefWidth(): { ref: React.RefObject<HTMLDivElement | null>; width: () => number } {
  const [ref] = useState(() => ({ current: null as HTMLDivElement | null }));
  return { ref, width: () => ref.current?.clientWidth ?? 800 };
}
