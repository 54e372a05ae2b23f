/**
 * Answers display-filter field lookups for one packet at a time: from the index where it can
 * (frame numbers, TCP flags, connection endpoints, ladder fields), decoding the packet's bytes
 * only for fields the index does not hold.
 */
import type { PacketFieldAccessor } from '../../dissectors/filter/accessor';
import { FILTER_PROTOCOLS } from '../../dissectors/filter/fields';
import {
  analysisToBits,
  PF_FROM_SERVER,
  PF_IP,
  PF_IPV6,
  PF_PAYLOAD,
  PF_TCP,
  PF_UDP,
} from '../../dissectors/analysis/packet-index';
import { decodePacket } from '../../dissectors/net/decode';
import type { DecodedPacket } from '../../dissectors/net/types';
import type { CaptureSession } from './capture-session';
import { FrameLabels } from '../../dissectors/analysis/frame-labels';
import { tcpAnalysisNumbers } from './tcp-analysis-numbers';

const APP_NAME: Record<string, string> = {
  smtp: 'smtp',
  pop3: 'pop',
  http: 'http',
  ftp: 'ftp',
  'ftp-data': 'ftp-data',
  tls: 'tls',
};

const FLAG_BITS: Record<string, number> = {
  'tcp.flags.fin': 0x01,
  'tcp.flags.syn': 0x02,
  'tcp.flags.reset': 0x04,
  'tcp.flags.push': 0x08,
  'tcp.flags.ack': 0x10,
  'tcp.flags.urg': 0x20,
  'tcp.flags.ece': 0x40,
  'tcp.flags.cwr': 0x80,
};

const EMPTY: ReadonlyArray<never> = [];

/** Filter names of the application protocols whose bytes are a frame's TCP payload. */
const APP_PAYLOAD: Record<string, true> = {
  smtp: true,
  pop: true,
  http: true,
  ftp: true,
  'ftp-data': true,
  tls: true,
};

export class SessionFieldAccessor implements PacketFieldAccessor {
  private i = 0;
  private decoded: DecodedPacket | null = null;
  private bytes: Uint8Array | null = null;

  constructor(private readonly s: CaptureSession) {}

  at(i: number): this {
    this.i = i;
    this.decoded = null;
    this.bytes = null;
    return this;
  }

  private pkt(): DecodedPacket {
    if (!this.decoded) {
      this.bytes = this.s.store!.read(this.i);
      this.decoded = decodePacket(this.s.analyzer.index.linkTypeOf(this.i), this.bytes, this.i + 1);
    }
    return this.decoded;
  }

  private appProtocol(): string | null {
    const idx = this.s.analyzer.index;
    const conn = idx.conn[this.i];
    if (conn < 0 || !(idx.flags[this.i] & PF_PAYLOAD)) return null;
    const label = this.s.labels.get(this.i + 1);
    // TLS records are `tls` (the column says TLSv1.2/TLSv1.3), whatever protocol their connection carries.
    const protocol =
      label?.protocol ??
      (this.s.labels instanceof FrameLabels
        ? this.s.labels.unlabelled(conn, this.i + 1, this.s.protocols[conn] ?? 'unknown')
        : null);
    if (protocol) return protocol.startsWith('TLS') ? 'tls' : protocol.toLowerCase();
    return APP_NAME[this.s.protocols[conn] ?? ''] ?? null;
  }

  hasProtocol(name: string): boolean {
    const idx = this.s.analyzer.index;
    const f = idx.flags[this.i];
    switch (name) {
      case 'frame':
        return true;
      case 'eth':
        return idx.linkTypeOf(this.i) === 1;
      case 'ip':
        return (f & PF_IP) !== 0 && (f & PF_IPV6) === 0;
      case 'ipv6':
        return (f & PF_IPV6) !== 0;
      case 'tcp':
        return (f & PF_TCP) !== 0;
      case 'udp':
        return (f & PF_UDP) !== 0;
      case 'smtp':
      case 'pop':
      case 'http':
      case 'ftp':
      case 'ftp-data':
      case 'tls':
        return this.appProtocol() === name;
      case 'dns': {
        const p = this.pkt();
        const ports = p.udp ? [p.udp.srcPort, p.udp.dstPort] : p.tcp ? [p.tcp.srcPort, p.tcp.dstPort] : [];
        return ports.includes(53);
      }
      default:
        return this.pkt().protocol.toLowerCase() === name;
    }
  }

