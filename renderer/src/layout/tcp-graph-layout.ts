/**
 * The TCP stream graphs and the IO Graph laid out: data and a visible time range in, pixel
 * positions out (dots, bars, step lines, ticks). The views draw what this returns; nothing here
 * touches the DOM, so the tests check the positions.
 */
import { scaleLinear } from 'd3';
import type { IoGraph, TcpStreamGraph } from '../../../api/engine-api';

export type TcpGraphKind = 'stevens' | 'tcptrace' | 'throughput' | 'rtt' | 'window';

export interface ChartSize {
  width: number;
  height: number;
}
export const MARGIN = { left: 70, right: 16, top: 12, bottom: 36 };
/** Marks drawn at most; past it every n-th is drawn (the CSV and the zoom keep every one). */
export const MAX_MARKS = 20000;

export interface Tick {
  pos: number;
  label: string;
}
export interface Dot {
  x: number;
  y: number;
  kind: 'data' | 'retransmission' | 'sample';
  frame: number;
}
export interface Bar {
  x: number;
  y1: number;
  y2: number;
  kind: 'segment' | 'retransmission' | 'sack';
  frame: number;
}
export interface Line {
  kind: string;
  /** SVG path data. */
  d: string;
}
export interface ChartLayout {
  width: number;
  height: number;
  /** The plotting area. */
  plot: { x: number; y: number; width: number; height: number };
  xDomain: [number, number];
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  dots: Dot[];
  bars: Bar[];
  lines: Line[];
  /** Marks left out to stay under MAX_MARKS (every n-th drawn). */
  thinned: boolean;
  /** A sentence about what the graph leaves out of view, when it does. */
  note?: string;
}

const TIME_LABEL = 'Time since the first packet (s)';

/** The time range the graph's data covers (padded a little so marks at the edges show). */
export function fullTimeDomain(times: readonly number[]): [number, number] {
  if (!times.length) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const pad = hi > lo ? (hi - lo) * 0.02 : 0.5;
  return [lo - pad, hi + pad];
}

/** Units for a value axis: bytes/bits with k/M/G, seconds as ms. */
export function formatValue(v: number, unit: string): string {
  const a = Math.abs(v);
  if (unit === 's') return a < 1 ? `${+(v * 1000).toPrecision(3)} ms` : `${+v.toPrecision(3)} s`;
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)} G${unit}`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)} M${unit}`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)} k${unit}`;
  return `${+v.toPrecision(4)}${unit ? ` ${unit}` : ''}`;
}

function frame(
  size: ChartSize,
  xDomain: [number, number],
  yDomain: [number, number],
  xLabel: string,
  yLabel: string,
  yUnit: string,
) {
  const plot = {
    x: MARGIN.left,
    y: MARGIN.top,
    width: Math.max(50, size.width - MARGIN.left - MARGIN.right),
    height: Math.max(50, size.height - MARGIN.top - MARGIN.bottom),
  };
  const x = scaleLinear()
    .domain(xDomain)
    .range([plot.x, plot.x + plot.width]);
  const y = scaleLinear()
    .domain(yDomain[1] > yDomain[0] ? yDomain : [yDomain[0], yDomain[0] + 1])
    .nice()
    .range([plot.y + plot.height, plot.y]);
  const xTicks = x
    .ticks(Math.max(2, Math.floor(plot.width / 90)))
    .map((t) => ({ pos: x(t), label: `${+t.toPrecision(6)}` }));
  // Bytes and packets are whole numbers: no tick at 0.2 B.
  const whole = yUnit === 'B' || yUnit === '';
  const yTicks = y
    .ticks(Math.max(2, Math.floor(plot.height / 40)))
    .filter((t) => !whole || Number.isInteger(t))
    .map((t) => ({ pos: y(t), label: formatValue(t, yUnit) }));
  const base: ChartLayout = {
    width: size.width,
    height: size.height,
    plot,
    xDomain,
    xTicks,
    yTicks,
    xLabel,
    yLabel,
    dots: [],
    bars: [],
    lines: [],
    thinned: false,
  };
  return { x, y, base };
}

const inRange = (t: number, d: [number, number]) => t >= d[0] && t <= d[1];

/** Every n-th of `items` so that at most MAX_MARKS remain. */
function thin<T>(items: T[]): { items: T[]; thinned: boolean } {
  if (items.length <= MAX_MARKS) return { items, thinned: false };
  const step = Math.ceil(items.length / MAX_MARKS);
  return { items: items.filter((_, k) => k % step === 0), thinned: true };
}

/** A step line through (t, v) points: flat until the next point, as a window or ACK number holds until it changes. */
function stepPath(points: ReadonlyArray<[number, number]>): string {
  let d = '';
  let lastY = 0;
  points.forEach(([px, py], k) => {
    d += k === 0 ? `M${px.toFixed(1)},${py.toFixed(1)}` : `H${px.toFixed(1)}V${py.toFixed(1)}`;
    lastY = py;
  });
  return points.length ? d + `V${lastY.toFixed(1)}` : '';
}

function linePath(points: ReadonlyArray<[number, number]>): string {
  return points.map(([px, py], k) => `${k ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join('');
}

