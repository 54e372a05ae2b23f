/** IO Graph of a loaded capture: frames and bytes per interval for each display-filter series. */
import { compileFilter } from '../../../dissectors/filter/compile';
import { intervalOf, IoBuckets, ioInterval } from '../../../dissectors/stats/io-graph';
import type { IoGraph } from '../../../dissectors/stats/types';
import type { CaptureSession } from '../capture-session';
import { SessionFieldAccessor } from '../filter-accessor';

/** Series one graph draws at most. */
export const MAX_IO_SERIES = 6;

/** Packets a filter is tried on between two chances for the engine to answer other requests. */
const PACKETS_PER_TURN = 20000;

export async function ioGraph(
  s: CaptureSession,
  wantedInterval: number,
  filters: readonly string[],
): Promise<IoGraph> {
  if (!s.loaded) throw new Error('the capture is still loading: the IO Graph is drawn once it is read');
  if (filters.length > MAX_IO_SERIES) throw new Error(`an IO Graph has at most ${MAX_IO_SERIES} series`);
  const idx = s.analyzer.index;
  // The latest packet time (a capture out of time order may end earlier than it reached).
  let duration = 0;
  for (let i = 0; i < idx.count; i++) if (idx.time[i] > duration) duration = idx.time[i];
  const interval = ioInterval(wantedInterval, duration);
  const count = idx.count ? intervalOf(duration, interval) + 1 : 0;
  const acc = new SessionFieldAccessor(s);
  const series: IoGraph['series'] = [];
  for (const filter of filters.length ? filters : ['']) {
    const compiled = compileFilter(filter);
    if (!compiled.ok) {
      series.push({ filter, error: compiled.error, frames: [], bytes: [] });
      continue;
    }
    const buckets = new IoBuckets(interval, count);
    const f = compiled.filter;
    for (let i = 0; i < idx.count; i++) {
      if (!f.matchAll && i > 0 && i % PACKETS_PER_TURN === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!s.store) throw new Error('the capture was closed');
      }
      if (f.matchAll || f.matches(acc.at(i))) buckets.add(idx.time[i], idx.origLenOf(i));
    }
    series.push({ filter, error: null, frames: buckets.frames, bytes: buckets.bytes });
  }
  return { interval, duration, series };
}
