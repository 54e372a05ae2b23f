/**
 * `wirelens stats FILE --phs | --conv tcp|udp|ip|ipv6 | --endpoints ip|ipv6 | --io SECONDS [--filter EXPR]… | --capinfos [--json]`:
 * the Statistics views as tables, with the numbers tshark's `-z io,phs`, `-z conv,…`, `-z endpoints,…`,
 * `-z io,stat,…` and capinfos print. Addresses and protocol names come from the capture: escaped for the terminal.
 */
import { Engine } from '../../engine/engine';
import type { ParsedArgs } from '../args';
import { UsageError } from '../args';
import type {
  CaptureProperties,
  ConversationKind,
  ConversationRow,
  EndpointKind,
  EndpointRow,
  HierarchyNode,
  IoGraph,
} from '../../../api/engine-api';
import { forTerminal, jsonForTerminal, pad, padLeft } from '../format';

export const STATS_USAGE =
  'stats: usage: wirelens stats FILE --phs | --conv tcp|udp|ip|ipv6 | --endpoints ip|ipv6 | --io SECONDS [--filter EXPR]… | --capinfos [--json]';

export async function statsCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const [file] = args.positionals;
  const conv = args.values.get('conv')?.at(-1);
  const endpoints = args.values.get('endpoints')?.at(-1);
  const io = args.values.get('io')?.at(-1);
  const chosen = [
    args.flags.has('phs'),
    conv !== undefined,
    endpoints !== undefined,
    io !== undefined,
    args.flags.has('capinfos'),
  ].filter(Boolean).length;
  if (!file || chosen !== 1) throw new UsageError(STATS_USAGE);
  if (conv !== undefined && !['tcp', 'udp', 'ip', 'ipv6'].includes(conv))
    throw new UsageError(`stats: --conv is tcp, udp, ip or ipv6, not '${forTerminal(conv)}'`);
  if (endpoints !== undefined && !['ip', 'ipv6'].includes(endpoints))
    throw new UsageError(`stats: --endpoints is ip or ipv6, not '${forTerminal(endpoints)}'`);
  const interval = io === undefined ? 0 : Number(io);
  if (io !== undefined && !(interval >= 1e-6 && interval <= 86400))
    throw new UsageError(
      `stats: --io takes an interval in seconds (0.000001..86400), not '${forTerminal(io)}'`,
    );
  const json = args.flags.has('json');
  const write = (value: unknown) => out.write(`${jsonForTerminal(JSON.stringify(value, null, 2))}\n`);
  const engine = new Engine({ batch: true });
  try {
    const s = await engine.openAndWait(file);
    if (io !== undefined) {
      const graph = await engine.getIoGraph(s.info.id, interval, args.values.get('filter') ?? []);
      const bad = graph.series.find((x) => x.error);
      if (bad)
        throw new UsageError(`stats: filter '${forTerminal(bad.filter)}': ${forTerminal(bad.error ?? '')}`);
      if (json) write(graph);
      else out.write(ioTable(graph));
      return 0;
    }
    const stats = await engine.getStatistics(s.info.id);
    if (args.flags.has('capinfos'))
      json ? write(stats.properties) : out.write(propertiesText(stats.properties));
    else if (args.flags.has('phs')) json ? write(stats.hierarchy) : out.write(hierarchyText(stats.hierarchy));
    else if (conv !== undefined)
      json
        ? write(stats.conversations[conv as ConversationKind])
        : out.write(conversationTable(conv, stats.conversations[conv as ConversationKind]));
    else
      json
        ? write(stats.endpoints[endpoints as EndpointKind])
        : out.write(endpointTable(endpoints!, stats.endpoints[endpoints as EndpointKind]));
    if (stats.truncated && !json) out.write(`(a table passed 200,000 rows: the rest are left out)\n`);
    return 0;
  } finally {
    await engine.close();
  }
}

export function hierarchyText(nodes: readonly HierarchyNode[], depth = 0): string {
  let text = depth === 0 ? 'Protocol Hierarchy\n' : '';
  for (const n of nodes) {
    text += `${pad(`${'  '.repeat(depth)}${forTerminal(n.protocol)}`, 40)} frames:${n.frames} bytes:${n.bytes}\n`;
    text += hierarchyText(n.children, depth + 1);
  }
  return text;
}

