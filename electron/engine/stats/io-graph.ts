/** IO Graph of a loaded capture: frames and bytes per interval for each display-filter series. */
import { compileFilter } from '../../../dissectors/filter/compile';
import { intervalOf, IoBuckets, ioInterval } from '../../../dissectors/stats/io-graph';
import type { IoGraph } from '../../../dissectors/stats/types';
import type { CaptureSession } from '../capture-session';
import { SessionFieldAccessor } from '../filter-accessor';

/** Series one graph draws at most. */
export const MAX_IO_SERIES = 6;

export function ioGraph(s: CaptureSession, wantedInterval: number, filters: readonly string[]): IoGraph {
  if (!s.loaded) throw new Error('the capture is still loading: the IO Graph is drawn once it is read');
  if (filters.length > MAX_IO_SERIES) throw new Error(`an IO Graph has at most ${MAX_IO_SERIES} series`);
  const idx = s.analyzer.index;
  // The latest packet time (a capture out of time order may end earlier than it reached).
  let duration = 0;
  for (let i = 0; i < idx.count; i++) if (idx.time[i] > duration) duration = idx.time[i];
  const interval = ioInterval(wantedInterval, duration);
  const count = idx.count ? intervalOf(duration, interval) + 1 : 0;
  const acc = new SessionFieldAccessor(s);
  const series = (filters.length ? filters : ['']).map((filter) => {
    const compiled = compileFilter(filter);
    const buckets = new IoBuckets(interval, count);
    if (!compiled.ok) return { filter, error: compiled.error, frames: [], bytes: [] };
    const f = compiled.filter;
    for (let i = 0; i < idx.count; i++)
      if (f.matchAll || f.matches(acc.at(i))) buckets.add(idx.time[i], idx.origLenOf(i));
    return { filter, error: null, frames: buckets.frames, bytes: buckets.bytes };
  });
  return { interval, duration, series };
}
