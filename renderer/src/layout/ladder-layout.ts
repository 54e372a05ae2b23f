/**
 * Ladder diagram layout: events in, positions out (no drawing). Two lifelines (client left, server
 * right); one row per event, arrows pointing from the sender's lifeline to the other's. Rows have a
 * fixed height so the diagram can be virtualised: only the rows in view are drawn.
 */
import type { LadderEvent } from '../../../dissectors/app/types';

export const LADDER_ROW = 30;
export const LADDER_TOP = 40;

export interface LadderArrow {
  index: number;
  y: number;
  x1: number;
  x2: number;
  kind: LadderEvent['kind'];
  from: LadderEvent['from'];
  label: string;
  frame: number;
  time: number;
  marker: LadderEvent['tls'] | null;
}

export interface LadderLayout {
  clientX: number;
  serverX: number;
  height: number;
  arrows: LadderArrow[];
  /** From the first encrypted event to the end: the part of the conversation a capture cannot read. */
  encryptedBand: { y: number; height: number } | null;
}

/** Closest two arrows may come in time mode. */
export const LADDER_MIN_GAP = 18;

export type LadderMode = 'compact' | 'time';

/**
 * The y of every event. Compact: evenly spaced rows. Time: proportional to the time since the first
 * event (scaled so the rows average one compact row apart), never closer than LADDER_MIN_GAP, so
 * pauses — a student typing, a server thinking — show as gaps.
 */
export function ladderPositions(events: readonly LadderEvent[], mode: LadderMode = 'compact'): Float64Array {
  const n = events.length;
  const ys = new Float64Array(n);
  if (mode === 'compact' || n < 2) {
    for (let i = 0; i < n; i++) ys[i] = LADDER_TOP + i * LADDER_ROW;
    return ys;
  }
  const t0 = events[0].time;
  const span = Math.max(0, events[n - 1].time - t0);
  const pxPerSec = span > 0 ? (n * LADDER_ROW) / span : 0;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const y = Math.max(prev + LADDER_MIN_GAP, LADDER_TOP + Math.max(0, events[i].time - t0) * pxPerSec);
    ys[i] = y;
    prev = y;
  }
  return ys;
}

/** Which rows a viewport shows (with `margin` rows either side), for positions from ladderPositions. */
export function rowsInViewport(ys: Float64Array, scrollTop: number, viewHeight: number, margin = 10): { first: number; count: number } {
  const lo = scrollTop - LADDER_ROW;
  const hi = scrollTop + viewHeight + LADDER_ROW;
  let a = 0;
  let b = ys.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (ys[m] < lo) a = m + 1;
    else b = m;
  }
  let end = a;
  while (end < ys.length && ys[end] <= hi) end++;
  const first = Math.max(0, a - margin);
  return { first, count: Math.min(ys.length, end + margin) - first };
}

export function layoutLadder(events: readonly LadderEvent[], width: number, first = 0, count = events.length, ys: Float64Array = ladderPositions(events)): LadderLayout {
  const clientX = Math.max(60, Math.round(width * 0.12));
  const serverX = Math.max(clientX + 200, Math.round(width * 0.88));
  const end = Math.min(events.length, first + count);
  const arrows: LadderArrow[] = [];
  for (let i = Math.max(0, first); i < end; i++) {
    const e = events[i];
    const fromClient = e.from === 'client';
    arrows.push({
      index: i,
      y: ys[i],
      x1: fromClient ? clientX : serverX,
      x2: fromClient ? serverX : clientX,
      kind: e.kind,
      from: e.from,
      label: e.label,
      frame: e.frame,
      time: e.time,
      marker: e.tls ?? null,
    });
  }
  const height = (events.length ? ys[events.length - 1] : LADDER_TOP - LADDER_ROW) + LADDER_ROW + 20;
  const enc = events.findIndex((e) => e.tls === 'encrypted-start');
  const bandY = enc < 0 ? 0 : ys[enc] - LADDER_ROW / 2;
  return { clientX, serverX, height, arrows, encryptedBand: enc < 0 ? null : { y: bandY, height: height - bandY } };
}