export function layoutTcpGraph(
  g: TcpStreamGraph,
  kind: TcpGraphKind,
  size: ChartSize,
  xDomain?: [number, number],
): ChartLayout {
  const domain = xDomain ?? fullTimeDomain([...g.segments.map((s) => s.time), ...g.acks.map((a) => a.time)]);
  const segs = g.segments.filter((s) => inRange(s.time, domain));
  const acks = g.acks.filter((a) => inRange(a.time, domain));
  switch (kind) {
    case 'stevens': {
      // The dots are at each segment's first byte: the axis spans those (a flat run, e.g. one segment resent, sits mid-height).
      const seqs = segs.map((s) => s.seq);
      const lo = seqs.length ? Math.min(...seqs) : 0;
      const hi = seqs.length ? Math.max(...seqs) : 1;
      const { x, y, base } = frame(
        size,
        domain,
        hi > lo ? [lo, hi] : [Math.max(0, lo - 1), lo + 1],
        TIME_LABEL,
        'Sequence number (bytes, relative)',
        'B',
      );
      const t = thin(segs);
      base.thinned = t.thinned;
      base.dots = t.items.map((s) => ({
        x: x(s.time),
        y: y(s.seq),
        kind: s.retransmission ? 'retransmission' : 'data',
        frame: s.frame,
      }));
      return base;
    }
    case 'tcptrace': {
      const dataTop = Math.max(
        1,
        ...segs.map((s) => s.seq + s.len),
        ...acks.map((a) => a.ack),
        ...acks.flatMap((a) => a.sack.map((b) => b[1])),
      );
      const windowTop = Math.max(dataTop, ...acks.map((a) => a.ack + a.window));
      const bottom = Math.min(...segs.map((s) => s.seq), ...acks.map((a) => a.ack), dataTop);
      // A window far above the data (a short exchange under a 64 KiB window) would flatten every
      // segment to the axis: the data fills the height and the window line runs above it.
      const windowAbove = windowTop - bottom > 4 * (dataTop - bottom);
      const top = windowAbove ? dataTop + (dataTop - bottom) * 0.1 : windowTop;
      const { x, y, base } = frame(
        size,
        domain,
        [bottom, top],
        TIME_LABEL,
        'Sequence number (bytes, relative)',
        'B',
      );
      const t = thin(segs);
      base.thinned = t.thinned;
      // A segment is a bar from its first to its last byte; a bare ACK or SYN/FIN a short tick.
      base.bars = t.items.map((s) => ({
        x: x(s.time),
        y1: y(s.seq),
        y2: s.len ? y(s.seq + s.len) : y(s.seq) - 3,
        kind: s.retransmission ? 'retransmission' : 'segment',
        frame: s.frame,
      }));
      for (const a of acks)
        for (const [l, r] of a.sack)
          base.bars.push({ x: x(a.time), y1: y(l), y2: y(r), kind: 'sack', frame: a.frame });
      base.lines = [
        { kind: 'ack', d: stepPath(acks.map((a) => [x(a.time), y(a.ack)])) },
        { kind: 'window', d: stepPath(acks.map((a) => [x(a.time), y(a.ack + a.window)])) },
      ];
      if (windowAbove)
        base.note = `The ACK + window line is above the top of the graph (up to ${formatValue(windowTop, 'B')}): the receiver's window never held this sender back here.`;
      return base;
    }
    case 'throughput': {
      const pts = g.throughput.filter((p) => inRange(p.time, domain));
      const { x, y, base } = frame(
        size,
        domain,
        [0, Math.max(1, ...pts.map((p) => p.bitsPerSecond))],
        TIME_LABEL,
        'Throughput (bits/s, last 20 segments)',
        'bit/s',
      );
      base.lines = [{ kind: 'throughput', d: linePath(pts.map((p) => [x(p.time), y(p.bitsPerSecond)])) }];
      base.dots = thin(
        pts.map((p, k) => ({ x: x(p.time), y: y(p.bitsPerSecond), kind: 'sample' as const, frame: k })),
      ).items;
      return base;
    }
    case 'rtt': {
      const pts = g.rtt.filter((p) => inRange(p.time, domain));
      const { x, y, base } = frame(
        size,
        domain,
        [0, Math.max(1e-6, ...pts.map((p) => p.rtt))],
        TIME_LABEL,
        'Round-trip time',
        's',
      );
      base.dots = thin(
        pts.map((p) => ({ x: x(p.time), y: y(p.rtt), kind: 'sample' as const, frame: p.frame })),
      ).items;
      return base;
    }
    case 'window': {
      const pts = g.inFlight.filter((p) => inRange(p.time, domain));
      const flightTop = Math.max(1, ...pts.map((p) => p.bytes));
      const windowTop = Math.max(flightTop, ...pts.map((p) => p.window ?? 0));
      // As tcptrace: a window far above the bytes in flight would flatten them to the axis.
      const windowAbove = windowTop > 4 * flightTop;
      const { x, y, base } = frame(
        size,
        domain,
        [0, windowAbove ? flightTop * 1.1 : windowTop],
        TIME_LABEL,
        'Bytes',
        'B',
      );
      base.dots = thin(
        pts.map((p, k) => ({
          x: x(p.time),
          y: y(p.bytes),
          kind: 'data' as const,
          frame: segs[k]?.frame ?? 0,
        })),
      ).items;
      base.lines = [
        {
          kind: 'rwnd',
          d: stepPath(pts.filter((p) => p.window !== null).map((p) => [x(p.time), y(p.window!)])),
        },
      ];
      if (windowAbove)
        base.note = `The receiver's window line is above the top of the graph (up to ${formatValue(windowTop, 'B')}): the bytes in flight never came near it.`;
      return base;
    }
  }
}

