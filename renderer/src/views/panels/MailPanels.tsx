/** SMTP and POP3 summaries: the session facts, then each message (MailMessageView). */
import type { CaptureId, EngineApi } from '../../../../api/engine-api';
import type { Pop3Summary } from '../../../../dissectors/app/pop3/pop3';
import type { SmtpSummary } from '../../../../dissectors/app/smtp/smtp';
import { visible } from '../../text/visible';
import { MailMessageView } from './MailMessageView';

interface Common {
  engine: EngineApi;
  captureId: CaptureId;
  connection: number;
  onFrame: (f: number) => void;
}

export function SmtpPanel(props: Common & { smtp: SmtpSummary }) {
  const s = props.smtp;
  return (
    <section className="protocol-panel" data-testid="smtp-panel">
      <p>
        Client introduced itself as <b>{visible(s.helo ?? '—')}</b>; server extensions: {s.extensions.length ? s.extensions.map(visible).join(', ') : '—'}.{' '}
        {s.authMechanism ? `Logged in with AUTH ${visible(s.authMechanism)} (${s.authenticated ? 'accepted' : s.authenticated === false ? 'refused' : 'no answer'}).` : 'No login.'}
      </p>
      <ol className="transactions">
        {s.transactions.map((t, i) => (
          <li key={i}>
            MAIL FROM:&lt;{visible(t.mailFrom ?? '')}&gt; → {t.rcptTo.map((r) => `<${visible(r)}>`).join(', ') || 'no recipients'}:{' '}
            {t.outcome === 'message' ? `message ${Number(t.message) + 1} sent` : t.outcome === 'reset' ? 'abandoned (RSET or a new MAIL)' : 'still open when the capture ended'}
          </li>
        ))}
      </ol>
      {s.messages.map((m, i) => (
        <MailMessageView key={i} {...props} index={i} message={m} />
      ))}
    </section>
  );
}

export function Pop3Panel(props: Common & { pop3: Pop3Summary }) {
  const s = props.pop3;
  return (
    <section className="protocol-panel" data-testid="pop3-panel">
      <p>
        User <b>{visible(s.user ?? '—')}</b>; mailbox {s.stat ? `${s.stat.messages} message(s), ${s.stat.octets} bytes (STAT)` : 'size not asked'}; {s.retrieved.length} message(s) read (RETR/TOP);{' '}
        {s.deleted.length ? `marked for deletion: ${s.deleted.join(', ')} (DELE — removed at QUIT)` : 'nothing deleted'}.
      </p>
      {s.retrieved.map((m, i) => (
        <MailMessageView key={i} {...props} index={i} number={m.number} message={m} />
      ))}
    </section>
  );
}
