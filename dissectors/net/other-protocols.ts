/** Just enough of ARP, ICMP and ICMPv6 for a sensible Protocol column and Info. */
import type { Diagnostic } from '../model/diagnostic';
import { formatIpv4, formatMac } from './address';
import { netDiag } from './diagnostic-codes';

export function arpInfo(d: Uint8Array, o: number, frame: number, diags: Diagnostic[]): string {
  if (o + 28 > d.length) {
    diags.push(netDiag('arp.truncated', frame));
    return 'ARP (truncated)';
  }
  const op = (d[o + 6] << 8) | d[o + 7];
  const senderIp = formatIpv4(d, o + 14);
  const targetIp = formatIpv4(d, o + 24);
  if (op === 1) return senderIp === targetIp ? `ARP Announcement for ${senderIp}` : `Who has ${targetIp}? Tell ${senderIp}`;
  if (op === 2) return `${senderIp} is at ${formatMac(d, o + 8)}`;
  return `ARP opcode ${op}`;
}

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  5: 'Redirect',
  8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
};

const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
};

export function icmpInfo(d: Uint8Array, o: number, v6: boolean, frame: number, diags: Diagnostic[]): string {
  if (o + 4 > d.length) {
    diags.push(netDiag(v6 ? 'icmpv6.truncated' : 'icmp.truncated', frame));
    return v6 ? 'ICMPv6 (truncated)' : 'ICMP (truncated)';
  }
  const type = d[o];
  return (v6 ? ICMPV6_TYPES : ICMP_TYPES)[type] ?? `Type ${type}, code ${d[o + 1]}`;
}
