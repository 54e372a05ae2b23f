/**
 * Expert Information (Wireshark's Analyze › Expert Information): every diagnostic of the capture
 * grouped by severity, then by group, protocol and summary, with counts; an entry opens to its
 * items, each a link to its frame. The same diagnostics "What went wrong" explains per connection.
 */
import { useEffect, useState } from 'react';
import type {
  CaptureId,
  EngineApi,
  ExpertInfo as ExpertData,
  ExpertSeverity,
} from '../../../../api/engine-api';
import { visible } from '../../text/visible';

const SEVERITIES: Array<{ key: ExpertSeverity; name: string; help: string }> = [
  { key: 'error', name: 'Errors', help: 'the bytes break the protocol, or a packet is damaged' },
  { key: 'warn', name: 'Warnings', help: 'something went wrong: a reset, a lost segment, a refused command' },
  { key: 'note', name: 'Notes', help: 'unusual but often harmless: retransmissions, duplicate ACKs' },
  { key: 'chat', name: 'Chats', help: 'the normal course of a conversation: connections opened and closed' },
];

export function ExpertInfo(props: {
  engine: EngineApi;
  captureId: CaptureId;
  onFrame: (frame: number, connection: number) => void;
}) {
  const [data, setData] = useState<ExpertData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Record<ExpertSeverity, boolean>>({
    error: true,
    warn: true,
    note: true,
    chat: true,
  });
  useEffect(() => {
    let current = true;
    setData(null);
    if (!props.engine.getExpertInfo) return setError('this engine has no Expert Information');
    props.engine.getExpertInfo(props.captureId).then(
      (d) => current && setData(d),
      (e: Error) => current && setError(e.message),
    );
    return () => void (current = false);
  }, [props.engine, props.captureId]);
  if (error)
    return (
      <p className="warn" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="loading">Reading the diagnostics…</p>;
  return (
    <div className="expert-info" data-testid="expert-info">
      <p className="wb-intro">
        What the analysis noticed, as Wireshark&apos;s Expert Information groups it. Open a line to see its
        packets; a packet number selects it.
      </p>
      <div className="expert-toggles" role="group" aria-label="Severities shown">
        {SEVERITIES.map((s) => (
          <label key={s.key} className={`expert-sev expert-${s.key}`} title={s.help}>
            <input
              type="checkbox"
              checked={shown[s.key]}
              onChange={(e) => setShown({ ...shown, [s.key]: e.target.checked })}
            />{' '}
            {s.name} <span data-testid={`expert-total-${s.key}`}>{data.totals[s.key]}</span>
          </label>
        ))}
      </div>
      <table className="wb-table expert-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Summary</th>
            <th scope="col">Group</th>
            <th scope="col">Protocol</th>
            <th scope="col" className="num">
              Count
            </th>
          </tr>
        </thead>
        {data.entries
          .filter((e) => shown[e.severity])
          .map((e, i) => (
            <tbody key={i} className={`expert-${e.severity}`}>
              <tr data-testid="expert-entry">
                <td>{SEVERITIES.find((s) => s.key === e.severity)?.name.replace(/s$/, '')}</td>
                <td>
                  <details>
                    <summary title={e.code}>{visible(e.summary)}</summary>
                    <ul className="expert-items">
                      {e.items.map((it, k) => (
                        <li key={k}>
                          {it.frame !== null ? (
                            <button
                              type="button"
                              className="link"
                              data-testid="expert-frame"
                              onClick={() => props.onFrame(it.frame!, it.connection)}
                            >
                              frame {it.frame}
                            </button>
                          ) : (
                            <span>{it.connection >= 0 ? `connection ${it.connection}` : 'the file'}</span>
                          )}
                          {it.message !== e.summary && (
                            <span className="detail-text"> {visible(it.message)}</span>
                          )}
                        </li>
                      ))}
                      {e.items.length < e.count && <li>… and {e.count - e.items.length} more</li>}
                    </ul>
                  </details>
                </td>
                <td>{e.group}</td>
                <td>{e.protocol}</td>
                <td className="num">{e.count}</td>
              </tr>
            </tbody>
          ))}
      </table>
      {data.entries.length === 0 && <p>Nothing to report: the analysis noticed nothing unusual.</p>}
    </div>
  );
}
