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

export function layoutLadder(events: readonly LadderEvent[], width: number, first = 0, count = events.length): LadderLayout {
  const clientX = Math.max(60, Math.round(width * 0.12));
  const serverX = Math.max(clientX + 200, Math.round(width * 0.88));
  const end = Math.min(events.length, first + count);
  const arrows: LadderArrow[] = [];
  for (let i = Math.max(0, first); i < end; i++) {
    const e = events[i];
    const fromClient = e.from === 'client';
    arrows.push({
      index: i,
      y: LADDER_TOP + i * LADDER_ROW,
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
  const height = LADDER_TOP + events.length * LADDER_ROW + 20;
  const enc = events.findIndex((e) => e.tls === 'encrypted-start');
  const bandY = LADDER_TOP + enc * LADDER_ROW - LADDER_ROW / 2;
  return { clientX, serverX, height, arrows, encryptedBand: enc < 0 ? null : { y: bandY, height: height - bandY } };
}

/** Which rows a viewport shows (with a margin), for virtualisation. */
export function visibleRows(scrollTop: number, viewHeight: number, total: number, rowHeight = LADDER_ROW, top = LADDER_TOP, margin = 10): { first: number; count: number } {
  const first = Math.max(0, Math.floor((scrollTop - top) / rowHeight) - margin);
  const count = Math.min(total - first, Math.ceil(viewHeight / rowHeight) + 2 * margin);
  return { first, count: Math.max(0, count) };
}
