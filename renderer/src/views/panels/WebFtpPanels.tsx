/** HTTP exchanges, FTP transfers (with the PASV arithmetic) and FTP data connections. */
import { useState } from 'react';
import type { CaptureId, EngineApi } from '../../../../api/engine-api';
import type { FtpSummary } from '../../../../dissectors/app/ftp/ftp';
import type { FtpDataSummary } from '../../../../dissectors/app/ftp/ftp-data';
import type { HttpExchange } from '../../../../dissectors/app/http/http';
import { safeFileName, saveBytes } from '../../client/save-bytes';
import { visible } from '../../text/visible';

export function HttpPanel(props: { http: { exchanges: HttpExchange[] }; onFrame: (f: number) => void }) {
  return (
    <section className="protocol-panel" data-testid="http-panel">
      <p>HTTP/1.x is plain text over TCP: each request and response below was read straight from the bytes.</p>
      {props.http.exchanges.map((x, i) => (
        <details key={i} className="http-exchange" data-testid="http-exchange">
          <summary>
            {x.request ? `${visible(x.request.method)} ${visible(x.request.uri)}${x.request.host ? ` (Host: ${visible(x.request.host)})` : ''}` : '(no request seen)'} →{' '}
            {x.response ? `${x.response.status} ${visible(x.response.reason)}${x.response.contentType ? `, ${visible(x.response.contentType)}` : ''}, ${x.response.bodyBytes} bytes` : 'no response'}
          </summary>
          {x.request && <HeaderTable title={`Request (frame ${x.request.frame})`} headers={x.request.headers} onFrame={() => props.onFrame(x.request!.frame)} />}
          {x.response && <HeaderTable title={`Response (frame ${x.response.frame})`} headers={x.response.headers} onFrame={() => props.onFrame(x.response!.frame)} />}
        </details>
      ))}
    </section>
  );
}

function HeaderTable(props: { title: string; headers: Array<[string, string]>; onFrame: () => void }) {
  return (
    <table className="kv">
      <caption><button type="button" className="link" onClick={props.onFrame}>{props.title}</button></caption>
      <tbody>
        {props.headers.map(([k, v], i) => (
          <tr key={i}><th>{visible(k)}</th><td>{visible(v)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** "(127,0,0,1,185,13) → 185 × 256 + 13 = 47373": the lesson's arithmetic, from the port. */
export function pasvArithmetic(port: number): string {
  const p1 = port >> 8;
  const p2 = port & 255;
  return `p1 × 256 + p2 = ${p1} × 256 + ${p2} = ${port}`;
}

export function FtpPanel(props: { ftp: FtpSummary; onFrame: (f: number) => void; onConnection: (id: number) => void }) {
  const s = props.ftp;
  return (
    <section className="protocol-panel" data-testid="ftp-panel">
      <p>User <b>{visible(s.user ?? '—')}</b> ({s.loggedIn ? 'logged in' : 'not logged in'}). Files and listings travel on separate data connections:</p>
      <table className="transfers">
        <thead><tr><th>Command</th><th>Mode</th><th>Data connection address</th><th>Data connection</th></tr></thead>
        <tbody>
          {s.transfers.map((t, i) => (
            <tr key={i} data-testid="ftp-transfer">
              <td><button type="button" className="link" onClick={() => props.onFrame(t.frame)}>{visible(`${t.command} ${t.argument}`.trim())}</button></td>
              <td>{t.mode ?? '—'}</td>
              <td>{t.port !== null ? `${visible(t.host ?? '(same host)')}:${t.port}${t.mode === 'PASV' || t.mode === 'PORT' ? ` — ${pasvArithmetic(t.port)}` : ''}` : '—'}</td>
              <td>{t.dataConnection !== null ? <button type="button" className="link" data-testid="ftp-data-link" onClick={() => props.onConnection(t.dataConnection!)}>#{t.dataConnection}</button> : 'not in the capture'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function FtpDataPanel(props: { engine: EngineApi; captureId: CaptureId; connection: number; data: FtpDataSummary; onConnection: (id: number) => void }) {
  const d = props.data;
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      const t = await props.engine.getTransfer(props.captureId, props.connection);
      await saveBytes(safeFileName(`ftp-transfer-${props.connection}.bin`, 'transfer.bin'), 'application/octet-stream', t.bytesBase64);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="protocol-panel" data-testid="ftp-data-panel">
      <p>
        FTP data connection ({d.mode}) of control connection{' '}
        <button type="button" className="link" onClick={() => props.onConnection(d.controlConnection)}>#{d.controlConnection}</button>: {d.command ? `${d.kind === 'listing' ? 'the directory listing' : 'the file'} of ${visible(`${d.command} ${d.argument ?? ''}`.trim())}, ` : ''}{d.bytes} bytes from the {d.sender ?? d.direction ?? '—'}
        {d.sha256 ? ` (sha256 ${d.sha256.slice(0, 16)}…)` : ''}. <button type="button" onClick={() => void save()} data-testid="save-transfer">Save…</button>
      </p>
      {d.text !== null && <pre className="mail-text">{visible(d.text.slice(0, 4000))}</pre>}
      {error && <p className="warn">{error}</p>}
    </section>
  );
}
