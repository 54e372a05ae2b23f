/**
 * Statistics of a loaded capture in one pass over its frames (each re-read and decoded once):
 * capinfos-style properties, Protocol Hierarchy, Conversations and Endpoints. Kept per session.
 */
import { bitsToAnalysis, PF_PAYLOAD } from '../../../dissectors/analysis/packet-index';
import { FrameLabels } from '../../../dissectors/analysis/frame-labels';
import { decodePacket } from '../../../dissectors/net/decode';
import type { DecodedPacket } from '../../../dissectors/net/types';
import { ConversationTable, endpointsOf, HierarchyTable } from '../../../dissectors/stats/tables';
import type { CaptureProperties, CaptureStatistics } from '../../../dissectors/stats/types';
import type { CaptureSession } from '../capture-session';
import { absoluteTime, linkLabel } from './time-format';

const cache = new WeakMap<CaptureSession, Promise<CaptureStatistics>>();
/** Packets counted between two chances for the engine to answer other requests (about 50 ms). */
const PACKETS_PER_TURN = 5000;

/** tshark's protocol names of the link layers (the first entry of frame.protocols). */
const LINK_NAME: Record<string, string> = {
  eth: 'eth',
  sll: 'sll',
  sll2: 'sll',
  null: 'null',
  loop: 'null',
  raw: 'raw',
  nflog: 'nflog',
  pktap: 'pktap',
};
/** tshark's names of the application protocols the engine recognises, by the packet list's Protocol column. */
const APP_NAME: Record<string, string[]> = {
  SMTP: ['smtp'],
  'SMTP/IMF': ['smtp', 'imf'],
  IMF: ['smtp', 'imf'],
  POP: ['pop'],
  FTP: ['ftp'],
  'FTP-DATA': ['ftp-data'],
  HTTP: ['http'],
  DNS: ['dns'],
};

/**
 * The statistics of a loaded capture, computed once (a second window asking meanwhile waits for the
 * same pass); the pass yields every PACKETS_PER_TURN packets, so a big capture's count does not
 * stop the engine answering the packet list.
 */
export function captureStatistics(s: CaptureSession): Promise<CaptureStatistics> {
  if (!s.loaded)
    return Promise.reject(new Error('the capture is still loading: statistics are computed once it is read'));
  let p = cache.get(s);
  if (!p) {
    p = countAll(s);
    cache.set(s, p);
    p.catch(() => cache.delete(s));
  }
  return p;
}

async function countAll(s: CaptureSession): Promise<CaptureStatistics> {
  const idx = s.analyzer.index;
  const hierarchy = new HierarchyTable();
  const tables = {
    tcp: new ConversationTable(),
    udp: new ConversationTable(),
    ip: new ConversationTable(),
    ipv6: new ConversationTable(),
  };
  const ifacePackets = new Map<number, number>();
  let dataBytes = 0;
  let strict = true;
  for (let i = 0; i < idx.count; i++) {
    if (i > 0 && i % PACKETS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!s.store) throw new Error('the capture was closed');
    const length = idx.origLenOf(i);
    const time = idx.time[i];
    if (i > 0 && time < idx.time[i - 1]) strict = false;
    dataBytes += idx.capLen[i];
    ifacePackets.set(idx.ifaceOf(i), (ifacePackets.get(idx.ifaceOf(i)) ?? 0) + 1);
    const pkt = decodePacket(idx.linkTypeOf(i), s.store!.read(i), i + 1);
    hierarchy.add(protocolPath(s, i, pkt), length);
    const frame = i + 1;
    if (
      pkt.src !== undefined &&
      pkt.dst !== undefined &&
      (pkt.network === 'ipv4' || pkt.network === 'ipv6')
    ) {
      const v6 = pkt.network === 'ipv6';
      const ipPayload = pkt.tcp
        ? pkt.tcp.headerLength + pkt.tcp.claimedPayloadLength
        : pkt.udp
          ? pkt.udp.length
          : 0;
      tables[v6 ? 'ipv6' : 'ip'].add(pkt.src, pkt.dst, length, ipPayload, time, frame);
      const ep = (a: string, port: number) => (v6 ? `[${a}]:${port}` : `${a}:${port}`);
      if (pkt.tcp)
        tables.tcp.add(
          ep(pkt.src, pkt.tcp.srcPort),
          ep(pkt.dst, pkt.tcp.dstPort),
          length,
          pkt.tcp.claimedPayloadLength,
          time,
          frame,
          idx.conn[i],
        );
      else if (pkt.udp)
        tables.udp.add(
          ep(pkt.src, pkt.udp.srcPort),
          ep(pkt.dst, pkt.udp.dstPort),
          length,
          Math.max(0, pkt.udp.length - 8),
          time,
          frame,
        );
    }
  }
  const ip = tables.ip.list();
  const ipv6 = tables.ipv6.list();
  const stats: CaptureStatistics = {
    properties: properties(s, dataBytes, strict, ifacePackets),
    hierarchy: hierarchy.roots,
    conversations: { tcp: tables.tcp.list(), udp: tables.udp.list(), ip, ipv6 },
    endpoints: { ip: endpointsOf(ip), ipv6: endpointsOf(ipv6) },
    truncated: Object.values(tables).some((t) => t.truncated),
  };
  return stats;
}

