/**
 * Each endpoint's TCP state while stepping: a small RFC 9293 state diagram per side with the state
 * after the current step lit (and the states it went through marked), and each change of the step
 * said in one plain sentence. The states are read from the packets (layout/tcp-states.ts).
 */
import { useMemo } from 'react';
import type { ConnectionModel, Direction, Endpoint } from '../../../dissectors/tcp/types';
import type { LessonStep } from '../layout/lesson-steps';
import { STATE_MEANING, stepSpan, tcpStatesAt, tcpTransitions, type TcpState } from '../layout/tcp-states';
import './tcp-states.css';

/** Where each state sits: the opening on top, the side that closes first on the left, the side that answers on the right. */
const CELLS: ReadonlyArray<{ state: Exclude<TcpState, 'unknown'>; col: string; row: number }> = [
  { state: 'CLOSED', col: '1', row: 1 },
  { state: 'LISTEN', col: '2', row: 1 },
  { state: 'SYN-SENT', col: '1', row: 2 },
  { state: 'SYN-RECEIVED', col: '2', row: 2 },
  { state: 'ESTABLISHED', col: '1 / span 2', row: 3 },
  { state: 'FIN-WAIT-1', col: '1', row: 4 },
  { state: 'CLOSE-WAIT', col: '2', row: 4 },
  { state: 'FIN-WAIT-2', col: '1', row: 5 },
  { state: 'LAST-ACK', col: '2', row: 5 },
  { state: 'CLOSING', col: '1 / span 2', row: 6 },
  { state: 'TIME-WAIT', col: '1 / span 2', row: 7 },
];

export function TcpStateDiagram(props: { model: ConnectionModel; steps: LessonStep[]; step: number | null }) {
  const { model, steps, step } = props;
  const transitions = useMemo(() => tcpTransitions(model), [model]);
  const span = stepSpan(steps, step);
  const now = tcpStatesAt(model, transitions, span.upTo, span.after);
  const passed = (side: Direction) =>
    new Set(transitions.filter((t) => t.frame <= span.upTo && t.side === side).map((t) => t.from));
  return (
    <section className="tcp-states" aria-label="TCP state of each side" data-testid="tcp-states">
      <h3>TCP state {step === null ? 'before the first packet' : `after step ${step + 1}`}</h3>
      <div className="tcp-states-sides">
        <Side side="client" endpoint={model.client} state={now.client} passed={passed('client')} />
        <Side side="server" endpoint={model.server} state={now.server} passed={passed('server')} />
      </div>
      {now.changes.length > 0 ? (
        <ul className="tcp-state-changes" data-testid="tcp-state-changes">
          {now.changes.map((c, i) => (
            <li key={i}>
              <span className="tcp-state-move">
                {c.from === 'unknown' ? '?' : c.from} → {c.to}
              </span>{' '}
              {c.sentence}
            </li>
          ))}
        </ul>
      ) : (
        step !== null && <p className="tcp-state-none">Neither side changed state in this step.</p>
      )}
      <p className="tcp-state-how">
        Read from the packets: a side changes state when its own packet, or its answer to the other side’s,
        shows it.
      </p>
    </section>
  );
}

function Side(props: { side: Direction; endpoint: Endpoint; state: TcpState; passed: Set<TcpState> }) {
  const { side, state } = props;
  const ep = props.endpoint.ip.includes(':')
    ? `[${props.endpoint.ip}]:${props.endpoint.port}`
    : `${props.endpoint.ip}:${props.endpoint.port}`;
  return (
    <figure className="tcp-state-side" data-testid={`tcp-state-${side}`} data-state={state}>
      <figcaption>
        <strong>{side === 'client' ? 'Client' : 'Server'}</strong> <span className="tcp-state-ep">{ep}</span>
      </figcaption>
      <ol className="tcp-state-grid" aria-label={`${side} states (RFC 9293)`}>
        {CELLS.map((c) => (
          <li
            key={c.state}
            className={`tcp-state${c.state === state ? ' lit' : props.passed.has(c.state) ? ' passed' : ''}`}
            style={{ gridColumn: c.col, gridRow: c.row }}
            aria-current={c.state === state ? 'true' : undefined}
          >
            {c.state}
          </li>
        ))}
      </ol>
      <p className="tcp-state-now" data-testid={`tcp-state-${side}-now`}>
        {state === 'unknown' ? 'Unknown: ' : `${state}: `}
        {STATE_MEANING[state]}
      </p>
    </figure>
  );
}
