/** The Statistics tables: capture file properties, Protocol Hierarchy, Conversations and Endpoints, each sortable and saved as CSV. */
import { useState } from 'react';
import type {
  CaptureStatistics,
  ConversationKind,
  ConversationRow,
  EndpointKind,
  HierarchyNode,
} from '../../../../api/engine-api';
import {
  conversationsCsv,
  endpointsCsv,
  hierarchyCsv,
  propertiesCsv,
  propertyLines,
} from '../../layout/stats-csv';
import { safeFileName, saveBytes, textToBase64 } from '../../client/save-bytes';
import { visible } from '../../text/visible';

export function CsvButton(props: { name: string; csv: () => string; testId: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        data-testid={props.testId}
        onClick={() =>
          void saveBytes(
            safeFileName(props.name, 'statistics.csv'),
            'text/csv',
            textToBase64(props.csv()),
          ).then(
            () => setError(null),
            (e: Error) => setError(e.message),
          )
        }
      >
        Save as CSV
      </button>
      {error && <span className="warn"> {error}</span>}
    </>
  );
}

export function PropertiesView(props: { stats: CaptureStatistics; stem: string }) {
  const p = props.stats.properties;
  return (
    <section data-testid="st-properties">
      <p className="st-intro">
        What the file holds, as <code>capinfos</code> reports it. Data size counts the bytes captured of each
        packet; rates divide by the time from the first packet to the last.{' '}
        <CsvButton
          name={`${props.stem}-properties.csv`}
          csv={() => propertiesCsv(p)}
          testId="st-csv-properties"
        />
      </p>
      <table className="st-table st-props">
        <tbody>
          {propertyLines(p).map(([k, v], i) => (
            <tr key={i}>
              <th scope="row">{k}</th>
              <td>{visible(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');

export function HierarchyView(props: { stats: CaptureStatistics; stem: string }) {
  const { packets, dataBytes } = props.stats.properties;
  const total = props.stats.hierarchy.reduce((a, n) => a + n.bytes, 0) || dataBytes;
  const rows: Array<{ node: HierarchyNode; depth: number }> = [];
  const walk = (list: readonly HierarchyNode[], depth: number) =>
    list.forEach((n) => (rows.push({ node: n, depth }), walk(n.children, depth + 1)));
  walk(props.stats.hierarchy, 0);
  return (
    <section data-testid="st-hierarchy">
      <p className="st-intro">
        Every packet is counted at each protocol it contains, outermost first: Ethernet carries IP, IP carries
        TCP, TCP carries SMTP. “data” is payload no protocol claimed; a TCP segment that carries only part of
        a message is counted up to TCP.{' '}
        <CsvButton
          name={`${props.stem}-protocol-hierarchy.csv`}
          csv={() => hierarchyCsv(props.stats.hierarchy, packets, total)}
          testId="st-csv-hierarchy"
        />
      </p>
      <table className="st-table">
        <thead>
          <tr>
            <th>Protocol</th>
            <th className="num">Packets</th>
            <th className="num">% packets</th>
            <th className="num">Bytes</th>
            <th className="num">% bytes</th>
            <th aria-label="share of packets" />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node, depth }, i) => (
            <tr key={i}>
              <td style={{ paddingLeft: `${0.4 + depth * 1.2}em` }}>{visible(node.protocol)}</td>
              <td className="num">{node.frames}</td>
              <td className="num">{pct(node.frames, packets)}</td>
              <td className="num">{node.bytes}</td>
              <td className="num">{pct(node.bytes, total)}</td>
              <td className="st-barcell">
                <span
                  className="st-bar"
                  style={{ width: `${packets ? (100 * node.frames) / packets : 0}%` }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type ConvSort = 'a' | 'b' | 'frames' | 'bytes' | 'start' | 'duration';

export function ConversationsView(props: {
  stats: CaptureStatistics;
  stem: string;
  onOpen: (row: ConversationRow) => void;
}) {
  const [kind, setKind] = useState<ConversationKind>('tcp');
  const [sort, setSort] = useState<{ key: ConvSort; desc: boolean }>({ key: 'start', desc: false });
  const rows = [...props.stats.conversations[kind]];
  const value = (r: ConversationRow): string | number =>
    sort.key === 'a'
      ? r.a
      : sort.key === 'b'
        ? r.b
        : sort.key === 'frames'
          ? r.framesAtoB + r.framesBtoA
          : sort.key === 'bytes'
            ? r.bytesAtoB + r.bytesBtoA
            : sort.key === 'start'
              ? r.start
              : r.duration;
  rows.sort((x, y) => (value(x) < value(y) ? -1 : value(x) > value(y) ? 1 : 0) * (sort.desc ? -1 : 1));
  const head = (key: ConvSort, label: string, num = true) => (
    <th
      className={num ? 'num' : undefined}
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="st-sort"
        onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'start' && num })}
      >
        {label}
      </button>
    </th>
  );
  return (
    <section data-testid="st-conversations">
      <div className="st-row" role="tablist" aria-label="Conversation type">
        {(['tcp', 'udp', 'ip', 'ipv6'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            data-testid={`st-conv-${k}`}
            onClick={() => setKind(k)}
          >
            {k === 'ip' ? 'IPv4' : k === 'ipv6' ? 'IPv6' : k.toUpperCase()} ·{' '}
            {props.stats.conversations[k].length}
          </button>
        ))}
        <CsvButton
          name={`${props.stem}-conversations-${kind}.csv`}
          csv={() => conversationsCsv(rows)}
          testId="st-csv-conversations"
        />
      </div>
      <p className="st-intro">
        A conversation is all the packets between two{' '}
        {kind === 'tcp' || kind === 'udp' ? 'address:port pairs' : 'addresses'}; A is the side that sent
        first. Bytes are whole frames as on the wire; payload is what{' '}
        {kind === 'tcp' || kind === 'udp' ? kind.toUpperCase() : 'IP'} carried.
        {kind === 'tcp' && ' Click a row to open the connection.'}
      </p>
      <table className="st-table" data-testid="st-conv-table">
        <thead>
          <tr>
            {head('a', 'Address A', false)}
            {head('b', 'Address B', false)}
            <th className="num">Packets A→B</th>
            <th className="num">Bytes A→B</th>
            <th className="num">Packets B→A</th>
            <th className="num">Bytes B→A</th>
            {head('frames', 'Packets')}
            {head('bytes', 'Bytes')}
            <th className="num">Payload A→B / B→A</th>
            {head('start', 'Rel. start (s)')}
            {head('duration', 'Duration (s)')}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.a} ${r.b}`}
              className={kind === 'tcp' && r.connection >= 0 ? 'st-clickable' : undefined}
              tabIndex={kind === 'tcp' && r.connection >= 0 ? 0 : undefined}
              onClick={() => kind === 'tcp' && r.connection >= 0 && props.onOpen(r)}
              onKeyDown={(e) => e.key === 'Enter' && kind === 'tcp' && r.connection >= 0 && props.onOpen(r)}
            >
              <td>{visible(r.a)}</td>
              <td>{visible(r.b)}</td>
              <td className="num">{r.framesAtoB}</td>
              <td className="num">{r.bytesAtoB}</td>
              <td className="num">{r.framesBtoA}</td>
              <td className="num">{r.bytesBtoA}</td>
              <td className="num">{r.framesAtoB + r.framesBtoA}</td>
              <td className="num">{r.bytesAtoB + r.bytesBtoA}</td>
              <td className="num">
                {r.payloadAtoB} / {r.payloadBtoA}
              </td>
              <td className="num">{r.start.toFixed(6)}</td>
              <td className="num">{r.duration.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!rows.length && <p>No {kind.toUpperCase()} conversations in this capture.</p>}
    </section>
  );
}

export function EndpointsView(props: { stats: CaptureStatistics; stem: string }) {
  const [kind, setKind] = useState<EndpointKind>('ip');
  const rows = props.stats.endpoints[kind];
  return (
    <section data-testid="st-endpoints">
      <div className="st-row" role="tablist" aria-label="Endpoint type">
        {(['ip', 'ipv6'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} onClick={() => setKind(k)}>
            {k === 'ip' ? 'IPv4' : 'IPv6'} · {props.stats.endpoints[k].length}
          </button>
        ))}
        <CsvButton
          name={`${props.stem}-endpoints-${kind}.csv`}
          csv={() => endpointsCsv(rows)}
          testId="st-csv-endpoints"
        />
      </div>
      <p className="st-intro">
        Each address with the packets and bytes it sent (Tx) and received (Rx). A packet from a machine to
        itself (127.0.0.1) counts once sent and once received.
      </p>
      <table className="st-table">
        <thead>
          <tr>
            <th>Address</th>
            <th className="num">Packets</th>
            <th className="num">Bytes</th>
            <th className="num">Tx packets</th>
            <th className="num">Tx bytes</th>
            <th className="num">Rx packets</th>
            <th className="num">Rx bytes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.address}>
              <td>{visible(r.address)}</td>
              <td className="num">{r.packets}</td>
              <td className="num">{r.bytes}</td>
              <td className="num">{r.txPackets}</td>
              <td className="num">{r.txBytes}</td>
              <td className="num">{r.rxPackets}</td>
              <td className="num">{r.rxBytes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
