/** IO Graph buckets: frames and bytes per interval of capture time, as `tshark -z io,stat,INTERVAL` counts them. */

/** Most intervals one graph has (a 1 ms interval over a day-long capture would be 86 million). */
export const MAX_IO_INTERVALS = 100_000;

/** Interval length to use: at least 1 µs, and long enough that the capture fits in MAX_IO_INTERVALS. */
export function ioInterval(wanted: number, duration: number): number {
  let interval = Number.isFinite(wanted) && wanted > 0 ? wanted : 1;
  interval = Math.max(interval, 1e-6);
  while (duration / interval >= MAX_IO_INTERVALS) interval *= 10;
  return interval;
}

/** Which interval a packet `time` seconds after the first falls in (computed in nanoseconds, so 2.000000 is interval 2, not 1). */
export function intervalOf(time: number, interval: number): number {
  return Math.floor(Math.round(time * 1e9) / Math.round(interval * 1e9));
}

/** Counts frames and bytes per interval; `count` is the number of intervals (tshark prints up to the one holding the last packet). */
export class IoBuckets {
  readonly frames: number[];
  readonly bytes: number[];
  constructor(
    private readonly interval: number,
    count: number,
  ) {
    this.frames = new Array<number>(count).fill(0);
    this.bytes = new Array<number>(count).fill(0);
  }

  /** A packet stamped before the first one (a clock set back) counts in the first interval, as tshark counts it. */
  add(time: number, length: number): void {
    const k = Math.max(0, intervalOf(time, this.interval));
    if (k >= this.frames.length) return;
    this.frames[k]++;
    this.bytes[k] += length;
  }
}