  /**
   * A protocol's bytes, as `tcp contains "x"` and `smtp matches "…"` search them in tshark: from the
   * start of that layer to the end of the packet's data (`ip` = its header and everything it
   * carries, `tcp` = the segment, header and payload); an application protocol (`smtp`, `pop`,
   * `http`, `ftp`, `ftp-data`, `tls`) = the TCP payload of a frame labelled with it; `dns` = the
   * UDP/TCP payload on port 53.
   */
  private protocolBytes(name: string): ReadonlyArray<Uint8Array> {
    if (!this.hasProtocol(name)) return EMPTY;
    const p = this.pkt();
    const t = p.tcp ?? p.udp;
    const end = (data: Uint8Array) =>
      t ? Math.min(data.length, t.payloadOffset + t.payloadLength) : data.length;
    if (name in APP_PAYLOAD || name === 'dns')
      return t && t.payloadLength ? [p.data.subarray(t.payloadOffset, end(p.data))] : EMPTY;
    if (name === 'tcp' && p.tcp)
      return [p.data.subarray(p.tcp.payloadOffset - p.tcp.headerLength, end(p.data))];
    if (name === 'udp' && p.udp) return [p.data.subarray(p.udp.payloadOffset - 8, end(p.data))];
    // The other layers' offsets come from the decoded tree (made only for these filters).
    const tree = decodePacket(this.s.analyzer.index.linkTypeOf(this.i), this.bytes!, this.i + 1, {
      tree: true,
    });
    const data = tree.data;
    const layers = tree.layers ?? [];
    const layer = layers.find((l) => l.id === name);
    if (layer)
      return [data.subarray(layer.offset, name === 'eth' ? data.length : Math.max(layer.offset, end(data)))];
    // icmp, icmpv6, arp: what follows the last header decoded.
    const last = layers[layers.length - 1];
    return last ? [data.subarray(Math.min(data.length, last.offset + last.length))] : EMPTY;
  }

  values(field: string): ReadonlyArray<number | string | Uint8Array> {
    const idx = this.s.analyzer.index;
    const i = this.i;
    const f = idx.flags[i];
    const k = kindOf(field);
    switch (k.kind) {
      case FRAME_NUMBER:
        return [i + 1];
      case FRAME_LEN:
        return [idx.origLenOf(i)];
      case FRAME_CAP_LEN:
        return [idx.capLen[i]];
      case FRAME_TIME:
        return [idx.time[i]];
      case FRAME_BYTES:
        this.pkt();
        return [this.bytes!];
      case APP: {
        const fields = this.s.labels.get(i + 1)?.fields;
        if (!fields) return EMPTY;
        const out: Array<string | number> = [];
        for (const fs of fields) if (field in fs) out.push(fs[field]);
        return out.length ? out : EMPTY;
      }
      case DECODED:
        return decodedValues(this.pkt(), field);
      case PROTOCOL_BYTES:
        return this.protocolBytes(field);
      case NONE:
        return EMPTY;
    }
    // tcp.* fields
    if (!(f & PF_TCP)) return EMPTY;
    switch (k.kind) {
      case TCP_STREAM:
        return idx.conn[i] >= 0 ? [idx.conn[i]] : EMPTY; // (a packet past the connection limit has none)
      case TCP_FLAGS:
        return [idx.tcpFlags[i]];
      case TCP_FLAG_BIT:
        return [idx.tcpFlags[i] & k.bit ? 1 : 0];
      case TCP_SEQ:
        return [idx.relSeq[i]];
      case TCP_ACK:
        return [idx.relAck[i]];
      case TCP_ANALYSIS_FLAGS:
        return idx.analysis[i] ? [1] : EMPTY;
      case TCP_ANALYSIS:
        return idx.analysis[i] & k.bit ? [1] : EMPTY;
      case TCP_ANALYSIS_NUMBER: {
        const t = tcpAnalysisNumbers(this.s);
        if (i >= t.rows) return EMPTY;
        const value =
          field === 'tcp.analysis.duplicate_ack_num'
            ? t.dupAckNum[i]
            : field === 'tcp.analysis.duplicate_ack_frame'
              ? t.dupAckFrame[i]
              : field === 'tcp.analysis.acks_frame'
                ? t.ackedFrame[i]
                : field === 'tcp.analysis.ack_rtt'
                  ? t.ackRtt[i]
                  : t.bytesInFlight[i];
        // (0 / NaN: tshark shows no such field on this frame)
        return value && !Number.isNaN(value) ? [value] : EMPTY;
      }
      case TCP_PORT: {
        const conn = idx.conn[i];
        const st = conn >= 0 ? this.s.loaded?.output.states[conn] : undefined;
        if (st) {
          const fromServer = (f & PF_FROM_SERVER) !== 0;
          const src = fromServer ? st.server.port : st.client.port;
          const dst = fromServer ? st.client.port : st.server.port;
          return field === 'tcp.srcport' ? [src] : field === 'tcp.dstport' ? [dst] : [src, dst];
        }
        return decodedValues(this.pkt(), field);
      }
      case TCP_DECODED:
        return decodedValues(this.pkt(), field);
    }
    return EMPTY;
  }
}

// How a field is answered, worked out once per field name (a filter asks for it once per packet).
const FRAME_NUMBER = 0,
  FRAME_LEN = 1,
  FRAME_CAP_LEN = 2,
  FRAME_TIME = 3,
  FRAME_BYTES = 4,
  APP = 5,
  DECODED = 6,
  NONE = 7,
  PROTOCOL_BYTES = 8;
