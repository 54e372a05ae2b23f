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

/** The tcp.analysis.* fields, as tshark 4.0 names them: its flags and the numbers it derives. */
export const TCP_ANALYSIS_FIELDS = [
  'tcp.analysis.flags',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack',
  'tcp.analysis.window_update',
  'tcp.analysis.window_full',
  'tcp.analysis.reused_ports',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.bytes_in_flight',
];
const TCP_ANALYSIS_SET = new Set(TCP_ANALYSIS_FIELDS);

export function isKnownField(name: string): boolean {
  return FILTER_FIELDS.has(name) || FILTER_PROTOCOLS.has(name) || TCP_ANALYSIS_SET.has(name);
}

/** Edit distance between two short names (for suggestions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The error for a name isKnownField refuses, naming the closest known tcp.analysis.* fields when it is one of those. */
export function unknownFieldMessage(name: string): string {
  const what = `"${name.slice(0, 100)}" is neither a field nor a protocol name Wirelens knows`;
  if (!name.startsWith('tcp.analysis.')) return what;
  const asked = name.slice(13, 60);
  // A name that contains the one asked for (or is contained in it) comes first, then by edit distance.
  const score = (f: string): number =>
    (f.includes(asked) || asked.includes(f) ? 0 : 1000) + distance(asked, f);
  const closest = TCP_ANALYSIS_FIELDS.map((f) => ({ f, d: score(f.slice(13)) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map((x) => x.f);
  return `${what}; the closest TCP analysis fields are ${closest.join(', ')}`;
}
