/**
 * One email message as the lesson explains it: the envelope (what the SMTP server was told) beside
 * the headers (what the reader sees), the spoofed-From and Bcc warnings, the MIME parts, and the
 * attachments with a Save button. Every captured string is shown as text.
 */
import { useState } from 'react';
import type { CaptureId, EngineApi } from '../../../../api/engine-api';
import type { MailMessage } from '../../../../dissectors/app/mail/message';
import { safeFileName, saveBytes } from '../../client/save-bytes';
import { visible } from '../../text/visible';
import { FROM_NOTES } from '../../../../dissectors/app/mail/lesson-checks';

/** `number`: the message number the POP3 client used (RETR 2); the title shows it instead of the order of reading. */
export function MailMessageView(props: { engine: EngineApi; captureId: CaptureId; connection: number; index: number; number?: number | null; message: MailMessage; onFrame: (f: number) => void }) {
  const { message: m } = props;
  const [error, setError] = useState<string | null>(null);
  const save = async (k: number) => {
    setError(null);
    try {
      const a = await props.engine.getAttachment(props.captureId, props.connection, props.index, k);
      await saveBytes(safeFileName(a.name, `attachment-${k + 1}`), a.type, a.bytesBase64);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <article className="mail-message" data-testid="mail-message">
      <h4>
        Message {props.number ?? props.index + 1}: {visible(m.headers.subject ?? '(no subject)')}{' '}
        <button type="button" className="link" onClick={() => props.onFrame(m.frame)}>frame {m.frame}</button>
        <small> · {m.size} bytes{m.truncated ? ' (kept in part)' : ''}</small>
      </h4>
      {m.spoofed && (
        <p className={m.fromDomainMismatch ? 'warn-box' : 'hint'} data-testid="spoofed-warning">
          From: {visible(m.headers.from ?? '')} · envelope sender: {visible(m.envelope?.mailFrom ?? '')}.{' '}
          {m.fromDomainMismatch ? FROM_NOTES.unrelated : FROM_NOTES.differs}
        </p>
      )}
      {m.mimeHeadersInBody && (
        <p className="warn-box" data-testid="mime-in-body-warning">
          {FROM_NOTES.mimeInBody}
        </p>
      )}
      <table className="envelope-vs-headers" data-testid="envelope-vs-headers">
        <thead>
          <tr><th /><th>Envelope (SMTP commands: where it is delivered)</th><th>Headers (inside the message: what the reader sees)</th></tr>
        </thead>
        <tbody>
          <tr><th>From</th><td>{m.envelope ? `MAIL FROM:<${visible(m.envelope.mailFrom ?? '')}>` : '— (not seen: POP3 gets only the message)'}</td><td>{visible(m.headers.from ?? '—')}</td></tr>
          <tr><th>To</th><td>{m.envelope ? m.envelope.rcptTo.map((r) => `RCPT TO:<${visible(r)}>`).join(' ') : '—'}</td><td>{visible(m.headers.to ?? '—')}{m.headers.cc ? ` · Cc: ${visible(m.headers.cc)}` : ''}</td></tr>
          <tr><th>Subject</th><td>—</td><td>{visible(m.headers.subject ?? '—')}</td></tr>
          <tr><th>Date</th><td>—</td><td>{visible(m.headers.date ?? '—')}</td></tr>
        </tbody>
      </table>
      {m.bcc.length > 0 && (
        <p className="note" data-testid="bcc-note">Blind copy: {m.bcc.map(visible).join(', ')} received it (RCPT TO) but no header names them — that is all Bcc is.</p>
      )}
      {m.mime && (
        <>
          <ul className="mime-parts" data-testid="mime-parts">
            {m.mime.parts.map((p, i) => (
              <li key={i}>{visible(p.mimeType)}{p.filename ? ` — ${visible(p.filename)}` : ''} · {p.size} bytes</li>
            ))}
          </ul>
          {m.mime.attachments.map((a, k) => (
            <p key={k} className="attachment" data-testid="attachment">
              Attachment {visible(a.filename ?? '(no name)')} ({visible(a.mimeType)}, {a.size} bytes, sent as base64 text inside the message; sha256 {a.sha256.slice(0, 16)}…){' '}
              <button type="button" onClick={() => void save(k)} data-testid="save-attachment">Save…</button>
            </p>
          ))}
          {m.mime.text && <pre className="mail-text">{visible(m.mime.text.slice(0, 4000))}</pre>}
        </>
      )}
      <details>
        <summary>All {m.headerFields.length} header fields</summary>
        <table className="kv">
          <tbody>
            {m.headerFields.map((h, i) => (
              <tr key={i}><th>{visible(h.name)}</th><td>{visible(h.value)}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
      {error && <p className="warn">{error}</p>}
    </article>
  );
}
