/**
 * Link layers: Ethernet II (802.1Q/802.1ad VLAN tags, 802.3 length frames), Linux cooked SLL and
 * SLL2, BSD NULL/LOOP, raw IP. Each returns where the network layer starts and what it is.
 */
import type { Diagnostic } from '../model/diagnostic';
import { formatHexBytes, formatMac } from './address';
import { netDiag } from './diagnostic-codes';
import type { TreeBuilder } from './tree';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const MAX_VLAN_TAGS = 4;

export interface LinkResult {
  /** Ethertype of the payload (IPv4/IPv6/ARP/…), or -1 when unknown/undecodable. */
  etherType: number;
  offset: number;
  name: string;
  vlan?: number[];
}

const u16 = (d: Uint8Array, o: number): number => (d[o] << 8) | d[o + 1];

/** Decodes an Ethernet header; with `into`, refills that result instead of making one (the bulk decoder's, for every packet). */
export function decodeEthernet(d: Uint8Array, frame: number, diags: Diagnostic[], t: TreeBuilder | null, into: LinkResult | null = null): LinkResult {
  if (d.length < 14) {
    diags.push(netDiag('eth.header.truncated', frame, `${d.length} bytes`));
    return linkResult(into, -1, d.length, 'eth', undefined);
  }
  if (t) {
    t.layer('eth', `Ethernet II, Src: ${formatMac(d, 6)}, Dst: ${formatMac(d, 0)}`, 0, 14);
    t.field('eth.dst', `Destination: ${formatMac(d, 0)}`, 0, 6);
    t.field('eth.src', `Source: ${formatMac(d, 6)}`, 6, 6);
  }
  let type = u16(d, 12);
  let o = 14;
  let vlan: number[] | undefined;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (o + 4 > d.length) {
      diags.push(netDiag('eth.vlan.truncated', frame));
      return linkResult(into, -1, d.length, 'eth', vlan);
    }
    (vlan ??= []).push(u16(d, o) & 0x0fff);
    if (t) t.field('vlan.id', `802.1Q Virtual LAN, ID: ${u16(d, o) & 0x0fff}`, o - 2, 4);
    type = u16(d, o + 2);
    o += 4;
    if (vlan.length > MAX_VLAN_TAGS) {
      diags.push(netDiag('eth.vlan.too_many', frame));
      return linkResult(into, -1, o, 'eth', vlan);
    }
  }
  if (t) t.field('eth.type', `Type: 0x${type.toString(16).padStart(4, '0')}`, o - 2, 2);
  if (type <= 1500) return linkResult(into, -1, o, 'llc', vlan); // 802.3 length: LLC, not decoded
  return linkResult(into, type, o, 'eth', vlan);
}

/** A link result: `into` refilled, or a new one. */
function linkResult(into: LinkResult | null, etherType: number, offset: number, name: string, vlan: number[] | undefined): LinkResult {
  if (!into) return vlan ? { etherType, offset, name, vlan } : { etherType, offset, name };
  into.etherType = etherType;
  into.offset = offset;
  into.name = name;
  into.vlan = vlan;
  return into;
}

export function decodeSll(d: Uint8Array, frame: number, diags: Diagnostic[], t: TreeBuilder | null): LinkResult {
  if (d.length < 16) {
    diags.push(netDiag('sll.header.truncated', frame));
    return { etherType: -1, offset: d.length, name: 'sll' };
  }
  const addrLen = Math.min(u16(d, 4), 8);
  if (t) {
    t.layer('sll', 'Linux cooked capture v1', 0, 16);
    t.field('sll.pkttype', `Packet type: ${u16(d, 0)}`, 0, 2);
    t.field('sll.src.eth', `Source: ${formatHexBytes(d, 6, addrLen)}`, 6, addrLen);
    t.field('sll.etype', `Protocol: 0x${u16(d, 14).toString(16).padStart(4, '0')}`, 14, 2);
  }
  return { etherType: u16(d, 14), offset: 16, name: 'sll' };
}

export function decodeSll2(d: Uint8Array, frame: number, diags: Diagnostic[], t: TreeBuilder | null): LinkResult {
  if (d.length < 20) {
    diags.push(netDiag('sll2.header.truncated', frame));
    return { etherType: -1, offset: d.length, name: 'sll2' };
  }
  const addrLen = Math.min(d[11], 8);
  if (t) {
    t.layer('sll2', 'Linux cooked capture v2', 0, 20);
    t.field('sll.etype', `Protocol: 0x${u16(d, 0).toString(16).padStart(4, '0')}`, 0, 2);
    t.field('sll.ifindex', `Interface index: ${((d[4] << 24) | (d[5] << 16) | (d[6] << 8) | d[7]) >>> 0}`, 4, 4);
    t.field('sll.src.eth', `Source: ${formatHexBytes(d, 12, addrLen)}`, 12, addrLen);
  }
  return { etherType: u16(d, 0), offset: 20, name: 'sll2' };
}

/** BSD loopback: a 4-byte address family in the capturing host's byte order (NULL) or network order (LOOP). */
export function decodeNull(d: Uint8Array, frame: number, diags: Diagnostic[], t: TreeBuilder | null, loop: boolean): LinkResult {
  if (d.length < 4) {
    diags.push(netDiag('null.header.truncated', frame));
    return { etherType: -1, offset: d.length, name: 'null' };
  }
  const be = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  const le = ((d[3] << 24) | (d[2] << 16) | (d[1] << 8) | d[0]) >>> 0;
  const family = loop ? be : be < 0x10000 ? be : le;
  if (t) {
    t.layer('null', 'Null/Loopback', 0, 4);
    t.field('null.family', `Family: ${family}`, 0, 4);
  }
  if (family === 2) return { etherType: ETHERTYPE_IPV4, offset: 4, name: 'null' };
  if (family === 10 || family === 24 || family === 28 || family === 30) return { etherType: ETHERTYPE_IPV6, offset: 4, name: 'null' };
  diags.push(netDiag('null.family.unknown', frame, String(family)));
  return { etherType: -1, offset: 4, name: 'null' };
}

/** Raw IP: the version nibble says which. */
export function decodeRaw(d: Uint8Array, frame: number, diags: Diagnostic[], forced?: 4 | 6): LinkResult {
  const v = forced ?? (d.length ? d[0] >> 4 : 0);
  if (v === 4) return { etherType: ETHERTYPE_IPV4, offset: 0, name: 'raw' };
  if (v === 6) return { etherType: ETHERTYPE_IPV6, offset: 0, name: 'raw' };
  diags.push(netDiag('raw.version.unknown', frame, String(v)));
  return { etherType: -1, offset: 0, name: 'raw' };
}