export function conversationTable(kind: string, rows: readonly ConversationRow[]): string {
  const w = Math.max(22, ...rows.map((r) => Math.max(forTerminal(r.a).length, forTerminal(r.b).length)));
  let text = `${kind.toUpperCase()} Conversations (frame bytes; payload bytes A→B / B→A)\n`;
  text += `${pad('A', w)}     ${pad('B', w)} ${padLeft('<- Frames', 10)} ${padLeft('Bytes', 10)} ${padLeft('-> Frames', 10)} ${padLeft('Bytes', 10)} ${padLeft('Frames', 8)} ${padLeft('Bytes', 10)} ${padLeft('Rel Start', 13)} ${padLeft('Duration', 9)}  Payload\n`;
  const sorted = [...rows].sort(
    (x, y) => y.framesAtoB + y.framesBtoA - (x.framesAtoB + x.framesBtoA) || x.start - y.start,
  );
  for (const r of sorted) {
    text += `${pad(forTerminal(r.a), w)} <-> ${pad(forTerminal(r.b), w)} ${padLeft(`${r.framesBtoA}`, 10)} ${padLeft(`${r.bytesBtoA}`, 10)} ${padLeft(`${r.framesAtoB}`, 10)} ${padLeft(`${r.bytesAtoB}`, 10)} ${padLeft(`${r.framesAtoB + r.framesBtoA}`, 8)} ${padLeft(`${r.bytesAtoB + r.bytesBtoA}`, 10)} ${padLeft(r.start.toFixed(9), 13)} ${padLeft(r.duration.toFixed(4), 9)}  ${r.payloadAtoB} / ${r.payloadBtoA}\n`;
  }
  return text;
}

export function endpointTable(kind: string, rows: readonly EndpointRow[]): string {
  const w = Math.max(22, ...rows.map((r) => forTerminal(r.address).length));
  let text = `${kind === 'ip' ? 'IPv4' : 'IPv6'} Endpoints\n${pad('Address', w)} ${padLeft('Packets', 9)} ${padLeft('Bytes', 11)} ${padLeft('Tx Packets', 11)} ${padLeft('Tx Bytes', 11)} ${padLeft('Rx Packets', 11)} ${padLeft('Rx Bytes', 11)}\n`;
  for (const r of rows)
    text += `${pad(forTerminal(r.address), w)} ${padLeft(`${r.packets}`, 9)} ${padLeft(`${r.bytes}`, 11)} ${padLeft(`${r.txPackets}`, 11)} ${padLeft(`${r.txBytes}`, 11)} ${padLeft(`${r.rxPackets}`, 11)} ${padLeft(`${r.rxBytes}`, 11)}\n`;
  return text;
}

export function ioTable(g: IoGraph): string {
  let text = `IO Statistics: interval ${g.interval} s, duration ${g.duration.toFixed(6)} s\n`;
  g.series.forEach((s, k) => (text += `Col ${k + 1}: ${s.filter ? forTerminal(s.filter) : 'all packets'}\n`));
  text += `${pad('Interval', 24)}${g.series.map((_, k) => `${padLeft(`${k + 1}:Frames`, 10)} ${padLeft('Bytes', 11)}`).join(' ')}\n`;
  const n = g.series[0]?.frames.length ?? 0;
  const digits = g.interval >= 1 && Number.isInteger(g.interval) ? 0 : 6;
  for (let k = 0; k < n; k++) {
    const from = (k * g.interval).toFixed(digits);
    const to = k === n - 1 ? 'Dur' : ((k + 1) * g.interval).toFixed(digits);
    text += `${pad(`${from} <> ${to}`, 24)}${g.series.map((s) => `${padLeft(`${s.frames[k]}`, 10)} ${padLeft(`${s.bytes[k]}`, 11)}`).join(' ')}\n`;
  }
  return text;
}

export function propertiesText(p: CaptureProperties): string {
  const rate = (v: number | null, unit: string) =>
    v === null ? 'n/a (one instant)' : `${v.toFixed(2)} ${unit}`;
  const lines: Array<[string, string]> = [
    ['File name', p.name],
    ['File type', p.format],
    ['File encapsulation', p.encapsulations.join(', ')],
    ['Time precision', `${p.timePrecision} digits`],
    ['Number of packets', `${p.packets}`],
    ['File size', `${p.fileBytes} bytes`],
    ['Data size', `${p.dataBytes} bytes`],
    ['Capture duration', `${p.duration.toFixed(p.timePrecision)} seconds`],
    ['First packet time', `${p.firstTime ?? 'n/a'} UTC`],
    ['Last packet time', `${p.lastTime ?? 'n/a'} UTC`],
    ['Data byte rate', rate(p.dataByteRate, 'bytes/sec')],
    ['Data bit rate', rate(p.dataBitRate, 'bits/sec')],
    ['Average packet size', p.averagePacketSize === null ? 'n/a' : `${p.averagePacketSize.toFixed(2)} bytes`],
    ['Average packet rate', rate(p.packetRate, 'packets/sec')],
    ['Strict time order', p.strictTimeOrder ? 'True' : 'False'],
    ['Number of interfaces', `${p.interfaces.length}`],
    ...p.interfaces.map((f, k): [string, string] => [
      `Interface #${k}`,
      `${f.name}, ${f.encapsulation}, snaplen ${f.snapLen}, ${f.packets} packets`,
    ]),
    ...p.comments.map((c): [string, string] => ['Comment', c]),
  ];
  return lines.map(([k, v]) => `${pad(`${k}:`, 22)}${forTerminal(v)}\n`).join('');
}
