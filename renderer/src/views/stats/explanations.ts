/** How to read each statistics chart: two or three plain sentences for a student (the Kurose/Ross TCP lab's figures). */
import type { TcpGraphKind } from '../../layout/tcp-graph-layout';

export const TCP_GRAPH_NAMES: Record<TcpGraphKind, string> = {
  stevens: 'Stevens (sequence number / time)',
  tcptrace: 'tcptrace (segments, ACKs, window)',
  throughput: 'Throughput',
  rtt: 'Round-trip time',
  window: 'Window scaling (bytes in flight / window)',
};

export const TCP_GRAPH_EXPLANATIONS: Record<TcpGraphKind, string> = {
  stevens:
    'Each dot is one segment the sender sent: across is when it was sent, up is its sequence number (how many bytes of the stream came before it). A steady climb means data flows; a flat stretch means the sender waited. A red dot is a retransmission: the same bytes sent again because they were lost or their ACK came late.',
  tcptrace:
    'Each vertical bar is a segment, from its first to its last byte (red when it is a retransmission). The lower step line is the receiver’s ACK (every byte below it has arrived); the upper one is ACK + window, the highest byte the sender may send. Bars touching the upper line mean the window limits the sender; SACK blocks (blue bars) are bytes that arrived beyond a gap.',
  throughput:
    'How fast the sender’s data went, in bits per second, averaged over its last 20 segments. Compare it with the round-trip time and window: throughput is at most about one window per round trip.',
  rtt: 'Each dot is one segment’s round-trip time: from when it was sent to the first ACK that covers it. Retransmitted segments are left out (which copy was acknowledged cannot be known — Karn’s rule). TCP sets its retransmission timer from these times.',
  window:
    'Dots: bytes in flight, sent but not yet acknowledged, after each segment. Line: the window the receiver offered (scaled by the window-scale option of the handshake). When the dots reach the line, the sender must wait for ACKs before sending more.',
};

export const IO_GRAPH_EXPLANATION =
  'Packets (or bytes) per interval over the whole capture, one line per display filter: “tcp.analysis.retransmission” next to all packets shows when trouble happened; “smtp” and “pop” side by side show which protocol was busy when.';
