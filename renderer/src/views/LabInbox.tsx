/**
 * The lab inbox (Mailpit's web page, in the app): the messages the lab's SMTP server received, each
 * with its envelope, its header fields and its raw source, and the connections that delivered and
 * retrieved it. All text is shown as text, with invisible characters made visible.
 */
import { useEffect, useState } from 'react';
import type { EngineApi, LabMessageSummary } from '../../../api/engine-api';
import { visible } from '../text/visible';

type Raw = { uid: string; raw: string; size: number; truncated: boolean };

/** A button that shows one connection of the capture (by its client port), when the lab captures. */
function ShowConnection({ port, onFilter }: { port: number; onFilter?: (filter: string) => void }) {
  if (!onFilter) return null;
  return (
    <button
      type="button"
      className="lab-show-connection"
      data-testid="lab-show-connection"
      onClick={() => onFilter(`tcp.port == ${port}`)}
    >
      Show this connection
    </button>
  );
}

export function LabInbox({
  engine,
  messages,
  onFilter,
}: {
  engine: EngineApi;
  messages: LabMessageSummary[];
  onFilter?: (filter: string) => void;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [raw, setRaw] = useState<Raw | null>(null);
  const [error, setError] = useState<string | null>(null);
  const message = messages.find((m) => m.uid === chosen) ?? null;
  useEffect(() => {
    setRaw(null);
    setError(null);
  }, [chosen]);

  if (!messages.length)
    return (
      <p className="hint" data-testid="lab-inbox-empty">
        No message yet. Send one (the first exercise of “Type this”) and it appears here.
      </p>
    );
  return (
    <div className="lab-inbox" data-testid="lab-inbox">
      <ul className="lab-message-list" aria-label="Received messages">
        {messages.map((m) => (
          <li key={m.uid}>
            <button
              type="button"
              aria-pressed={m.uid === chosen}
              onClick={() => setChosen(m.uid)}
              data-testid="lab-message"
            >
              <strong>{visible(m.subject) || '(no subject)'}</strong>
              <span>{visible(m.from || m.envelope.mailFrom || '(no sender)')}</span>
              <span className="lab-time">{new Date(m.receivedAt).toLocaleTimeString()}</span>
            </button>
          </li>
        ))}
      </ul>
      {message && (
        <article className="lab-message" data-testid="lab-message-detail">
          <h3>{visible(message.subject) || '(no subject)'}</h3>
          <dl className="lab-envelope">
            <dt>Envelope sender (MAIL FROM)</dt>
            <dd>{visible(message.envelope.mailFrom) || '(empty: a bounce)'}</dd>
            <dt>Envelope recipients (RCPT TO)</dt>
            <dd>{visible(message.envelope.rcptTo.join(', '))}</dd>
          </dl>
          <p className="lab-note">
            The envelope is what the SMTP server delivers by; the From: and To: headers below are only text
            inside the message, and nothing forces them to match.
          </p>
          <p data-testid="lab-delivered">
            Delivered by the SMTP connection from {message.deliveredBy.address} port{' '}
            {message.deliveredBy.port}
            {message.deliveredBy.tls ? ' (over TLS)' : ''}
            {message.deliveredBy.user
              ? `, logged in as ${visible(message.deliveredBy.user)}`
              : ', without logging in'}{' '}
            — filter the capture with <code>tcp.port == {message.deliveredBy.port}</code> to see it.{' '}
            <ShowConnection port={message.deliveredBy.port} onFilter={onFilter} />
          </p>
          {message.retrievedBy.length > 0 && (
            <p>
              Retrieved over POP3 by:{' '}
              {message.retrievedBy.map((r, i) => (
                <span key={i}>
                  {i ? ', ' : ''}
                  {r.address} port {r.port}
                  {r.tls ? ' (TLS)' : ''} <ShowConnection port={r.port} onFilter={onFilter} />
                </span>
              ))}
            </p>
          )}
          {message.attachments.length > 0 && (
            <ul className="lab-attachments" aria-label="Attachments" data-testid="lab-attachments">
              {message.attachments.map((a, i) => (
                <li key={i}>
                  {visible(a.filename ?? '(no name)')} · {visible(a.mimeType)} · {a.size} bytes · sha256{' '}
                  <code>{a.sha256.slice(0, 16)}…</code>
                </li>
              ))}
            </ul>
          )}
          {message.mimeProblem && <p className="warn">{message.mimeProblem}</p>}
          <table className="lab-headers">
            <caption>Header fields ({message.headers.length})</caption>
            <tbody>
              {message.headers.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{visible(h.name)}</th>
                  <td>{visible(h.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {raw?.uid === message.uid ? (
            <>
              <h4>
                Raw source ({raw.size} bytes{raw.truncated ? ', the first 1 MiB shown' : ''})
              </h4>
              <pre className="lab-raw" data-testid="lab-raw">
                {visible(raw.raw)}
              </pre>
            </>
          ) : (
            <button
              type="button"
              data-testid="lab-show-raw"
              onClick={() => {
                const get = engine.getLabMessage;
                if (!get) return setError('this engine runs no lab');
                get.call(engine, message.uid).then(setRaw, (e: Error) => setError(e.message));
              }}
            >
              Show the raw source
            </button>
          )}
          {error && <p className="warn">{error}</p>}
        </article>
      )}
    </div>
  );
}
