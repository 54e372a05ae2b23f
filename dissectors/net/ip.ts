/**
 * IPv4 (options, fragment fields, total length vs captured length) and IPv6 (extension headers,
 * jumbograms, fragment header). Results say where the transport starts and ends in the frame.
 */
import type { Diagnostic } from '../model/diagnostic';
import { formatIpv4, formatIpv6 } from './address';
import { netDiag } from './diagnostic-codes';
import type { TreeBuilder } from './tree';
import type { Ipv4Fragment } from './types';

export interface IpResult {
  version: 4 | 6;
  src: string;
  dst: string;
  proto: number;
  ttl: number;
  id: number;
  /** Transport header starts here… */
  payloadOffset: number;
  /** …and the IP datagram says it ends here (may be beyond the captured bytes). */
  claimedEnd: number;
  fragment?: Ipv4Fragment;
  /** IPv6 fragment (not reassembled): transport not decodable from this packet. */
  ipv6Fragment?: boolean;
}

const u16 = (d: Uint8Array, o: number): number => (d[o] << 8) | d[o + 1];

/** An IpResult to decode into (see PacketDecoder, which refills one for every packet). */
export function newIpResult(): IpResult {
  return { version: 4, src: '', dst: '', proto: 0, ttl: 0, id: 0, payloadOffset: 0, claimedEnd: 0 };
}

/** `into` refilled (its optional fields cleared), or a fresh result. */
function ipResult(into: IpResult | null, version: 4 | 6, src: string, dst: string, proto: number, ttl: number, id: number, payloadOffset: number, claimedEnd: number): IpResult {
  const r = into ?? newIpResult();
  r.version = version;
  r.src = src;
  r.dst = dst;
  r.proto = proto;
  r.ttl = ttl;
  r.id = id;
  r.payloadOffset = payloadOffset;
  r.claimedEnd = claimedEnd;
  if (into) into.fragment = into.ipv6Fragment = undefined;
  return r;
}

export function decodeIpv4(d: Uint8Array, o: number, frame: number, diags: Diagnostic[], t: TreeBuilder | null, into: IpResult | null = null): IpResult | null {
  if (o + 20 > d.length) {
    diags.push(netDiag('ipv4.header.truncated', frame, `${d.length - o} of 20 bytes`));
    return null;
  }
  if (d[o] >> 4 !== 4) {
    diags.push(netDiag('ipv4.version_invalid', frame, String(d[o] >> 4)));
    return null;
  }
  const hl = (d[o] & 0x0f) * 4;
  if (hl < 20) {
    diags.push(netDiag('ipv4.header.length_invalid', frame, `${hl} bytes`));
    return null;
  }
  if (o + hl > d.length) {
    diags.push(netDiag('ipv4.header.truncated', frame, `options cut: header is ${hl} bytes`));
    return null;
  }
  let total = u16(d, o + 2);
  if (total === 0) {
    diags.push(netDiag('ipv4.total_length_zero', frame));
    total = d.length - o;
  } else if (total < hl) {
    diags.push(netDiag('ipv4.total_length_invalid', frame, `${total} < ${hl}`));
    return null;
  }
  const flagsFrag = u16(d, o + 6);
  const moreFragments = (flagsFrag & 0x2000) !== 0;
  const fragOffset = (flagsFrag & 0x1fff) * 8;
  const r = ipResult(into, 4, formatIpv4(d, o + 12), formatIpv4(d, o + 16), d[o + 9], d[o + 8], u16(d, o + 4), o + hl, o + total);
  if (moreFragments || fragOffset > 0) {
    r.fragment = {
      id: r.id,
      offset: fragOffset,
      moreFragments,
      protocol: r.proto,
      payloadOffset: o + hl,
      payloadLength: Math.max(0, Math.min(o + total, d.length) - (o + hl)),
    };
  }
  if (t) {
    t.layer('ip', `Internet Protocol Version 4, Src: ${r.src}, Dst: ${r.dst}`, o, hl);
    t.field('ip.hdr_len', `Header Length: ${hl} bytes`, o, 1);
    t.field('ip.len', `Total Length: ${total}`, o + 2, 2);
    t.field('ip.id', `Identification: 0x${r.id.toString(16).padStart(4, '0')} (${r.id})`, o + 4, 2);
    t.field('ip.flags', `Flags: ${flagsFrag & 0x4000 ? "Don't fragment" : ''}${moreFragments ? 'More fragments' : ''}`, o + 6, 1);
    t.field('ip.frag_offset', `Fragment Offset: ${fragOffset}`, o + 6, 2);
    t.field('ip.ttl', `Time to Live: ${r.ttl}`, o + 8, 1);
    t.field('ip.proto', `Protocol: ${protoName(r.proto)} (${r.proto})`, o + 9, 1);
    t.field('ip.checksum', `Header Checksum: 0x${u16(d, o + 10).toString(16).padStart(4, '0')}`, o + 10, 2);
    t.field('ip.src', `Source Address: ${r.src}`, o + 12, 4);
    t.field('ip.dst', `Destination Address: ${r.dst}`, o + 16, 4);
  }
  return r;
}

