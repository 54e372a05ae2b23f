/**
 * "What went wrong": every diagnostic of the engine for this connection, in plain words, grouped by
 * severity, each a link to its step and frame; then the capture's own (damaged records, dropped
 * packets) and the connections that were refused or reset.
 */
import type { ConnectionRow, ConnectionView, FrameMark } from '../../../api/engine-api';
import type { Diagnostic } from '../../../dissectors/model/diagnostic';
import { troubleOf } from '../palette/palette';
import { bySeverity, plainTitle, SEVERITY_NAME } from '../text/diagnostic-words';
import { visible } from '../text/visible';

/** The frame a diagnostic points at: its own, else the first frame whose marks show the same trouble. */
export function diagnosticFrame(d: Diagnostic, view: ConnectionView): number | null {
  if (d.frame !== undefined) return d.frame;
  const marks: FrameMark[] = view.frameMarks ?? [];
  if (d.code.startsWith('tcp.segment.retransmission'))
    return marks.find((m) => troubleOf(m).includes('retransmission'))?.frame ?? null;
  if (d.code.startsWith('tcp.handshake')) return view.model.handshake.syn?.frame ?? view.row.firstFrame;
  return null;
}

const QUIET = new Set(['closed', 'closing', 'open']);

export function WhatWentWrong(props: {
  view: ConnectionView;
  captureDiagnostics: Diagnostic[];
  rows: ConnectionRow[];
  onFrame: (f: number) => void;
  onConnection: (id: number) => void;
}) {
  const groups = bySeverity(props.view.diagnostics);
  const captureGroups = bySeverity(props.captureDiagnostics);
  const troubled = props.rows.filter((r) => !QUIET.has(r.status) && r.id !== props.view.row.id).slice(0, 50);
  return (
    <div className="what-went-wrong" data-testid="what-went-wrong">
      <h3>This connection</h3>
      {groups.length === 0 ? (
        <p>Nothing went wrong that the analysis noticed.</p>
      ) : (
        groups.map((g) => (
          <section
            key={g.severity}
            className={`severity severity-${g.severity}`}
            aria-label={SEVERITY_NAME[g.severity]}
          >
            <h4>
              {SEVERITY_NAME[g.severity]} ({g.items.length})
            </h4>
            <ul>
              {g.items.map((d, i) => {
                const f = diagnosticFrame(d, props.view);
                return (
                  <li key={i} data-testid="problem">
                    {f !== null ? (
                      <button type="button" className="link" onClick={() => props.onFrame(f)}>
                        {plainTitle(d)}
                      </button>
                    ) : (
                      <strong>{plainTitle(d)}</strong>
                    )}
                    {f !== null && <span className="frame-ref"> (frame {f})</span>}
                    <br />
                    <span className="detail-text">{visible(d.message)}</span>
                  </li>
                );
              })}
            </ul>
          </section>
        ))
      )}
      <h3>This capture</h3>
      {captureGroups.length === 0 && troubled.length === 0 && <p>Nothing else went wrong in this capture.</p>}
      {captureGroups.map((g) => (
        <section
          key={g.severity}
          className={`severity severity-${g.severity}`}
          aria-label={`capture: ${SEVERITY_NAME[g.severity]}`}
        >
          <h4>
            {SEVERITY_NAME[g.severity]} ({g.items.length})
          </h4>
          <ul>
            {g.items.map((d, i) => (
              <li key={i}>
                <strong>{plainTitle(d)}</strong>
                <br />
                <span className="detail-text">{visible(d.message)}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {troubled.length > 0 && (
        <section aria-label="other connections">
          <h4>Other connections that did not end normally</h4>
          <ul>
            {troubled.map((r) => (
              <li key={r.id}>
                <button type="button" className="link" onClick={() => props.onConnection(r.id)}>
                  #{r.id} {r.client} → {r.server}
                </button>
                : {r.status}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
