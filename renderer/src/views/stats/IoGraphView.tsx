/** IO Graph: packets or bytes per interval for up to six display-filter series, drawn with d3 and saved as CSV, SVG or PNG. */
import { useEffect, useState } from 'react';
import type { EngineApi, IoGraph } from '../../../../api/engine-api';
import { layoutIoGraph } from '../../layout/tcp-graph-layout';
import { ioGraphCsv } from '../../layout/stats-csv';
import { visible } from '../../text/visible';
import { Chart } from './Chart';
import { CsvButton } from './StatsTables';
import { IO_GRAPH_EXPLANATION } from './explanations';
import { useChartWidth } from './use-chart-width';

const INTERVALS = [0.01, 0.1, 1, 10, 60];

export function IoGraphView(props: { engine: EngineApi; captureId: string; stem: string }) {
  const [filters, setFilters] = useState<string[]>(['', 'tcp.analysis.retransmission']);
  const [draft, setDraft] = useState(filters);
  const [interval, setInterval] = useState(1);
  const [unit, setUnit] = useState<'frames' | 'bytes'>('frames');
  const [graph, setGraph] = useState<IoGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [box, width] = useChartWidth();
  useEffect(() => {
    if (!props.engine.getIoGraph) return;
    let live = true;
    props.engine.getIoGraph(props.captureId, interval, filters).then(
      (g) => live && (setGraph(g), setError(null)),
      (e: Error) => live && setError(e.message),
    );
    return () => void (live = false);
  }, [props.engine, props.captureId, interval, filters]);
  const full: [number, number] = graph
    ? [0, Math.max(graph.interval, (graph.series[0]?.frames.length ?? 0) * graph.interval)]
    : [0, 1];
  return (
    <section data-testid="st-io" ref={box}>
      <p className="st-explain">{IO_GRAPH_EXPLANATION}</p>
      <form
        className="st-series"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft.slice(0, 6));
        }}
      >
        {draft.map((f, k) => (
          <label key={k} className={`st-series-${k}`}>
            <span className="st-swatch" aria-hidden="true" />
            <input
              value={f}
              placeholder="all packets"
              aria-label={`Series ${k + 1} display filter`}
              data-testid={`st-io-filter-${k}`}
              onChange={(e) => setDraft(draft.map((x, i) => (i === k ? e.target.value : x)))}
            />
            {graph?.series[k]?.error && <span className="warn"> {visible(graph.series[k].error ?? '')}</span>}
            {draft.length > 1 && (
              <button
                type="button"
                aria-label={`Remove series ${k + 1}`}
                onClick={() => setDraft(draft.filter((_, i) => i !== k))}
              >
                ×
              </button>
            )}
          </label>
        ))}
        {draft.length < 6 && (
          <button type="button" onClick={() => setDraft([...draft, ''])}>
            Add series
          </button>
        )}
        <button type="submit" data-testid="st-io-apply">
          Draw
        </button>
        <label>
          Interval{' '}
          <select
            value={interval}
            onChange={(e) => setInterval(Number(e.target.value))}
            data-testid="st-io-interval"
          >
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i < 1 ? `${i * 1000} ms` : `${i} s`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Count{' '}
          <select value={unit} onChange={(e) => setUnit(e.target.value as 'frames' | 'bytes')}>
            <option value="frames">packets</option>
            <option value="bytes">bytes</option>
          </select>
        </label>
        {graph && (
          <CsvButton name={`${props.stem}-io-graph.csv`} csv={() => ioGraphCsv(graph)} testId="st-csv-io" />
        )}
      </form>
      {error && <p className="warn">{error}</p>}
      {graph && (
        <Chart
          testId="st-io-chart"
          title="IO Graph"
          fileStem={`${props.stem}-io-graph`}
          full={full}
          layout={(d) => layoutIoGraph(graph, unit, { width, height: 340 }, d ?? full)}
          legend={
            <span className="st-legend">
              {graph.series.map((s, k) => (
                <span key={k} className={`st-series-${k}`}>
                  <span className="st-swatch" aria-hidden="true" />{' '}
                  {s.filter ? visible(s.filter) : 'all packets'} ({s.frames.reduce((a, b) => a + b, 0)}){' '}
                </span>
              ))}
              {graph.interval !== interval && ` · interval widened to ${graph.interval} s to fit the capture`}
            </span>
          }
        />
      )}
    </section>
  );
}
