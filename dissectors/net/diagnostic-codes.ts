/**
 * Every diagnostic the packet decoder (dissectors/net) can emit, in one table.
 * Codes are stable: tests and the UI match on them.
 */
import { diag, type Diagnostic, type DiagnosticGroup, type Severity } from '../model/diagnostic';

interface NetDiagnosticInfo {
  severity: Severity;
  group: DiagnosticGroup;
  message: string;
}

export const NET_DIAGNOSTICS = {
  'link.type.unsupported': { severity: 'note', group: 'undecoded', message: 'Link type not decoded' },
  'eth.header.truncated': { severity: 'error', group: 'malformed', message: 'Ethernet header truncated' },
  'eth.vlan.truncated': { severity: 'error', group: 'malformed', message: '802.1Q VLAN tag truncated' },
  'eth.vlan.too_many': { severity: 'warn', group: 'malformed', message: 'Too many stacked VLAN tags' },
  'eth.length_invalid': { severity: 'warn', group: 'malformed', message: '802.3 length field exceeds the frame' },
  'sll.header.truncated': { severity: 'error', group: 'malformed', message: 'Linux cooked (SLL) header truncated' },
  'sll2.header.truncated': { severity: 'error', group: 'malformed', message: 'Linux cooked v2 (SLL2) header truncated' },
  'null.header.truncated': { severity: 'error', group: 'malformed', message: 'BSD loopback header truncated' },
  'null.family.unknown': { severity: 'note', group: 'undecoded', message: 'BSD loopback: unknown address family' },
  'raw.version.unknown': { severity: 'warn', group: 'malformed', message: 'Raw IP: version nibble is neither 4 nor 6' },
  'ipv4.header.truncated': { severity: 'error', group: 'malformed', message: 'IPv4 header truncated' },
  'ipv4.version_invalid': { severity: 'error', group: 'malformed', message: 'IPv4 header: version is not 4' },
  'ipv4.header.length_invalid': { severity: 'error', group: 'malformed', message: 'IPv4 header length < 20 bytes' },
  'ipv4.total_length_invalid': { severity: 'error', group: 'malformed', message: 'IPv4 total length < header length' },
  'ipv4.total_length_zero': {
    severity: 'note',
    group: 'protocol',
    message: 'IPv4 total length 0 (TCP segmentation offload?): using the captured length',
  },
  'ipv4.tunnel.too_deep': { severity: 'warn', group: 'malformed', message: 'Too many nested IP-in-IP headers' },
  'ipv4.fragment.timeout': {
    severity: 'warn',
    group: 'reassemble',
    message: 'IP fragments dropped: datagram not completed within 60 s',
  },
  'ipv4.fragment.overlap': { severity: 'warn', group: 'reassemble', message: 'Overlapping IP fragments (first kept)' },
  'ipv4.fragment.too_large': { severity: 'error', group: 'reassemble', message: 'IP fragment beyond 65535 bytes' },
  'ipv4.fragment.evicted': {
    severity: 'warn',
    group: 'reassemble',
    message: 'IP fragments dropped: reassembly memory limit reached',
  },
  'ipv4.fragment.incomplete': {
    severity: 'note',
    group: 'reassemble',
    message: 'IP datagram never completed (fragments missing at end of capture)',
  },
  'ipv4.fragment.conflict': { severity: 'warn', group: 'reassemble', message: 'Two different last fragments' },
  'ipv6.header.truncated': { severity: 'error', group: 'malformed', message: 'IPv6 header truncated' },
  'ipv6.version_invalid': { severity: 'error', group: 'malformed', message: 'IPv6 header: version is not 6' },
  'ipv6.ext.truncated': { severity: 'error', group: 'malformed', message: 'IPv6 extension header truncated' },
  'ipv6.ext.too_many': { severity: 'warn', group: 'malformed', message: 'Too many IPv6 extension headers' },
  'ipv6.payload_length_zero': {
    severity: 'note',
    group: 'protocol',
    message: 'IPv6 payload length 0 without jumbo option (TCP segmentation offload?): using the captured length',
  },
  'ipv6.jumbo.invalid': { severity: 'error', group: 'malformed', message: 'Invalid IPv6 jumbo payload option' },
  'tcp.header.truncated': { severity: 'error', group: 'malformed', message: 'TCP header truncated' },
  'tcp.header.length_invalid': { severity: 'error', group: 'malformed', message: 'TCP header length < 20 bytes' },
  'tcp.length_invalid': {
    severity: 'error',
    group: 'malformed',
    message: 'IP payload shorter than the TCP header length',
  },
  'tcp.option.length_invalid': { severity: 'warn', group: 'malformed', message: 'TCP option with invalid length' },
  'udp.header.truncated': { severity: 'error', group: 'malformed', message: 'UDP header truncated' },
  'udp.length_invalid': { severity: 'warn', group: 'malformed', message: 'UDP length field invalid' },
  'arp.truncated': { severity: 'error', group: 'malformed', message: 'ARP packet truncated' },
  'icmp.truncated': { severity: 'error', group: 'malformed', message: 'ICMP header truncated' },
  'icmpv6.truncated': { severity: 'error', group: 'malformed', message: 'ICMPv6 header truncated' },
} as const satisfies Record<string, NetDiagnosticInfo>;

export type NetDiagnosticCode = keyof typeof NET_DIAGNOSTICS;

/** Builds the diagnostic for `code`; `detail` is appended to the table's message. */
export function netDiag(code: NetDiagnosticCode, frame: number | undefined, detail?: string): Diagnostic {
  const info: NetDiagnosticInfo = NET_DIAGNOSTICS[code];
  const message = detail ? `${info.message}: ${detail}` : info.message;
  return diag(code, info.severity, info.group, message, frame);
}
