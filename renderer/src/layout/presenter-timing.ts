/**
 * Presenter mode's auto-play: when each step of a lesson happened, and how long to wait before
 * revealing the next one — by the capture's own clock (scaled, long pauses shortened) or evenly.
 * Data in, delays out: no drawing.
 */
import type { LadderEvent } from '../../../dissectors/app/types';
import type { ConnectionModel } from '../../../dissectors/tcp/types';
import type { LessonStep } from './lesson-steps';

export type PlaySpeed = 'even-2' | 'even-4' | 'real-1' | 'real-10';

export const PLAY_SPEEDS: ReadonlyArray<{ value: PlaySpeed; label: string }> = [
  { value: 'even-2', label: 'evenly, every 2 s' },
  { value: 'even-4', label: 'evenly, every 4 s' },
  { value: 'real-1', label: 'real time' },
  { value: 'real-10', label: 'real time ÷ 10' },
];

/** The shortest wait (so a burst of packets can still be read) and the longest (so a pause does not stall the lesson). */
export const MIN_WAIT_MS = 600;
export const MAX_WAIT_MS = 8000;

/** Capture-relative time (s) of a step, from the ladder event or the handshake/teardown it shows. */
export function stepTime(step: LessonStep, model: ConnectionModel, ladder: readonly LadderEvent[]): number {
  if (step.type === 'ladder') return ladder[step.index]?.time ?? model.firstTime;
  const h = model.handshake;
  const t = model.teardown;
  const at =
    step.key === 'syn'
      ? h.syn
      : step.key === 'synack'
        ? h.synAck
        : step.key === 'ack'
          ? h.ack
          : step.key === 'cfin'
            ? t.clientFin
            : step.key === 'sfin'
              ? t.serverFin
              : t.rst;
  return at?.time ?? model.firstTime;
}

/** How long (ms) to show step `i` before revealing step `i + 1`; null at the last step. */
export function waitAfter(
  steps: readonly LessonStep[],
  i: number,
  speed: PlaySpeed,
  model: ConnectionModel,
  ladder: readonly LadderEvent[],
): number | null {
  if (i < 0 || i >= steps.length - 1) return null;
  if (speed === 'even-2') return 2000;
  if (speed === 'even-4') return 4000;
  const gap = Math.max(0, stepTime(steps[i + 1], model, ladder) - stepTime(steps[i], model, ladder));
  const scaled = (gap * 1000) / (speed === 'real-10' ? 10 : 1);
  return Math.round(Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, scaled)));
}
