/**
 * One packet, link layer to transport. Without { tree } it is the bulk fast path (no details tree,
 * no strings beyond addresses); with { tree } it also builds Wireshark's packet-details tree.
 * Never throws: malformed headers become diagnostics and decoding stops at that layer.
 */
import type { Diagnostic } from '../model/diagnostic';
import { netDiag } from './diagnostic-codes';
import { decodeIpv4, decodeIpv6, newIpResult, protoName, type IpResult } from './ip';
import {
  decodeEthernet,
  decodeNull,
  decodeRaw,
  decodeSll,
  decodeSll2,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  type LinkResult,
} from './link-layers';
import { unwrapNflog, unwrapPktap } from './encapsulations';
import { arpInfo, icmpInfo } from './other-protocols';
import { decodeTcp, decodeUdp, newTcpHeader } from './transport';
import { TreeBuilder } from './tree';
import type { DecodedPacket, DecodeOptions, TcpHeader } from './types';

const MAX_TUNNEL_DEPTH = 3;

/** Decodes the link layer; `into` (the bulk decoder's) is refilled for Ethernet, the common case. */
export function decodeLink(linkType: number, d: Uint8Array, frame: number, diags: Diagnostic[], t: TreeBuilder | null, into: LinkResult | null = null): LinkResult | null {
  switch (linkType) {
    case 1:
      return decodeEthernet(d, frame, diags, t, into);
    case 113:
      return decodeSll(d, frame, diags, t);
    case 276:
      return decodeSll2(d, frame, diags, t);
    case 0:
      return decodeNull(d, frame, diags, t, false);
    case 108:
      return decodeNull(d, frame, diags, t, true);
    case 101:
    case 12:
    case 14:
      return decodeRaw(d, frame, diags);
    case 228:
      return decodeRaw(d, frame, diags, 4);
    case 229:
      return decodeRaw(d, frame, diags, 6);
    default:
      return null;
  }
}

export function decodePacket(linkType: number, data: Uint8Array, frame: number, options?: DecodeOptions): DecodedPacket {
  if (linkType === 239 || linkType === 258) {
    const diags: Diagnostic[] = [];
    const inner = linkType === 239 ? unwrapNflog(data, frame, diags) : unwrapPktap(data, frame, diags);
    if (inner && inner.linkType !== 239 && inner.linkType !== 258) {
      const pkt = decodePacket(inner.linkType, inner.data, frame, options);
      pkt.linkType = linkType;
      pkt.link = linkType === 239 ? 'nflog' : 'pktap';
      pkt.diagnostics.unshift(...diags);
      return pkt;
    }
    return { linkType, link: linkType === 239 ? 'nflog' : 'pktap', protocol: linkType === 239 ? 'NFLOG' : 'PKTAP', info: '', data, diagnostics: diags };
  }
  const diagnostics: Diagnostic[] = [];
  const t = options?.tree ? new TreeBuilder() : null;
  const pkt: DecodedPacket = { linkType, link: 'unknown', protocol: 'Unknown', info: '', data, diagnostics };
  if (t) pkt.layers = t.layers;
  decodeLayers(pkt, linkType, data, frame, t, null);
  return pkt;
}

/**
 * Decodes packet after packet into one packet object and one set of header objects, for the bulk
 * pass over a capture: a fresh DecodedPacket, IP result, TCP header and options per packet were
 * ~0.6 KB of short-lived objects each (a third of what a 1 GiB load allocated; the collector's
 * cost follows the bytes). What decode() returns is valid until the next call: copy what you keep.
 * Same decoding as decodePacket (which the tests compare it with).
 */
export class PacketDecoder {
  private readonly scratch: DecodeScratch = { link: { etherType: -1, offset: 0, name: '' }, ip: newIpResult(), tcp: newTcpHeader() };
  private readonly pkt: DecodedPacket = {
    linkType: 0, link: 'unknown', vlan: undefined, network: undefined, ipVersion: undefined, src: undefined, dst: undefined,
    ipProto: undefined, ttl: undefined, ipId: undefined, fragment: undefined, tcp: undefined, udp: undefined,
    protocol: 'Unknown', info: '', data: new Uint8Array(0), layers: undefined, diagnostics: [],
  };

  decode(linkType: number, data: Uint8Array, frame: number): DecodedPacket {
    if (linkType === 239 || linkType === 258) return decodePacket(linkType, data, frame);
    const p = this.pkt;
    p.linkType = linkType;
    p.link = 'unknown';
    p.vlan = p.network = p.ipVersion = p.src = p.dst = p.ipProto = p.ttl = p.ipId = p.fragment = p.tcp = p.udp = undefined;
    p.protocol = 'Unknown';
    p.info = '';
    p.data = data;
    // Emptied only when it holds something: setting the length is a call into the runtime (~50 ms a GiB).
    if (p.diagnostics.length) p.diagnostics.length = 0;
    decodeLayers(p, linkType, data, frame, null, this.scratch);
    return p;
  }
}

/** Header objects the bulk decoder fills again for every packet (null: fresh objects). */
interface DecodeScratch {
  link: LinkResult;
  ip: IpResult;
  tcp: TcpHeader;
}

