/**
 * The Info column of a TCP packet, in tshark's words:
 * `[TCP Retransmission] 54321 → 25 [PSH, ACK] Seq=1 Ack=1 Win=65495 Len=12 TSval=… TSecr=…`.
 */
import { tcpFlagNames } from './transport';
import { TCP_ACK, TCP_SYN, type LayerField, type TcpHeader } from './types';

/**
 * Analysis codes → tshark's bracketed prefix, in the order tshark 4.0 prints them: it prepends each
 * group in turn (retransmissions, reused ports, lost segments, window, keep-alive, duplicate ACK,
 * zero window), so the last group printed comes first.
 */
const ANALYSIS_PREFIX: Array<[code: string, text: string]> = [
  ['tcp.analysis.zero_window_probe_ack', 'TCP ZeroWindowProbeAck'],
  ['tcp.analysis.zero_window', 'TCP ZeroWindow'],
  ['tcp.analysis.zero_window_probe', 'TCP ZeroWindowProbe'],
  ['tcp.analysis.duplicate_ack', 'TCP Dup ACK'],
  ['tcp.analysis.keep_alive_ack', 'TCP Keep-Alive ACK'],
  ['tcp.analysis.keep_alive', 'TCP Keep-Alive'],
  ['tcp.analysis.window_full', 'TCP Window Full'],
  ['tcp.analysis.window_update', 'TCP Window Update'],
  ['tcp.analysis.ack_lost_segment', 'TCP ACKed unseen segment'],
  ['tcp.analysis.lost_segment', 'TCP Previous segment not captured'],
  ['tcp.analysis.reused_ports', 'TCP Port numbers reused'],
  ['tcp.analysis.out_of_order', 'TCP Out-Of-Order'],
  ['tcp.analysis.spurious_retransmission', 'TCP Spurious Retransmission'],
  ['tcp.analysis.fast_retransmission', 'TCP Fast Retransmission'],
  ['tcp.analysis.retransmission', 'TCP Retransmission'],
];

export interface TcpInfoOptions {
  /** The window after scaling (tshark's tcp.window_size); raw window when omitted. */
  window?: number;
  /** Relative base for SACK edges (the receiver's ISN + 1); raw edges when omitted. */
  sackBase?: number;
  /** A duplicate ACK's original frame and number (tshark's `[TCP Dup ACK 53#2]`); `[TCP Dup ACK]` when omitted. */
  dupAck?: { frame: number; num: number } | null;
}

export function formatTcpInfo(tcp: TcpHeader, relSeq: number, relAck: number, analysis: readonly string[], opts: TcpInfoOptions = {}): string {
  let s = '';
  for (const [code, text] of ANALYSIS_PREFIX) {
    if (!analysis.includes(code)) continue;
    if (code === 'tcp.analysis.fast_retransmission' || code === 'tcp.analysis.spurious_retransmission') {
      s += `[${text}] `;
      continue;
    }
    if (code === 'tcp.analysis.retransmission' && (analysis.includes('tcp.analysis.fast_retransmission') || analysis.includes('tcp.analysis.spurious_retransmission'))) continue;
    if (code === 'tcp.analysis.duplicate_ack' && opts.dupAck) {
      s += `[${text} ${opts.dupAck.frame}#${opts.dupAck.num}] `;
      continue;
    }
    s += `[${text}] `;
  }
  s += `${tcp.srcPort} → ${tcp.dstPort} [${tcpFlagNames(tcp.flags).join(', ')}] Seq=${relSeq}`;
  if (tcp.flags & TCP_ACK) s += ` Ack=${relAck}`;
  s += ` Win=${opts.window ?? tcp.window} Len=${tcp.claimedPayloadLength}`;
  if (tcp.urgentPointer && tcp.flags & 0x20) s += ` Urg=${tcp.urgentPointer}`;
  const o = tcp.options;
  for (const kind of o.kinds) {
    if (kind === 2 && o.mss !== undefined) s += ` MSS=${o.mss}`;
    else if (kind === 4 && o.sackPermitted) s += ' SACK_PERM';
    else if (kind === 8 && o.timestamp) s += ` TSval=${o.timestamp.value} TSecr=${o.timestamp.echo}`;
    else if (kind === 3 && o.windowScale !== undefined) s += ` WS=${2 ** Math.min(o.windowScale, 14)}`;
    else if (kind === 5 && o.sack) {
      for (const [l, r] of o.sack) {
        const base = opts.sackBase ?? 0;
        s += ` SLE=${(l - base) >>> 0} SRE=${(r - base) >>> 0}`;
      }
    }
  }
  return s;
}

/**
 * The TCP fields tshark derives from the connection, for the packet's details tree: the relative
 * sequence and acknowledgment numbers (the raw ones are in the header fields) and the window as the
 * connection uses it with its scaling factor (tshark: -1 when the handshake was not seen, -2 when
 * a side did not offer scaling). Inserted into the TCP layer's fields, each after its raw field.
 */
export function withConnectionFields(fields: LayerField[], tcp: TcpHeader, relSeq: number, relAck: number, window: number, shift: number | null): LayerField[] {
  const out: LayerField[] = [];
  for (const f of fields) {
    if (f.name === 'tcp.seq_raw') out.push({ name: 'tcp.seq', label: `Sequence Number: ${relSeq} (relative sequence number)`, offset: f.offset, length: f.length });
    if (f.name === 'tcp.ack_raw' && tcp.flags & TCP_ACK) out.push({ name: 'tcp.ack', label: `Acknowledgment Number: ${relAck} (relative ack number)`, offset: f.offset, length: f.length });
    out.push(f);
    if (f.name === 'tcp.window_size_value') {
      out.push({ name: 'tcp.window_size', label: `[Calculated window size: ${window}]`, offset: f.offset, length: f.length });
      // Scaling starts after the SYNs: tshark gives them no factor.
      if (tcp.flags & TCP_SYN) continue;
      const factor = shift === null ? -1 : shift === 0 ? -2 : 2 ** shift;
      const said = factor === -1 ? ' (unknown: the handshake is not in the capture)' : factor === -2 ? ' (no window scaling used)' : '';
      out.push({ name: 'tcp.window_size_scalefactor', label: `[Window size scaling factor: ${factor}${said}]`, offset: f.offset, length: f.length });
    }
  }
  return out;
}
