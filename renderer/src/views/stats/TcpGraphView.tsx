/** TCP stream graphs of one connection (Stevens, tcptrace, throughput, RTT, window), with how to read each. */
import { useEffect, useMemo, useState } from 'react';
import type { ConnectionRow, EngineApi, TcpStreamGraph } from '../../../../api/engine-api';
import { fullTimeDomain, layoutTcpGraph, type TcpGraphKind } from '../../layout/tcp-graph-layout';
import { visible } from '../../text/visible';
import { Chart } from './Chart';
import { TCP_GRAPH_EXPLANATIONS, TCP_GRAPH_NAMES } from './explanations';
import { useChartWidth } from './use-chart-width';

export function TcpGraphView(props: {
  engine: EngineApi;
  captureId: string;
  connections: ConnectionRow[];
  connection: number | null;
  onFrame: (frame: number, connection: number) => void;
}) {
  const [chosen, setChosen] = useState<number | null>(props.connection ?? props.connections[0]?.id ?? null);
  const [direction, setDirection] = useState<'client' | 'server'>('client');
  const [kind, setKind] = useState<TcpGraphKind>('stevens');
  const [graph, setGraph] = useState<TcpStreamGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [box, width] = useChartWidth();
  useEffect(() => {
    if (chosen === null || !props.engine.getTcpStreamGraph) return;
    let live = true;
    setError(null);
    props.engine.getTcpStreamGraph(props.captureId, chosen, direction).then(
      (g) => live && setGraph(g),
      (e: Error) => live && setError(e.message),
    );
    return () => void (live = false);
  }, [props.engine, props.captureId, chosen, direction]);
  const full = useMemo(
    () =>
      fullTimeDomain(graph ? [...graph.segments.map((s) => s.time), ...graph.acks.map((a) => a.time)] : []),
    [graph],
  );
  const row = props.connections.find((c) => c.id === chosen);
  const retransmissions = graph?.segments.filter((s) => s.retransmission).length ?? 0;
  return (
    <section data-testid="st-tcp-graph" ref={box}>
      <div className="st-row">
        <label>
          Connection{' '}
          <select
            value={chosen ?? ''}
            onChange={(e) => setChosen(Number(e.target.value))}
            data-testid="st-tcp-connection"
          >
            {props.connections.map((c) => (
              <option key={c.id} value={c.id}>
                #{c.id} {visible(c.client)} → {visible(c.server)} ({c.protocol})
              </option>
            ))}
          </select>
        </label>
        <label>
          Data sent by{' '}
          <select
            value={direction}
            onChange={(e) => setDirection(e.target.value as 'client' | 'server')}
            data-testid="st-tcp-direction"
          >
            <option value="client">the client{row ? ` (${visible(row.client)})` : ''}</option>
            <option value="server">the server{row ? ` (${visible(row.server)})` : ''}</option>
          </select>
        </label>
      </div>
      <div className="st-row" role="tablist" aria-label="Graph">
        {(Object.keys(TCP_GRAPH_NAMES) as TcpGraphKind[]).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            data-testid={`st-graph-${k}`}
            onClick={() => setKind(k)}
          >
            {TCP_GRAPH_NAMES[k]}
          </button>
        ))}
      </div>
      <p className="st-explain" data-testid="st-graph-explanation">
        {TCP_GRAPH_EXPLANATIONS[kind]}
      </p>
      {error && <p className="warn">{error}</p>}
      {!props.connections.length && <p>This capture has no TCP connection.</p>}
      {graph && (
        <Chart
          key={`${graph.connection}-${graph.direction}-${kind}`}
          testId="st-tcp-chart"
          title={`${TCP_GRAPH_NAMES[kind]}, connection ${graph.connection}`}
          fileStem={`connection-${graph.connection}-${graph.direction}-${kind}`}
          full={full}
          layout={(d) => layoutTcpGraph(graph, kind, { width, height: 360 }, d ?? full)}
          onMark={(f) => props.onFrame(f, graph.connection)}
          legend={
            <span className="st-legend" data-testid="st-tcp-legend">
              {graph.segments.length} segments from {visible(graph.from)} ·{' '}
              {retransmissions ? (
                <b className="st-red">{retransmissions} retransmitted (red)</b>
              ) : (
                'no retransmission'
              )}
              {kind === 'tcptrace' && ' · green: ACK · orange: ACK + window · blue: SACK'}
              {kind === 'window' && ' · dots: bytes in flight · orange: receive window'}
              {graph.truncated && ' · only the first 200,000 segments'}
            </span>
          }
        />
      )}
    </section>
  );
}