/** A frame's protocol stack as tshark's Protocol Hierarchy names it: eth › vlan › ip › tcp › smtp. */
function protocolPath(s: CaptureSession, i: number, pkt: DecodedPacket): string[] {
  const path = [LINK_NAME[pkt.link] ?? pkt.link];
  for (let k = 0; k < (pkt.vlan?.length ?? 0); k++) path.push('vlan');
  if (pkt.network === 'ipv4') path.push('ip');
  else if (pkt.network) path.push(pkt.network);
  if (pkt.tcp) path.push('tcp');
  else if (pkt.udp) path.push('udp');
  else if (pkt.protocol === 'ICMP' || pkt.protocol === 'ICMPv6') path.push(pkt.protocol.toLowerCase());
  const app = appProtocol(s, i, pkt);
  if (app) path.push(...app);
  return path;
}

/** The application protocol of a frame's payload, as tshark names it; 'data' for payload no protocol claimed. */
function appProtocol(s: CaptureSession, i: number, pkt: DecodedPacket): string[] | null {
  const idx = s.analyzer.index;
  if (pkt.udp) {
    if (pkt.udp.srcPort === 53 || pkt.udp.dstPort === 53) return ['dns'];
    return pkt.udp.payloadLength > 0 ? ['data'] : null;
  }
  if (!pkt.tcp) return null;
  const conn = idx.conn[i];
  if (conn < 0 || !(idx.flags[i] & PF_PAYLOAD)) return null;
  // As tshark: a retransmission's payload is not dissected again.
  if (bitsToAnalysis(idx.analysis[i]).some((a) => a.includes('retransmission'))) return null;
  const p = s.protocols[conn] ?? 'unknown';
  if (p === 'unknown') return ['data'];
  // A frame that carries a message (a label) names its protocol; one that carries only part of a
  // message reassembled later is only TCP (tshark's "TCP segment of a reassembled PDU").
  const label = s.labels.get(i + 1);
  // Unlabelled frames that still are whole units: TLS records and FTP-DATA bytes.
  const unlabelled = s.labels instanceof FrameLabels ? s.labels.unlabelled(conn, i + 1, p) : null;
  const column =
    label?.protocol ?? (unlabelled && (unlabelled.startsWith('TLS') || p === 'ftp-data') ? unlabelled : null);
  if (!column) return null;
  if (column.startsWith('TLS') || column.startsWith('SSL')) return ['tls'];
  return APP_NAME[column] ?? ['data'];
}

function properties(
  s: CaptureSession,
  dataBytes: number,
  strictTimeOrder: boolean,
  ifacePackets: Map<number, number>,
): CaptureProperties {
  const idx = s.analyzer.index;
  const summary = s.loaded!.summary;
  const n = idx.count;
  // As capinfos: the earliest and the latest packet time (the first and last packets, unless the file is out of time order).
  let earliest = n ? idx.time[0] : 0;
  let latest = earliest;
  for (let i = 1; i < n; i++) {
    if (idx.time[i] < earliest) earliest = idx.time[i];
    if (idx.time[i] > latest) latest = idx.time[i];
  }
  const duration = latest - earliest;
  const base = s.analyzer.baseTime ?? { sec: 0, nsec: 0 };
  const units = summary.interfaces[0]?.tsUnitsPerSec ?? 1e6;
  const precision = Math.max(0, Math.min(9, Math.round(Math.log10(units))));
  const rate = (x: number) => (duration > 0 ? x / duration : null);
  const linkTypes = summary.interfaces.length ? summary.interfaces.map((f) => f.linkType) : summary.linkTypes;
  return {
    name: s.info.name,
    format: summary.format,
    encapsulations: [...new Set(linkTypes.map(linkLabel))],
    packets: n,
    fileBytes: s.loaded!.source.size,
    dataBytes,
    firstTime: n ? absoluteTime(base, earliest, precision) : null,
    lastTime: n ? absoluteTime(base, latest, precision) : null,
    duration,
    dataByteRate: rate(dataBytes),
    dataBitRate: rate(dataBytes * 8),
    packetRate: rate(n),
    averagePacketSize: n ? dataBytes / n : null,
    timePrecision: precision,
    strictTimeOrder,
    interfaces: summary.interfaces.map((f, k) => ({
      name: f.name ?? f.description ?? `interface ${k}`,
      encapsulation: linkLabel(f.linkType),
      linkType: f.linkType,
      snapLen: f.snapLen,
      packets: ifacePackets.get(k) ?? 0,
    })),
    comments: summary.comments,
  };
}
