/**
 * "Red packets" on the ladder: each troubled frame of a connection (retransmission, duplicate ACK,
 * zero window, out of order, RST) is attached to the ladder event that carries it, or else to the
 * last event before it, so the ladder row shows where in the conversation TCP had trouble. Data in,
 * marks per event out.
 */
import type { LadderEvent } from '../../../dissectors/app/types';
import { troubleOf, type TroubleKind } from '../palette/palette';

export interface LadderMark {
  frame: number;
  kinds: TroubleKind[];
  /** True when the frame is one of the event's own frames (else it came after the event). */
  own: boolean;
}

export function ladderMarks(
  events: readonly LadderEvent[],
  frameMarks: ReadonlyArray<{ frame: number; tcpFlags: number; analysis: readonly string[] }>,
): Map<number, LadderMark[]> {
  const out = new Map<number, LadderMark[]>();
  if (!events.length) return out;
  // Frame → event carrying it.
  const owner = new Map<number, number>();
  events.forEach((e, i) => e.frames.forEach((f) => owner.has(f) || owner.set(f, i)));
  for (const m of frameMarks) {
    const kinds = troubleOf(m);
    if (!kinds.length) continue;
    let at = owner.get(m.frame);
    const own = at !== undefined;
    if (at === undefined) {
      // The last event starting at or before the frame (events are in frame order), else the first.
      let a = 0;
      let b = events.length;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (events[mid].frame <= m.frame) a = mid + 1;
        else b = mid;
      }
      at = Math.max(0, a - 1);
    }
    const list = out.get(at) ?? [];
    list.push({ frame: m.frame, kinds, own });
    out.set(at, list);
  }
  return out;
}
