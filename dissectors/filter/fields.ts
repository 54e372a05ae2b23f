/** The protocol names and fields display filters know (what the engine's field accessor answers). */

export const FILTER_PROTOCOLS = new Set(['frame', 'eth', 'ip', 'ipv6', 'tcp', 'udp', 'arp', 'icmp', 'icmpv6', 'dns', 'smtp', 'pop', 'http', 'ftp', 'ftp-data', 'tls']);

export const FILTER_FIELDS = new Set([
  'frame.number', 'frame.len', 'frame.cap_len', 'frame.time_relative',
  'ip.src', 'ip.dst', 'ip.addr', 'ip.proto', 'ip.ttl',
  'ipv6.src', 'ipv6.dst', 'ipv6.addr',
  'tcp.stream', 'tcp.flags', 'tcp.flags.fin', 'tcp.flags.syn', 'tcp.flags.reset', 'tcp.flags.push', 'tcp.flags.ack',
  'tcp.flags.urg', 'tcp.flags.ece', 'tcp.flags.cwr', 'tcp.seq', 'tcp.ack', 'tcp.srcport', 'tcp.dstport', 'tcp.port',
  'tcp.len', 'tcp.window_size_value', 'tcp.payload', 'tcp.analysis.flags',
  'udp.srcport', 'udp.dstport', 'udp.port',
  'smtp.req.command', 'smtp.req.parameter', 'smtp.response.code', 'smtp.response.enhanced',
  'pop.request.command', 'pop.request.parameter', 'pop.response.indicator',
  'ftp.request.command', 'ftp.request.arg', 'ftp.response.code', 'ftp.passive.port', 'ftp.epsv.port', 'ftp.active.port',
  'http.request.method', 'http.request.uri', 'http.request.version', 'http.response.code', 'http.content_length',
  'tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.handshake.ciphersuite', 'tls.handshake.version',
  'tls.alert_message.desc',
]);

const PATTERNS = [/^tcp\.analysis\.[a-z_]+$/];

export function isKnownField(name: string): boolean {
  return FILTER_FIELDS.has(name) || FILTER_PROTOCOLS.has(name) || PATTERNS.some((p) => p.test(name));
}
