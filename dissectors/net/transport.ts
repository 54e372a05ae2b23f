/**
 * TCP (all flags, options MSS / window scale / SACK-permitted / SACK / timestamps) and UDP.
 * `end` is where the IP datagram says the segment ends; bytes beyond the capture are counted in
 * claimedPayloadLength but not in payloadLength.
 */
import type { Diagnostic } from '../model/diagnostic';
import { netDiag } from './diagnostic-codes';
import type { TreeBuilder } from './tree';
import { TCP_AE, type TcpHeader, type TcpOptions, type UdpHeader } from './types';

const u16 = (d: Uint8Array, o: number): number => (d[o] << 8) | d[o + 1];
const u32 = (d: Uint8Array, o: number): number => ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;

/** In tshark's Info order: [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE]. */
const FLAG_NAMES: Array<[number, string]> = [
  [0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'], [TCP_AE, 'AE'],
];

export function tcpFlagNames(flags: number): string[] {
  return FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
}

/** A TcpHeader to decode into (see PacketDecoder, which refills one for every packet). */
export function newTcpHeader(): TcpHeader {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, headerLength: 0, urgentPointer: 0, options: { kinds: [] }, payloadOffset: 0, payloadLength: 0, claimedPayloadLength: 0 };
}

/** Decodes the TCP header at `o`; with `into`, refills that header (and its options) instead of making new ones. */
export function decodeTcp(d: Uint8Array, o: number, end: number, frame: number, diags: Diagnostic[], t: TreeBuilder | null, into: TcpHeader | null = null): TcpHeader | null {
  const avail = Math.min(end, d.length);
  if (o + 20 > avail) {
    diags.push(netDiag('tcp.header.truncated', frame, `${Math.max(0, avail - o)} of 20 bytes`));
    return null;
  }
  const hl = (d[o + 12] >> 4) * 4;
  if (hl < 20) {
    diags.push(netDiag('tcp.header.length_invalid', frame, `${hl} bytes`));
    return null;
  }
  if (o + hl > end) {
    diags.push(netDiag('tcp.length_invalid', frame, `header length ${hl} > ${end - o} bytes of IP payload`));
    return null;
  }
  const optionsEnd = Math.min(o + hl, d.length);
  // Snaplen cut inside the options: keep the fixed header (ports, flags) as tshark does, and say so.
  if (o + hl > d.length) diags.push(netDiag('tcp.header.truncated', frame, `options cut by the snaplen: header is ${hl} bytes, ${d.length - o} captured`));
  const h = into ?? newTcpHeader();
  // A refilled header's options are cleared; its timestamp object is reused if this packet has one.
  const options = h.options;
  const spareTimestamp = options.timestamp;
  if (into) options.mss = options.windowScale = options.sackPermitted = options.sack = options.timestamp = undefined;
  const kinds = hl > 20 ? decodeOptions(d, o + 20, optionsEnd, options, frame, diags, spareTimestamp) : 0;
  // The kinds were written over the refilled header's from the start: cut to this packet's (V8 frees
  // an array's storage when its length is set to 0, and push then allocates ~150 bytes: once per
  // packet when it was cleared first).
  if (options.kinds.length !== kinds) options.kinds.length = kinds;
  h.srcPort = u16(d, o);
  h.dstPort = u16(d, o + 2);
  h.seq = u32(d, o + 4);
  h.ack = u32(d, o + 8);
  h.flags = d[o + 13] | (d[o + 12] & 1 ? TCP_AE : 0);
  h.window = u16(d, o + 14);
  h.headerLength = hl;
  h.urgentPointer = u16(d, o + 18);
  h.payloadOffset = o + hl;
  h.payloadLength = Math.max(0, Math.min(end, d.length) - (o + hl));
  h.claimedPayloadLength = Math.max(0, end - (o + hl));
  if (t) tcpTree(t, d, o, h);
  return h;
}

/** Decodes the options into `opt`, their kinds into opt.kinds from index 0 on; returns how many kinds. */
function decodeOptions(d: Uint8Array, p: number, end: number, opt: TcpOptions, frame: number, diags: Diagnostic[], spareTimestamp: TcpOptions['timestamp']): number {
  const kinds = opt.kinds;
  let n = 0;
  while (p < end) {
    const kind = d[p];
    if (kind === 0) {
      kinds[n++] = 0;
      return n;
    }
    if (kind === 1) {
      kinds[n++] = 1;
      p++;
      continue;
    }
    if (p + 1 >= end || d[p + 1] < 2 || p + d[p + 1] > end) {
      diags.push(netDiag('tcp.option.length_invalid', frame, `kind ${kind}`));
      return n;
    }
    const len = d[p + 1];
    kinds[n++] = kind;
    if (kind === 2 && len === 4) opt.mss = u16(d, p + 2);
    else if (kind === 3 && len === 3) opt.windowScale = d[p + 2];
    else if (kind === 4 && len === 2) opt.sackPermitted = true;
    else if (kind === 5 && len >= 10 && (len - 2) % 8 === 0) {
      opt.sack = [];
      for (let q = p + 2; q + 8 <= p + len; q += 8) opt.sack.push([u32(d, q), u32(d, q + 4)]);
    } else if (kind === 8 && len === 10) {
      if (spareTimestamp) {
        spareTimestamp.value = u32(d, p + 2);
        spareTimestamp.echo = u32(d, p + 6);
        opt.timestamp = spareTimestamp;
      } else opt.timestamp = { value: u32(d, p + 2), echo: u32(d, p + 6) };
    }
    else if (kind <= 8 && kind !== 6 && kind !== 7) diags.push(netDiag('tcp.option.length_invalid', frame, `kind ${kind} length ${len}`));
    p += len;
  }
  return n;
}