/** The IO Graph: one line per series, frames or bytes per interval. */
export function layoutIoGraph(
  g: IoGraph,
  unit: 'frames' | 'bytes',
  size: ChartSize,
  xDomain?: [number, number],
): ChartLayout {
  const n = Math.max(0, ...g.series.map((s) => s.frames.length));
  const domain = xDomain ?? ([0, Math.max(g.interval, n * g.interval)] as [number, number]);
  const first = Math.max(0, Math.floor(domain[0] / g.interval));
  const last = Math.min(n - 1, Math.ceil(domain[1] / g.interval));
  let max = 1;
  for (const s of g.series) for (let k = first; k <= last; k++) max = Math.max(max, s[unit][k] ?? 0);
  const perSecond = g.interval === 1 ? '/s' : ` per ${+g.interval.toPrecision(6)} s`;
  const { x, y, base } = frame(
    size,
    domain,
    [0, max],
    TIME_LABEL,
    `${unit === 'frames' ? 'Packets' : 'Bytes'}${perSecond}`,
    unit === 'bytes' ? 'B' : '',
  );
  base.lines = g.series.map((s, k) => {
    const pts: Array<[number, number]> = [];
    for (let i = first; i <= last; i++) pts.push([x((i + 0.5) * g.interval), y(s[unit][i] ?? 0)]);
    return { kind: `series-${k}`, d: linePath(pts) };
  });
  return base;
}