function decodeLayers(pkt: DecodedPacket, linkType: number, data: Uint8Array, frame: number, t: TreeBuilder | null, scratch: DecodeScratch | null): void {
  const diagnostics = pkt.diagnostics;
  const link = decodeLink(linkType, data, frame, diagnostics, t, scratch?.link ?? null);
  if (!link) {
    pkt.info = `Undecoded (link type ${linkType})`;
    diagnostics.push(netDiag('link.type.unsupported', frame, String(linkType)));
    return;
  }
  pkt.link = link.name;
  if (link.vlan) pkt.vlan = link.vlan;
  pkt.protocol = link.name === 'eth' ? 'Ethernet' : link.name === 'llc' ? 'LLC' : link.name.toUpperCase();
  if (link.etherType === ETHERTYPE_ARP) {
    pkt.network = 'arp';
    pkt.protocol = 'ARP';
    pkt.info = arpInfo(data, link.offset, frame, diagnostics);
    return;
  }
  if (link.etherType !== ETHERTYPE_IPV4 && link.etherType !== ETHERTYPE_IPV6) {
    if (link.etherType >= 0) pkt.info = `Ethertype 0x${link.etherType.toString(16).padStart(4, '0')}`;
    return;
  }
  decodeIp(pkt, data, link.offset, link.etherType === ETHERTYPE_IPV4 ? 4 : 6, frame, t, 0, scratch);
}

function decodeIp(pkt: DecodedPacket, d: Uint8Array, o: number, version: 4 | 6, frame: number, t: TreeBuilder | null, depth: number, scratch: DecodeScratch | null): void {
  const diags = pkt.diagnostics;
  const into = scratch?.ip ?? null;
  const ip: IpResult | null = version === 4 ? decodeIpv4(d, o, frame, diags, t, into) : decodeIpv6(d, o, frame, diags, t, into);
  pkt.network = version === 4 ? 'ipv4' : 'ipv6';
  pkt.protocol = version === 4 ? 'IPv4' : 'IPv6';
  if (!ip) return;
  pkt.ipVersion = version;
  pkt.src = ip.src;
  pkt.dst = ip.dst;
  pkt.ipProto = ip.proto;
  pkt.ttl = ip.ttl;
  pkt.ipId = ip.id;
  if (ip.fragment && (ip.fragment.offset > 0 || ip.fragment.moreFragments)) {
    pkt.fragment = ip.fragment;
    pkt.info = `Fragmented IP protocol (proto=${protoName(ip.proto)} ${ip.proto}, off=${ip.fragment.offset}, ID=${ip.id.toString(16).padStart(4, '0')})`;
    if (ip.fragment.offset > 0) return;
  }
  if (ip.ipv6Fragment) {
    pkt.info = `IPv6 fragment (nxt=${protoName(ip.proto)} (${ip.proto}) id=0x${ip.id.toString(16)})`;
    return;
  }
  if ((ip.proto === 4 || ip.proto === 41) && depth < MAX_TUNNEL_DEPTH) {
    return decodeIp(pkt, d, ip.payloadOffset, ip.proto === 4 ? 4 : 6, frame, t, depth + 1, scratch);
  }
  if ((ip.proto === 4 || ip.proto === 41) && depth >= MAX_TUNNEL_DEPTH) {
    diags.push(netDiag('ipv4.tunnel.too_deep', frame));
    return;
  }
  if (pkt.fragment) return; // first fragment: transport decoded after reassembly
  decodeTransportAt(pkt, d, ip.payloadOffset, ip.claimedEnd, ip.proto, frame, t, scratch?.tcp ?? null);
}

function decodeTransportAt(pkt: DecodedPacket, d: Uint8Array, o: number, end: number, proto: number, frame: number, t: TreeBuilder | null, tcpInto: TcpHeader | null): void {
  const diags = pkt.diagnostics;
  if (proto === 6) {
    const tcp = decodeTcp(d, o, end, frame, diags, t, tcpInto);
    if (tcp) {
      pkt.tcp = tcp;
      pkt.protocol = 'TCP';
    }
  } else if (proto === 17) {
    const udp = decodeUdp(d, o, end, frame, diags, t);
    if (udp) {
      pkt.udp = udp;
      pkt.protocol = 'UDP';
      pkt.info = `${udp.srcPort} → ${udp.dstPort} Len=${Math.max(0, udp.length - 8)}`;
    }
  } else if (proto === 1 || proto === 58) {
    pkt.protocol = proto === 1 ? 'ICMP' : 'ICMPv6';
    pkt.info = icmpInfo(d, o, proto === 58, frame, diags);
  } else {
    pkt.info = protoName(proto);
  }
}

/**
 * Decodes the transport of a reassembled IPv4 datagram (`datagram` = the transport bytes, i.e. the
 * IP payload). Returns the fields to merge into the packet; offsets refer to `datagram`.
 */
export function decodeTransport(pkt: DecodedPacket, datagram: Uint8Array): Partial<DecodedPacket> {
  const tmp: DecodedPacket = { ...pkt, tcp: undefined, udp: undefined, data: datagram, diagnostics: [] };
  decodeTransportAt(tmp, datagram, 0, datagram.length, pkt.fragment?.protocol ?? pkt.ipProto ?? -1, 0, null, null);
  return { tcp: tmp.tcp, udp: tmp.udp, protocol: tmp.protocol, info: tmp.info, data: datagram };
}