function tcpTree(t: TreeBuilder, d: Uint8Array, o: number, h: TcpHeader): void {
  t.layer('tcp', `Transmission Control Protocol, Src Port: ${h.srcPort}, Dst Port: ${h.dstPort}, Len: ${h.claimedPayloadLength}`, o, h.headerLength);
  t.field('tcp.srcport', `Source Port: ${h.srcPort}`, o, 2);
  t.field('tcp.dstport', `Destination Port: ${h.dstPort}`, o + 2, 2);
  t.field('tcp.seq_raw', `Sequence Number (raw): ${h.seq}`, o + 4, 4);
  t.field('tcp.ack_raw', `Acknowledgment Number (raw): ${h.ack}`, o + 8, 4);
  t.field('tcp.hdr_len', `Header Length: ${h.headerLength} bytes`, o + 12, 1);
  const names = tcpFlagNames(h.flags);
  t.field('tcp.flags', `Flags: 0x${h.flags.toString(16).padStart(3, '0')} (${names.join(', ') || 'none'})`, o + 12, 2,
    FLAG_NAMES.map(([bit, n]) => ({ name: `tcp.flags.${n.toLowerCase()}`, label: `${n}: ${h.flags & bit ? 'Set' : 'Not set'}`, offset: o + 12, length: 2 })));
  t.field('tcp.window_size_value', `Window: ${h.window}`, o + 14, 2);
  t.field('tcp.checksum', `Checksum: 0x${u16(d, o + 16).toString(16).padStart(4, '0')}`, o + 16, 2);
  t.field('tcp.urgent_pointer', `Urgent Pointer: ${h.urgentPointer}`, o + 18, 2);
  const op = h.options;
  if (h.headerLength > 20) {
    const kids = [];
    if (op.mss !== undefined) kids.push({ name: 'tcp.options.mss_val', label: `Maximum segment size: ${op.mss} bytes`, offset: o + 20, length: h.headerLength - 20 });
    if (op.windowScale !== undefined) kids.push({ name: 'tcp.options.wscale.shift', label: `Window scale: ${op.windowScale} (multiply by ${2 ** op.windowScale})`, offset: o + 20, length: h.headerLength - 20 });
    if (op.sackPermitted) kids.push({ name: 'tcp.options.sack_perm', label: 'SACK permitted', offset: o + 20, length: h.headerLength - 20 });
    if (op.timestamp) kids.push({ name: 'tcp.options.timestamp.tsval', label: `Timestamps: TSval ${op.timestamp.value}, TSecr ${op.timestamp.echo}`, offset: o + 20, length: h.headerLength - 20 });
    if (op.sack) kids.push({ name: 'tcp.options.sack', label: `SACK: ${op.sack.map(([l, r]) => `${l}-${r}`).join(' ')}`, offset: o + 20, length: h.headerLength - 20 });
    t.field('tcp.options', `Options: (${h.headerLength - 20} bytes)`, o + 20, h.headerLength - 20, kids);
  }
  if (h.payloadLength > 0) t.field('tcp.payload', `TCP payload (${h.payloadLength} bytes)`, h.payloadOffset, h.payloadLength);
}

export function decodeUdp(d: Uint8Array, o: number, end: number, frame: number, diags: Diagnostic[], t: TreeBuilder | null): UdpHeader | null {
  if (o + 8 > Math.min(end, d.length)) {
    diags.push(netDiag('udp.header.truncated', frame));
    return null;
  }
  const length = u16(d, o + 4);
  if (length < 8 || o + length > end) diags.push(netDiag('udp.length_invalid', frame, String(length)));
  const stop = Math.min(d.length, end, length >= 8 ? o + length : end);
  const h: UdpHeader = { srcPort: u16(d, o), dstPort: u16(d, o + 2), length, payloadOffset: o + 8, payloadLength: Math.max(0, stop - o - 8) };
  if (t) {
    t.layer('udp', `User Datagram Protocol, Src Port: ${h.srcPort}, Dst Port: ${h.dstPort}`, o, 8);
    t.field('udp.srcport', `Source Port: ${h.srcPort}`, o, 2);
    t.field('udp.dstport', `Destination Port: ${h.dstPort}`, o + 2, 2);
    t.field('udp.length', `Length: ${length}`, o + 4, 2);
  }
  return h;
}
