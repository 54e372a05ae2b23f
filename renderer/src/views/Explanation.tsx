/**
 * The explanation of the selected step, as real text beside the ladder: what happened, in plain
 * words, the reply's class, credentials, TLS, TCP trouble around the step and what went wrong there;
 * Previous/Next buttons and the step number.
 */
import type { ConnectionView } from '../../../api/engine-api';
import { handshakeStepNumbers } from '../../../dissectors/tcp/handshake';
import type { LadderMark } from '../layout/ladder-marks';
import type { HandshakeKey, LessonStep } from '../layout/lesson-steps';
import { CREDENTIAL_SENTENCE, OUTCOME_TEXT, TLS_SENTENCE, TROUBLE_TEXT } from '../palette/palette';
import { plainTitle } from '../text/diagnostic-words';
import { visible } from '../text/visible';
import { KeyGlyph } from './KeyIcon';

export function Explanation(props: {
  view: ConnectionView | null;
  steps: LessonStep[];
  step: number | null;
  marks: Map<number, LadderMark[]>;
  onStep: (i: number) => void;
  onFrame: (f: number) => void;
  children?: React.ReactNode;
}) {
  const { view, steps, step } = props;
  const s = step !== null ? steps[step] : null;
  return (
    <section
      className="explain"
      role="region"
      aria-label="Explanation"
      data-testid="explain"
      aria-live="polite"
    >
      <div className="step-nav">
        <button
          type="button"
          onClick={() => props.onStep(step === null ? steps.length - 1 : step - 1)}
          disabled={!steps.length || step === 0}
          data-testid="step-prev"
          aria-keyshortcuts="ArrowLeft p"
        >
          ← Previous
        </button>
        <span className="step-count" data-testid="step-count">
          {s ? `Step ${step! + 1} of ${steps.length}` : `${steps.length} steps`}
        </span>
        <button
          type="button"
          onClick={() => props.onStep(step === null ? 0 : step + 1)}
          disabled={!steps.length || step === steps.length - 1}
          data-testid="step-next"
          aria-keyshortcuts="ArrowRight n Space"
        >
          Next →
        </button>
      </div>
      {!view ? (
        <p className="hint">Loading the connection…</p>
      ) : !s ? (
        <div className="explain-body">
          <h3>
            {view.row.protocol === 'unknown'
              ? 'A TCP connection'
              : `A ${view.row.protocol.toUpperCase()} conversation`}
          </h3>
          <p>
            The client {view.row.client} talks to the server {view.row.server}. Each arrow of the ladder is
            one step of their conversation.
          </p>
          <p>
            Press <kbd>→</kbd> (or <kbd>N</kbd>, <kbd>Space</kbd>, or Next) to go through it step by step,{' '}
            <kbd>←</kbd> to go back, or click an arrow or a packet.
          </p>
        </div>
      ) : s.type === 'tcp' ? (
        <TcpStep view={view} keyName={s.key} onFrame={props.onFrame} frame={s.frame} />
      ) : (
        <LadderStep
          view={view}
          index={s.index}
          marks={props.marks.get(s.index) ?? []}
          onFrame={props.onFrame}
        />
      )}
      {props.children}
    </section>
  );
}

function Frames(props: { frames: number[]; onFrame: (f: number) => void }) {
  const shown = props.frames.slice(0, 12);
  return (
    <p className="frames">
      {props.frames.length === 1 ? 'Frame ' : 'Frames '}
      {shown.map((f, i) => (
        <span key={f}>
          {i > 0 && ', '}
          <button type="button" className="link" onClick={() => props.onFrame(f)}>
            {f}
          </button>
        </span>
      ))}
      {props.frames.length > shown.length && ` … (${props.frames.length} in all)`}
    </p>
  );
}