const TCP_STREAM = 10,
  TCP_FLAGS = 11,
  TCP_FLAG_BIT = 12,
  TCP_SEQ = 13,
  TCP_ACK = 14,
  TCP_ANALYSIS_FLAGS = 15,
  TCP_ANALYSIS = 16,
  TCP_PORT = 17,
  TCP_DECODED = 18,
  TCP_NONE = 19,
  TCP_ANALYSIS_NUMBER = 20;

interface FieldKind {
  kind: number;
  bit: number;
}

const KINDS = new Map<string, FieldKind>();
const FRAME_KINDS: Record<string, number> = {
  'frame.number': FRAME_NUMBER,
  'frame.len': FRAME_LEN,
  'frame.cap_len': FRAME_CAP_LEN,
  'frame.time_relative': FRAME_TIME,
  frame: FRAME_BYTES,
};
const TCP_KINDS: Record<string, number> = {
  'tcp.stream': TCP_STREAM,
  'tcp.flags': TCP_FLAGS,
  'tcp.seq': TCP_SEQ,
  'tcp.ack': TCP_ACK,
  'tcp.analysis.flags': TCP_ANALYSIS_FLAGS,
  'tcp.srcport': TCP_PORT,
  'tcp.dstport': TCP_PORT,
  'tcp.port': TCP_PORT,
};

function kindOf(field: string): FieldKind {
  let k = KINDS.get(field);
  if (k) return k;
  let kind: number;
  if (field in FRAME_KINDS) kind = FRAME_KINDS[field];
  else if (field.startsWith('tcp.')) {
    if (field in FLAG_BITS) kind = TCP_FLAG_BIT;
    else if (field in TCP_KINDS) kind = TCP_KINDS[field];
    else if (TCP_ANALYSIS_NUMBERS.has(field)) kind = TCP_ANALYSIS_NUMBER;
    else if (field.startsWith('tcp.analysis.')) kind = TCP_ANALYSIS;
    // Only header fields need the packet re-read from the file; anything else (a protocol field on a
    // frame without it) has no value here — never read 1M packets from disk to learn that.
    else kind = DECODED_FIELDS.has(field) ? TCP_DECODED : TCP_NONE;
  } else if (FILTER_PROTOCOLS.has(field)) kind = PROTOCOL_BYTES;
  else if (/^(smtp|pop|http|ftp|tls)\./.test(field)) kind = APP;
  else kind = DECODED_FIELDS.has(field) ? DECODED : NONE;
  k = { kind, bit: kind === TCP_ANALYSIS ? analysisToBits([field]) : (FLAG_BITS[field] ?? 0) };
  KINDS.set(field, k);
  return k;
}

const TCP_ANALYSIS_NUMBERS = new Set([
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.bytes_in_flight',
]);

const DECODED_FIELDS = new Set([
  'ip.src',
  'ip.dst',
  'ip.addr',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.addr',
  'ip.proto',
  'ip.ttl',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.port',
  'tcp.len',
  'tcp.window_size_value',
  'tcp.payload',
  'udp.srcport',
  'udp.dstport',
  'udp.port',
]);

function decodedValues(p: DecodedPacket, field: string): ReadonlyArray<number | string | Uint8Array> {
  const v4 = p.ipVersion === 4;
  const v6 = p.ipVersion === 6;
  switch (field) {
    case 'ip.src':
      return v4 && p.src ? [p.src] : EMPTY;
    case 'ip.dst':
      return v4 && p.dst ? [p.dst] : EMPTY;
    case 'ip.addr':
      return v4 && p.src && p.dst ? [p.src, p.dst] : EMPTY;
    case 'ipv6.src':
      return v6 && p.src ? [p.src] : EMPTY;
    case 'ipv6.dst':
      return v6 && p.dst ? [p.dst] : EMPTY;
    case 'ipv6.addr':
      return v6 && p.src && p.dst ? [p.src, p.dst] : EMPTY;
    case 'ip.proto':
      return v4 && p.ipProto !== undefined ? [p.ipProto] : EMPTY;
    case 'ip.ttl':
      return v4 && p.ttl !== undefined ? [p.ttl] : EMPTY;
    case 'tcp.srcport':
      return p.tcp ? [p.tcp.srcPort] : EMPTY;
    case 'tcp.dstport':
      return p.tcp ? [p.tcp.dstPort] : EMPTY;
    case 'tcp.port':
      return p.tcp ? [p.tcp.srcPort, p.tcp.dstPort] : EMPTY;
    case 'tcp.len':
      return p.tcp ? [p.tcp.claimedPayloadLength] : EMPTY;
    case 'tcp.window_size_value':
      return p.tcp ? [p.tcp.window] : EMPTY;
    case 'tcp.payload':
      return p.tcp && p.tcp.payloadLength
        ? [p.data.subarray(p.tcp.payloadOffset, p.tcp.payloadOffset + p.tcp.payloadLength)]
        : EMPTY;
    case 'udp.srcport':
      return p.udp ? [p.udp.srcPort] : EMPTY;
    case 'udp.dstport':
      return p.udp ? [p.udp.dstPort] : EMPTY;
    case 'udp.port':
      return p.udp ? [p.udp.srcPort, p.udp.dstPort] : EMPTY;
    default:
      return EMPTY;
  }
}
