/** One connection: its handshake/teardown timeline, its ladder, and the explanation of the chosen arrow. */
import { useEffect, useState } from 'react';
import type { CaptureId, CaptureInfo, ConnectionView, EngineApi } from '../../../api/engine-api';
import { visible } from '../text/visible';
import { DecodeAsControl } from './DecodeAsControl';
import { DiagramExport } from './DiagramExport';
import { FollowStream } from './FollowStream';
import { HandshakeTimeline } from './HandshakeTimeline';
import { LadderDiagram } from './LadderDiagram';
import { ProtocolPanel } from './panels/ProtocolPanel';

const PANEL_TITLE: Record<string, string> = { smtp: 'Messages (envelope vs headers)', pop3: 'Mailbox and messages', http: 'HTTP requests', ftp: 'FTP transfers', 'ftp-data': 'Transferred data' };

export function ConnectionPane(props: { engine: EngineApi; captureId: CaptureId; connection: number; onFrame: (frame: number) => void; onConnection?: (id: number) => void; onReopened?: (c: CaptureInfo) => void; /** Changes while a live capture grows. */ version?: number }) {
  const [view, setView] = useState<ConnectionView | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [tab, setTab] = useState<'ladder' | 'follow' | 'panel'>('ladder');
  useEffect(() => {
    setView(null);
    setChosen(null);
  }, [props.engine, props.captureId, props.connection]);
  useEffect(() => {
    let current = true;
    props.engine.getConnection(props.captureId, props.connection).then((v) => current && setView(v));
    return () => void (current = false);
  }, [props.engine, props.captureId, props.connection, props.version]);
  if (!view) return <p className="loading">Loading connection {props.connection}…</p>;
  const event = chosen !== null ? view.ladder[chosen] : null;
  return (
    <div className="connection-pane">
      <h2>
        #{view.row.id} {view.row.client} → {view.row.server} · {view.row.protocol}
        <small> (chosen by {view.row.protocolBy})</small>{' '}
        {props.onReopened && <DecodeAsControl key={view.row.id} engine={props.engine} captureId={props.captureId} server={view.row.server} current={view.row.protocol} onReopened={props.onReopened} />}
      </h2>
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'ladder'} onClick={() => setTab('ladder')}>Handshake and ladder</button>
        <button role="tab" aria-selected={tab === 'follow'} onClick={() => setTab('follow')} data-testid="follow-tab">Follow stream</button>
        <button role="tab" aria-selected={tab === 'panel'} onClick={() => setTab('panel')} data-testid="panel-tab">{PANEL_TITLE[view.row.protocol] ?? 'Details'}</button>
      </div>
      {tab === 'panel' ? (
        <ProtocolPanel engine={props.engine} captureId={props.captureId} view={view} onFrame={props.onFrame} onConnection={(id) => props.onConnection?.(id)} />
      ) : tab === 'ladder' ? (
        <>
        <DiagramExport view={view} />
        <div className="diagrams">
          <HandshakeTimeline model={view.model} onFrame={props.onFrame} />
          <LadderDiagram events={view.ladder} client={view.row.client} server={view.row.server} selected={chosen} onSelect={(i) => { setChosen(i); props.onFrame(view.ladder[i].frame); }} />
        </div>
        </>
      ) : (
        <FollowStream engine={props.engine} captureId={props.captureId} connection={props.connection} version={props.version} />
      )}
      {view.tls && (
        <section className="tls-summary" data-testid="tls-summary">
          <h3>TLS{view.tls.upgrade ? ` (after ${view.tls.upgrade.toUpperCase()})` : ' (implicit)'}</h3>
          {view.tls.clientHello && (
            <p>
              ClientHello (frame {view.tls.clientHello.frame}): SNI {visible(view.tls.clientHello.sni ?? '(none)')}, offers {view.tls.clientHello.versions.length ? view.tls.clientHello.versions.join(', ') : view.tls.clientHello.legacyVersion}
              {view.tls.clientHello.alpn.length ? `, ALPN ${visible(view.tls.clientHello.alpn.join(', '))}` : ''}; JA3 {view.tls.clientHello.ja3Hash} · JA4 {view.tls.clientHello.ja4}
            </p>
          )}
          {view.tls.serverHello && <p>ServerHello (frame {view.tls.serverHello.frame}): {view.tls.serverHello.version}, {view.tls.serverHello.cipher}</p>}
          {view.tls.certificates.map((c, i) => (
            <p key={i}>Certificate: {visible(c.subject)} — issued by {visible(c.issuer)}</p>
          ))}
          <p>
            Encrypted from frame {view.tls.encryptedFrom.client ?? '—'} (client) and {view.tls.encryptedFrom.server ?? '—'} (server): {view.tls.encryptedRecords.client + view.tls.encryptedRecords.server} records
            that a capture cannot read.
          </p>
        </section>
      )}
      {tab === 'ladder' && (
      <aside className="explain" data-testid="explain">
        {event ? (
          <>
            <h3>{visible(event.label)}</h3>
            <p>{event.explain}</p>
            {event.lines && <pre>{event.lines.map(visible).join('\n')}</pre>}
            <p className="frames">frames {event.frames.slice(0, 20).join(', ')}{event.frames.length > 20 ? ' …' : ''}</p>
          </>
        ) : (
          <p className="hint">Choose an arrow of the ladder to read what it means.</p>
        )}
      </aside>
      )}
    </div>
  );
}
