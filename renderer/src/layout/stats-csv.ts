/**
 * The Statistics tables as CSV (RFC 4180): every cell quoted when it holds a comma, quote or line
 * break, and text a spreadsheet would run as a formula (= + - @ at the start) led by a quote mark.
 */
import type {
  CaptureProperties,
  ConversationRow,
  EndpointRow,
  HierarchyNode,
  IoGraph,
} from '../../../api/engine-api';

export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function hierarchyCsv(
  nodes: readonly HierarchyNode[],
  totalFrames: number,
  totalBytes: number,
): string {
  const rows: Array<Array<string | number>> = [];
  const walk = (list: readonly HierarchyNode[], path: string) => {
    for (const n of list) {
      const p = path ? `${path}:${n.protocol}` : n.protocol;
      rows.push([
        p,
        n.frames,
        totalFrames ? +((100 * n.frames) / totalFrames).toFixed(2) : 0,
        n.bytes,
        totalBytes ? +((100 * n.bytes) / totalBytes).toFixed(2) : 0,
      ]);
      walk(n.children, p);
    }
  };
  walk(nodes, '');
  return toCsv(['Protocol path', 'Frames', '% frames', 'Bytes', '% bytes'], rows);
}

export function conversationsCsv(rows: readonly ConversationRow[]): string {
  return toCsv(
    [
      'Address A',
      'Address B',
      'Frames A→B',
      'Bytes A→B',
      'Frames B→A',
      'Bytes B→A',
      'Frames',
      'Bytes',
      'Payload A→B',
      'Payload B→A',
      'Rel Start',
      'Duration',
    ],
    rows.map((r) => [
      r.a,
      r.b,
      r.framesAtoB,
      r.bytesAtoB,
      r.framesBtoA,
      r.bytesBtoA,
      r.framesAtoB + r.framesBtoA,
      r.bytesAtoB + r.bytesBtoA,
      r.payloadAtoB,
      r.payloadBtoA,
      r.start.toFixed(9),
      r.duration.toFixed(6),
    ]),
  );
}

export function endpointsCsv(rows: readonly EndpointRow[]): string {
  return toCsv(
    ['Address', 'Packets', 'Bytes', 'Tx Packets', 'Tx Bytes', 'Rx Packets', 'Rx Bytes'],
    rows.map((r) => [r.address, r.packets, r.bytes, r.txPackets, r.txBytes, r.rxPackets, r.rxBytes]),
  );
}

export function ioGraphCsv(g: IoGraph): string {
  const header = [
    'Interval start (s)',
    ...g.series.flatMap((s, k) => [
      `${k + 1} frames (${s.filter || 'all'})`,
      `${k + 1} bytes (${s.filter || 'all'})`,
    ]),
  ];
  const n = Math.max(0, ...g.series.map((s) => s.frames.length));
  const rows = Array.from({ length: n }, (_, i) => [
    +(i * g.interval).toFixed(6),
    ...g.series.flatMap((s) => [s.frames[i] ?? 0, s.bytes[i] ?? 0]),
  ]);
  return toCsv(header, rows);
}

export function propertiesCsv(p: CaptureProperties): string {
  return toCsv(['Property', 'Value'], propertyLines(p));
}

/** The capture properties as label/value pairs, in capinfos's order (the view and the CSV). */
export function propertyLines(p: CaptureProperties): Array<[string, string]> {
  const rate = (v: number | null, unit: string) =>
    v === null ? 'n/a (all packets at one instant)' : `${v.toFixed(2)} ${unit}`;
  return [
    ['File name', p.name],
    ['File type', p.format],
    ['File encapsulation', p.encapsulations.join(', ')],
    ['Time precision', `${p.timePrecision} digits after the second`],
    ['Number of packets', String(p.packets)],
    ['File size', `${p.fileBytes} bytes`],
    ['Data size', `${p.dataBytes} bytes`],
    ['Capture duration', `${p.duration.toFixed(p.timePrecision)} seconds`],
    ['First packet time', p.firstTime ? `${p.firstTime} UTC` : 'n/a'],
    ['Last packet time', p.lastTime ? `${p.lastTime} UTC` : 'n/a'],
    ['Data byte rate', rate(p.dataByteRate, 'bytes/s')],
    ['Data bit rate', rate(p.dataBitRate, 'bits/s')],
    ['Average packet size', p.averagePacketSize === null ? 'n/a' : `${p.averagePacketSize.toFixed(2)} bytes`],
    ['Average packet rate', rate(p.packetRate, 'packets/s')],
    ['Strict time order', p.strictTimeOrder ? 'yes' : 'no'],
    ...p.interfaces.map((f, k): [string, string] => [
      `Interface #${k}`,
      `${f.name} · ${f.encapsulation} · snapshot length ${f.snapLen} · ${f.packets} packets`,
    ]),
    ...p.comments.map((c): [string, string] => ['Comment', c]),
  ];
}