const EXT_HOP = 0;
const EXT_ROUTING = 43;
const EXT_FRAGMENT = 44;
const EXT_DSTOPTS = 60;
const EXT_AH = 51;
const EXT_MOBILITY = 135;
const MAX_EXT_HEADERS = 16;

export function decodeIpv6(d: Uint8Array, o: number, frame: number, diags: Diagnostic[], t: TreeBuilder | null, into: IpResult | null = null): IpResult | null {
  if (o + 40 > d.length) {
    diags.push(netDiag('ipv6.header.truncated', frame, `${d.length - o} of 40 bytes`));
    return null;
  }
  if (d[o] >> 4 !== 6) {
    diags.push(netDiag('ipv6.version_invalid', frame, String(d[o] >> 4)));
    return null;
  }
  const plen = u16(d, o + 4);
  const r = ipResult(into, 6, formatIpv6(d, o + 8), formatIpv6(d, o + 24), d[o + 6], d[o + 7], 0, o + 40, o + 40 + plen);
  if (t) {
    t.layer('ipv6', `Internet Protocol Version 6, Src: ${r.src}, Dst: ${r.dst}`, o, 40);
    t.field('ipv6.plen', `Payload Length: ${plen}`, o + 4, 2);
    t.field('ipv6.nxt', `Next Header: ${protoName(r.proto)} (${r.proto})`, o + 6, 1);
    t.field('ipv6.hlim', `Hop Limit: ${r.ttl}`, o + 7, 1);
    t.field('ipv6.src', `Source Address: ${r.src}`, o + 8, 16);
    t.field('ipv6.dst', `Destination Address: ${r.dst}`, o + 24, 16);
  }
  let jumbo = false;
  let p = o + 40;
  for (let n = 0; ; n++) {
    const nh = r.proto;
    if (nh !== EXT_HOP && nh !== EXT_ROUTING && nh !== EXT_FRAGMENT && nh !== EXT_DSTOPTS && nh !== EXT_AH && nh !== EXT_MOBILITY) break;
    if (n >= MAX_EXT_HEADERS) {
      diags.push(netDiag('ipv6.ext.too_many', frame));
      return null;
    }
    if (p + 8 > d.length) {
      diags.push(netDiag('ipv6.ext.truncated', frame, `header ${nh}`));
      return null;
    }
    const len = nh === EXT_FRAGMENT ? 8 : nh === EXT_AH ? (d[p + 1] + 2) * 4 : (d[p + 1] + 1) * 8;
    if (p + len > d.length) {
      diags.push(netDiag('ipv6.ext.truncated', frame, `header ${nh} claims ${len} bytes`));
      return null;
    }
    if (nh === EXT_HOP && plen === 0) jumbo = readJumbo(d, p, len, r, frame, diags);
    if (nh === EXT_FRAGMENT) {
      const off = u16(d, p + 2) & 0xfff8;
      const more = (d[p + 3] & 1) === 1;
      if (off !== 0 || more) r.ipv6Fragment = true;
      r.id = ((d[p + 4] << 24) | (d[p + 5] << 16) | (d[p + 6] << 8) | d[p + 7]) >>> 0;
    }
    if (t) t.field(`ipv6.ext.${nh}`, `Extension header ${protoName(nh)} (${len} bytes)`, p, len);
    r.proto = d[p];
    p += len;
  }
  r.payloadOffset = p;
  if (plen === 0 && !jumbo) {
    diags.push(netDiag('ipv6.payload_length_zero', frame));
    r.claimedEnd = d.length;
  }
  return r;
}

function readJumbo(d: Uint8Array, p: number, len: number, r: IpResult, frame: number, diags: Diagnostic[]): boolean {
  for (let q = p + 2; q + 2 <= p + len; ) {
    const type = d[q];
    if (type === 0) {
      q++;
      continue;
    }
    const olen = d[q + 1];
    if (type === 0xc2) {
      if (olen !== 4 || q + 6 > p + len) {
        diags.push(netDiag('ipv6.jumbo.invalid', frame));
        return false;
      }
      const jl = ((d[q + 2] << 24) | (d[q + 3] << 16) | (d[q + 4] << 8) | d[q + 5]) >>> 0;
      r.claimedEnd = r.payloadOffset + jl;
      return true;
    }
    q += 2 + olen;
  }
  return false;
}

export function protoName(p: number): string {
  switch (p) {
    case 1: return 'ICMP';
    case 2: return 'IGMP';
    case 4: return 'IPIP';
    case 6: return 'TCP';
    case 17: return 'UDP';
    case 41: return 'IPv6';
    case 47: return 'GRE';
    case 50: return 'ESP';
    case 51: return 'AH';
    case 58: return 'ICMPv6';
    case 132: return 'SCTP';
    case 0: return 'IPv6 Hop-by-Hop Option';
    case 43: return 'Routing Header for IPv6';
    case 44: return 'Fragment Header for IPv6';
    case 60: return 'Destination Options for IPv6';
    default: return `protocol ${p}`;
  }
}
