/**
 * Draws a ChartLayout (renderer/src/layout/tcp-graph-layout.ts) as SVG, with d3 zoom on the time
 * axis (wheel or drag; + / − / 0 keys and buttons), a click on a mark choosing its packet, and
 * export as SVG or PNG with the chart's own style.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3';
import type { ChartLayout } from '../../layout/tcp-graph-layout';
import { PALETTE } from '../../palette/palette';
import { safeFileName, saveBytes, textToBase64 } from '../../client/save-bytes';
import { svgToPngBase64 } from '../../export/svg-export';

const C = PALETTE.light;
const SERIES = [C.intermediate, C.permanentNegative, C.positive, C.transientNegative, C.tls, C.neutral];
/** The chart's look in an exported file (the screen uses stats.css with the theme's colours). */
export const CHART_EXPORT_CSS = [
  `text { font: 11px system-ui, sans-serif; fill: ${C.text}; } .axis line, .axis path { stroke: ${C.muted}; } .grid { stroke: #0001; }`,
  `.dot-data, .dot-sample { fill: ${C.intermediate}; } .dot-retransmission, .bar-retransmission { fill: ${C.permanentNegative}; stroke: ${C.permanentNegative}; }`,
  `.bar-segment { stroke: ${C.neutral}; } .bar-sack { stroke: #1f8fbf; stroke-width: 3; } .line { fill: none; stroke-width: 1.5; }`,
  `.line-ack { stroke: ${C.positive}; } .line-window { stroke: ${C.transientNegative}; } .line-throughput { stroke: ${C.intermediate}; } .line-rwnd { stroke: ${C.transientNegative}; }`,
  ...SERIES.map((c, k) => `.line-series-${k} { stroke: ${c}; }`),
].join('\n');

