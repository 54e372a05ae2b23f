/** The protocol view of one connection: picks the panel from the summary it carries, plus credentials seen in clear. */
import { useEffect, useState } from 'react';
import type { CaptureId, ConnectionView, EngineApi } from '../../../../api/engine-api';
import type { Credential } from '../../../../dissectors/app/types';
import type { FtpSummary } from '../../../../dissectors/app/ftp/ftp';
import type { FtpDataSummary } from '../../../../dissectors/app/ftp/ftp-data';
import type { HttpExchange } from '../../../../dissectors/app/http/http';
import type { Pop3Summary } from '../../../../dissectors/app/pop3/pop3';
import type { SmtpSummary } from '../../../../dissectors/app/smtp/smtp';
import { visible } from '../../text/visible';
import { Pop3Panel, SmtpPanel } from './MailPanels';
import { FtpDataPanel, FtpPanel, HttpPanel } from './WebFtpPanels';

export function ProtocolPanel(props: { engine: EngineApi; captureId: CaptureId; view: ConnectionView; onFrame: (f: number) => void; onConnection: (id: number) => void }) {
  const { view } = props;
  const s = view.summary;
  const common = { engine: props.engine, captureId: props.captureId, connection: view.row.id, onFrame: props.onFrame };
  const [creds, setCreds] = useState<Credential[]>([]);
  useEffect(() => {
    let current = true;
    props.engine.getCredentials(props.captureId).then(
      (all) => current && setCreds(all.filter((c) => c.connection === view.row.id)),
      () => undefined,
    );
    return () => void (current = false);
  }, [props.engine, props.captureId, view.row.id]);
  return (
    <div className="protocol-panels">
      {creds.length > 0 && (
        <section className="protocol-panel credentials" data-testid="credentials">
          <h4>{creds.every((c) => c.insideTls) ? 'Credentials sent inside TLS' : 'Credentials sent in clear text'}</h4>
          <ul>
            {creds.map((c, i) => (
              <li key={i} data-outcome={c.outcome}>
                {visible(c.mechanism)}: user <b>{visible(c.username)}</b>, password <b>{c.password === null ? '(not seen)' : visible(c.password)}</b>
                {c.outcome ? ` — ${c.outcome === 'accepted' ? 'the server accepted this login' : c.outcome === 'refused' ? 'the server refused this login' : 'no answer from the server seen'}` : ''}
                {c.insideTls ? ' — sent inside TLS — readable here only because you supplied the keys' : ''}{' '}
                <button type="button" className="link" onClick={() => props.onFrame(c.frame)}>frame {c.frame}</button>
              </li>
            ))}
          </ul>
          <p className="note">
            {creds.every((c) => c.insideTls)
              ? 'On the wire these were encrypted: anyone on the path saw only TLS records. They are readable here only because you supplied the session keys.'
              : 'Anyone who can capture this traffic can read them. With TLS (STARTTLS, STLS, AUTH TLS or an implicit-TLS port) they would be encrypted.'}
          </p>
        </section>
      )}
      {'smtp' in s && <SmtpPanel {...common} smtp={s.smtp as SmtpSummary} />}
      {'pop3' in s && <Pop3Panel {...common} pop3={s.pop3 as Pop3Summary} />}
      {'http' in s && <HttpPanel http={s.http as { exchanges: HttpExchange[] }} onFrame={props.onFrame} />}
      {'ftp' in s && <FtpPanel ftp={s.ftp as FtpSummary} onFrame={props.onFrame} onConnection={props.onConnection} />}
      {'ftpData' in s && <FtpDataPanel {...common} data={s.ftpData as FtpDataSummary} onConnection={props.onConnection} />}
      {!['smtp', 'pop3', 'http', 'ftp', 'ftpData'].some((k) => k in s) && !creds.length && <p className="hint">No protocol summary for this connection ({view.row.protocol}).</p>}
    </div>
  );
}