function LadderStep(props: {
  view: ConnectionView;
  index: number;
  marks: LadderMark[];
  onFrame: (f: number) => void;
}) {
  const e = props.view.ladder[props.index];
  const here = props.view.diagnostics.filter((d) => d.frame !== undefined && e.frames.includes(d.frame));
  return (
    <div className="explain-body">
      <p className="step-who">
        {e.from === 'client' ? 'The client says to the server:' : 'The server says to the client:'}
      </p>
      <h3 className={e.outcome ? `outcome-text outcome-${e.outcome}` : undefined}>{visible(e.label)}</h3>
      {e.outcome && (
        <p className={`outcome-chip outcome-${e.outcome}`} data-testid="explain-outcome">
          <span className="swatch" aria-hidden="true" />
          {OUTCOME_TEXT[e.outcome].sentence}
        </p>
      )}
      <p>{e.explain}</p>
      {e.kind === 'auth' && (
        <p className="credential-note">
          <KeyGlyph /> {e.insideTls ? 'Key: this step carries a user name or password, sent inside TLS — readable here only because you supplied the keys.' : CREDENTIAL_SENTENCE}
        </p>
      )}
      {(e.kind === 'tls' || e.insideTls) && (
        <p className="tls-note">
          {e.insideTls
            ? 'These bytes were decrypted with the TLS key log you gave: on the wire they were encrypted.'
            : TLS_SENTENCE}
        </p>
      )}
      {e.lines && e.lines.length > 0 && <pre>{e.lines.map(visible).join('\n')}</pre>}
      {props.marks.length > 0 && (
        <div className="trouble-list">
          <h4>TCP trouble {props.marks.some((m) => m.own) ? 'in this step' : 'just after this step'}</h4>
          <ul>
            {props.marks.map((m) => (
              <li key={m.frame}>
                <button type="button" className="link" onClick={() => props.onFrame(m.frame)}>
                  Frame {m.frame}
                </button>
                : {m.kinds.map((k) => TROUBLE_TEXT[k].sentence).join(' ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {here.length > 0 && (
        <div className="trouble-list">
          <h4>What went wrong here</h4>
          <ul>
            {here.map((d, i) => (
              <li key={i}>
                {plainTitle(d)} <span className="detail-text">{visible(d.message)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Frames frames={e.frames} onFrame={props.onFrame} />
    </div>
  );
}

const TCP_TEXT: Record<HandshakeKey, { title: string; text: string }> = {
  syn: {
    title: 'SYN — “may I connect?”',
    text: 'The client asks the server to open a TCP connection. It picks a starting sequence number: from it, the client counts every byte it will send, so the server can put them in order and notice missing ones.',
  },
  synack: {
    title: 'SYN, ACK — “yes, and here is my number”',
    text: 'The server agrees: it acknowledges the client’s SYN (ACK) and picks its own starting sequence number (SYN) for the bytes it will send.',
  },
  ack: {
    title: 'ACK — the connection is open',
    text: 'The client acknowledges the server’s SYN. Both sides now know each other’s starting numbers: the three-way handshake is complete and data can flow.',
  },
  cfin: {
    title: 'FIN from the client — “I am done sending”',
    text: 'The client will send nothing more. It can still receive until the server sends its own FIN; each FIN is acknowledged.',
  },
  sfin: {
    title: 'FIN from the server — “I am done sending”',
    text: 'The server will send nothing more. It can still receive until the client sends its own FIN; each FIN is acknowledged.',
  },
  rst: {
    title: 'RST — the connection is aborted',
    text: 'A reset ends the connection at once, without the FIN goodbye: bytes not yet delivered are thrown away. A server also answers RST to a SYN when nothing listens on that port.',
  },
};

function TcpStep(props: {
  view: ConnectionView;
  keyName: HandshakeKey;
  frame: number;
  onFrame: (f: number) => void;
}) {
  const h = props.view.model.handshake;
  const seg =
    props.keyName === 'syn'
      ? h.syn
      : props.keyName === 'synack'
        ? h.synAck
        : props.keyName === 'ack'
          ? h.ack
          : null;
  const t = TCP_TEXT[props.keyName];
  const o = seg?.options;
  const facts: string[] = [];
  if (seg) {
    const n = handshakeStepNumbers(
      h,
      props.keyName === 'synack' ? 'synAck' : props.keyName === 'ack' ? 'ack' : 'syn',
    );
    facts.push(
      `Sequence number ${n?.relSeq ?? 0} (relative; raw ${seg.seq >>> 0}); window ${n?.window ?? seg.window} bytes (how much it can receive before an acknowledgement).`,
    );
    if (o?.mss !== null && o?.mss !== undefined)
      facts.push(`Largest segment it accepts (MSS): ${o.mss} bytes.`);
    if (o?.windowScale !== null && o?.windowScale !== undefined)
      facts.push(`Window scaling: its window counts in units of ${2 ** Math.min(14, o.windowScale)} bytes.`);
    if (o?.sackPermitted)
      facts.push('It can acknowledge pieces out of order (selective acknowledgement, SACK).');
    if (o?.timestamps) facts.push('It stamps segments with times (timestamps), to measure round trips.');
    if (props.keyName !== 'syn') facts.push(`${(seg.sinceSyn * 1000).toFixed(3)} ms after the SYN.`);
  }
  if (props.keyName === 'ack' && h.rttMs !== null && h.rttMs !== undefined)
    facts.push(`Round trip time seen in the handshake: ${h.rttMs.toFixed(3)} ms.`);
  const retried =
    props.keyName === 'syn'
      ? h.synRetransmissions
      : props.keyName === 'synack'
        ? h.synAckRetransmissions
        : [];
  return (
    <div className="explain-body">
      <p className="step-who">
        TCP {props.keyName === 'rst' ? 'reset' : props.keyName.endsWith('fin') ? 'teardown' : 'handshake'}
      </p>
      <h3>{t.title}</h3>
      <p>{t.text}</p>
      {facts.length > 0 && (
        <ul className="facts">
          {facts.map((f, i) => (
            <li key={i}>{f}</li>
          ))}
        </ul>
      )}
      {retried && retried.length > 0 && (
        <p className="trouble-list">
          {TROUBLE_TEXT.retransmission.sentence} ({retried.length} time{retried.length > 1 ? 's' : ''} here)
        </p>
      )}
      <Frames frames={[props.frame]} onFrame={props.onFrame} />
    </div>
  );
}