export function Chart(props: {
  layout: (domain: [number, number] | undefined) => ChartLayout;
  /** The full time range (zoom 1). */
  full: [number, number];
  title: string;
  fileStem: string;
  legend?: ReactNode;
  onMark?: (frame: number) => void;
  testId: string;
}) {
  const ref = useRef<SVGSVGElement | null>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [domain, setDomain] = useState<[number, number] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const lay = props.layout(domain);
  const { full } = props;
  const plot = lay.plot;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 10000])
      .translateExtent([
        [plot.x, 0],
        [plot.x + plot.width, 0],
      ])
      .extent([
        [plot.x, 0],
        [plot.x + plot.width, 0],
      ])
      .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => {
        const t = e.transform;
        const span = full[1] - full[0];
        const toTime = (px: number) => full[0] + ((px - plot.x) / plot.width) * span;
        const a = toTime(t.invertX(plot.x));
        const b = toTime(t.invertX(plot.x + plot.width));
        setDomain(t.k === 1 ? undefined : [a, b]);
      });
    zoomRef.current = z;
    select(el).call(z).on('dblclick.zoom', null);
    return () => void select(el).on('.zoom', null);
  }, [full, plot.x, plot.width]);

  const zoomBy = (k: number | null) => {
    const el = ref.current;
    const z = zoomRef.current;
    if (!el || !z) return;
    if (k === null) select(el).call(z.transform, zoomIdentity);
    else select(el).call(z.scaleBy, k);
  };

  const save = async (format: 'svg' | 'png') => {
    setError(null);
    try {
      const el = ref.current;
      if (!el) throw new Error('the chart is not drawn');
      const copy = el.cloneNode(true) as SVGSVGElement;
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
      style.textContent = CHART_EXPORT_CSS;
      copy.insertBefore(style, copy.firstChild);
      const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      bg.setAttribute('width', '100%');
      bg.setAttribute('height', '100%');
      bg.setAttribute('fill', '#fff');
      copy.insertBefore(bg, style.nextSibling);
      const svg = new XMLSerializer().serializeToString(copy);
      const name = safeFileName(`${props.fileStem}.${format}`, `chart.${format}`);
      if (format === 'svg') await saveBytes(name, 'image/svg+xml', textToBase64(svg));
      else await saveBytes(name, 'image/png', await svgToPngBase64(svg, lay.width, lay.height));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === '+' || e.key === '=') zoomBy(2);
    else if (e.key === '-') zoomBy(0.5);
    else if (e.key === '0') zoomBy(null);
    else return;
    e.preventDefault();
  };

  return (
    <figure className="st-chart" data-testid={props.testId}>
      <div className="st-chart-tools">
        {props.legend}
        <span className="st-spacer" />
        <button type="button" onClick={() => zoomBy(2)} title="Zoom in (+, or the mouse wheel on the chart)">
          Zoom in
        </button>
        <button type="button" onClick={() => zoomBy(0.5)} title="Zoom out (−)">
          Zoom out
        </button>
        <button
          type="button"
          onClick={() => zoomBy(null)}
          title="Whole range (0)"
          data-testid={`${props.testId}-reset`}
        >
          Reset
        </button>
        <button type="button" onClick={() => void save('svg')} data-testid={`${props.testId}-svg`}>
          SVG
        </button>
        <button type="button" onClick={() => void save('png')} data-testid={`${props.testId}-png`}>
          PNG
        </button>
      </div>
      <svg
        ref={ref}
        width={lay.width}
        height={lay.height}
        viewBox={`0 0 ${lay.width} ${lay.height}`}
        role="img"
        aria-label={props.title}
        tabIndex={0}
        onKeyDown={onKey}
        className="st-svg"
      >
        <defs>
          <clipPath id={`${props.testId}-clip`}>
            <rect x={plot.x} y={plot.y - 4} width={plot.width} height={plot.height + 8} />
          </clipPath>
        </defs>
        <g className="axis">
          {lay.yTicks.map((t) => (
            <g key={`y${t.pos}`}>
              <line className="grid" x1={plot.x} x2={plot.x + plot.width} y1={t.pos} y2={t.pos} />
              <text x={plot.x - 6} y={t.pos + 4} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          {lay.xTicks.map((t) => (
            <g key={`x${t.pos}`}>
              <line x1={t.pos} x2={t.pos} y1={plot.y + plot.height} y2={plot.y + plot.height + 5} />
              <text x={t.pos} y={plot.y + plot.height + 17} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
          <path d={`M${plot.x},${plot.y}V${plot.y + plot.height}H${plot.x + plot.width}`} fill="none" />
          <text x={plot.x + plot.width / 2} y={lay.height - 4} textAnchor="middle">
            {lay.xLabel}
          </text>
          <text transform={`translate(12,${plot.y + plot.height / 2}) rotate(-90)`} textAnchor="middle">
            {lay.yLabel}
          </text>
        </g>
        <g clipPath={`url(#${props.testId}-clip)`}>
          {lay.lines.map((l) => (
            <path key={l.kind} className={`line line-${l.kind}`} d={l.d} />
          ))}
          {lay.bars.map((b, k) => (
            <line
              key={`b${k}`}
              className={`bar-${b.kind}`}
              x1={b.x}
              x2={b.x}
              y1={b.y1}
              y2={b.y2}
              onClick={() => props.onMark?.(b.frame)}
            >
              <title>{`frame ${b.frame}`}</title>
            </line>
          ))}
          {lay.dots.map((d, k) => (
            <circle
              key={`d${k}`}
              className={`dot-${d.kind}`}
              cx={d.x}
              cy={d.y}
              r={d.kind === 'retransmission' ? 4 : 2.5}
              onClick={() => d.frame > 0 && props.onMark?.(d.frame)}
            >
              <title>{`frame ${d.frame}${d.kind === 'retransmission' ? ' (retransmission)' : ''}`}</title>
            </circle>
          ))}
        </g>
      </svg>
      {lay.note && (
        <p className="st-note" data-testid={`${props.testId}-note`}>
          {lay.note}
        </p>
      )}
      {lay.thinned && (
        <figcaption className="st-note">
          Many segments: every n-th is drawn; zoom in to see each one.
        </figcaption>
      )}
      {error && <p className="warn">{error}</p>}
    </figure>
  );
}
