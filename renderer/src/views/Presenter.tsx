/**
 * Presenter mode: only the ladder and the explanation, in large type, for a projector. The ladder
 * reveals one step at a time (the steps not yet reached are hidden); →/← (n/p, Space) step, Escape
 * leaves; Play reveals the next steps by the capture's own clock (scaled) or evenly.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionView } from '../../../api/engine-api';
import { ladderMarks } from '../layout/ladder-marks';
import { stepOfLadder, type LessonStep } from '../layout/lesson-steps';
import { PLAY_SPEEDS, waitAfter, type PlaySpeed } from '../layout/presenter-timing';
import { Explanation } from './Explanation';
import { LadderDiagram } from './LadderDiagram';
import { TcpStateDiagram } from './TcpStateDiagram';
import './presenter.css';

export function Presenter(props: {
  view: ConnectionView;
  steps: LessonStep[];
  step: number | null;
  onStep: (i: number) => void;
  onFrame: (f: number) => void;
  onClose: () => void;
}) {
  const { view, steps, step } = props;
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<PlaySpeed>('even-2');
  const box = useRef<HTMLDivElement>(null);
  const marks = useMemo(() => ladderMarks(view.ladder, view.frameMarks ?? []), [view]);
  const close = useRef(props.onClose);
  close.current = props.onClose;
  // Read when a timer fires: a re-render of the window does not restart the wait.
  const onStep = useRef(props.onStep);
  onStep.current = props.onStep;

  // A slide starts on the first step; the keys go to the slide (its first control has the focus).
  useEffect(() => {
    if (step === null && steps.length) props.onStep(0);
    box.current?.querySelector<HTMLElement>('[data-testid="presenter-leave"]')?.focus();
    // Only when presenter mode opens.
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Auto-play: the next step after the chosen wait; stops at the last one.
  useEffect(() => {
    if (!playing) return;
    const at = step ?? -1;
    const wait = at < 0 ? 0 : waitAfter(steps, at, speed, view.model, view.ladder);
    if (wait === null) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => onStep.current(at + 1), wait);
    return () => clearTimeout(t);
  }, [playing, step, speed, steps, view]);

  // The ladder events of the steps reached so far: later ones are not drawn yet.
  const revealed = useMemo(() => {
    if (step === null) return 0;
    let n = 0;
    for (let i = 0; i <= step && i < steps.length; i++) {
      const s = steps[i];
      if (s.type === 'ladder') n = Math.max(n, s.index + 1);
    }
    return n;
  }, [steps, step]);
  const events = useMemo(() => view.ladder.slice(0, revealed), [view, revealed]);
  const current =
    step !== null && steps[step]?.type === 'ladder' ? (steps[step] as { index: number }).index : null;
  const hidden = view.ladder.length - revealed;

  return (
    <div
      className="presenter"
      role="dialog"
      aria-modal="true"
      aria-label="Presenter mode"
      data-testid="presenter"
      ref={box}
    >
      <div className="presenter-bar">
        <h2>
          {view.row.client} → {view.row.server} ·{' '}
          {view.row.protocol === 'unknown' ? 'TCP' : view.row.protocol.toUpperCase()}
        </h2>
        <button
          type="button"
          onClick={() => setPlaying((p) => !p)}
          aria-pressed={playing}
          data-testid="presenter-play"
        >
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <label>
          Speed{' '}
          <select
            value={speed}
            onChange={(e) => setSpeed(e.target.value as PlaySpeed)}
            data-testid="presenter-speed"
          >
            {PLAY_SPEEDS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <span className="presenter-keys">
          <kbd>→</kbd> next · <kbd>←</kbd> back · <kbd>Esc</kbd> leave
        </span>
        <button
          type="button"
          onClick={props.onClose}
          data-testid="presenter-leave"
          aria-label="Leave presenter mode"
        >
          Leave
        </button>
      </div>
      <div className="presenter-body">
        <div className="presenter-ladder">
          <LadderDiagram
            events={events}
            client={view.row.client}
            server={view.row.server}
            marks={marks}
            current={current}
            onSelect={(i) => props.onStep(stepOfLadder(steps, i))}
          />
          {hidden > 0 && (
            <p className="presenter-hidden" data-testid="presenter-hidden">
              {hidden} more {hidden === 1 ? 'step' : 'steps'} to come
            </p>
          )}
        </div>
        <Explanation
          view={view}
          steps={steps}
          step={step}
          marks={marks}
          onStep={props.onStep}
          onFrame={props.onFrame}
        >
          <TcpStateDiagram model={view.model} steps={steps} step={step} />
        </Explanation>
      </div>
    </div>
  );
}
