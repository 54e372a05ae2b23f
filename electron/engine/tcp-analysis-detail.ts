/**
 * The "[SEQ/ACK analysis]" subtree of a TCP packet's details, as tshark 4.0 shows it (which segment
 * an ACK acknowledges and after how long, the bytes in flight, the duplicate ACK's number), with
 * each analysis flag named as tshark names it and said in one plain sentence.
 */
import { bitsToAnalysis } from '../../dissectors/analysis/packet-index';
import type { LayerField } from '../../dissectors/net/types';
import type { CaptureSession } from './capture-session';
import { frameAnalysisNumbers } from './tcp-analysis-numbers';

/** tshark's name of each flag, and what it means for someone reading the capture. */
export const TCP_ANALYSIS_MEANING: Record<string, [name: string, meaning: string]> = {
  'tcp.analysis.retransmission': [
    'TCP Retransmission',
    'these bytes were already sent once: the sender sent them again because no acknowledgment came in time',
  ],
  'tcp.analysis.fast_retransmission': [
    'TCP Fast Retransmission',
    'sent again right after the receiver repeated the same acknowledgment (duplicate ACKs), without waiting for a timeout',
  ],
  'tcp.analysis.spurious_retransmission': [
    'TCP Spurious Retransmission',
    'sent again although the receiver had already acknowledged these bytes: the copy was not needed',
  ],
  'tcp.analysis.out_of_order': [
    'TCP Out-Of-Order',
    'these bytes come before data already seen, so soon after it that they were probably only overtaken on the way, not lost',
  ],
  'tcp.analysis.lost_segment': [
    'TCP Previous segment not captured',
    'there is a hole before this segment: bytes the sender sent earlier are not in the capture',
  ],
  'tcp.analysis.ack_lost_segment': [
    'TCP ACKed unseen segment',
    'this acknowledges bytes the capture never saw: they reached the receiver but were not captured',
  ],
  'tcp.analysis.duplicate_ack': [
    'TCP Dup ACK',
    'the receiver repeats the same acknowledgment: it is still waiting for the byte it names, so a segment is missing or late',
  ],
  'tcp.analysis.window_full': [
    'TCP Window Full',
    "this segment fills the receiver's advertised window: the sender must now wait for an acknowledgment",
  ],
  'tcp.analysis.zero_window': [
    'TCP ZeroWindow',
    'the sender of this packet has no room left to receive: the other side must stop sending',
  ],
  'tcp.analysis.zero_window_probe': [
    'TCP ZeroWindowProbe',
    'one byte sent into a zero window, to learn when the receiver has room again',
  ],
  'tcp.analysis.zero_window_probe_ack': [
    'TCP ZeroWindowProbeAck',
    'the answer to a zero-window probe: the window is still zero',
  ],
  'tcp.analysis.keep_alive': [
    'TCP Keep-Alive',
    'an idle connection checks that the other side is still there (it repeats its last byte)',
  ],
  'tcp.analysis.keep_alive_ack': [
    'TCP Keep-Alive ACK',
    'the answer to a keep-alive: the other side is still there',
  ],
  'tcp.analysis.window_update': [
    'TCP Window Update',
    'only the receive window changed: the receiver tells the sender it has more (or less) room',
  ],
  'tcp.analysis.reused_ports': [
    'TCP Port numbers reused',
    'a new connection uses the same addresses and ports as an earlier one in the capture: from here it is a new connection',
  ],
};

const field = (name: string, label: string): LayerField => ({ name, label, offset: 0, length: 0 });

/** The subtree for row i, or null when there is nothing to say. */
export function tcpAnalysisFields(s: CaptureSession, i: number): LayerField | null {
  const children: LayerField[] = [];
  const n = frameAnalysisNumbers(s, i);
  if (n && n.ackedFrame > 0)
    children.push(
      field('tcp.analysis.acks_frame', `[This is an ACK to the segment in frame: ${n.ackedFrame}]`),
    );
  if (n && !Number.isNaN(n.ackRtt))
    children.push(
      field('tcp.analysis.ack_rtt', `[The RTT to ACK the segment was: ${n.ackRtt.toFixed(9)} seconds]`),
    );
  if (n && n.bytesInFlight > 0)
    children.push(field('tcp.analysis.bytes_in_flight', `[Bytes in flight: ${n.bytesInFlight}]`));
  for (const code of bitsToAnalysis(s.analyzer.index.analysis[i])) {
    const said = TCP_ANALYSIS_MEANING[code];
    if (!said) continue;
    const name =
      code === 'tcp.analysis.duplicate_ack' && n && n.dupAckNum > 0
        ? `${said[0]} ${n.dupAckFrame}#${n.dupAckNum}`
        : said[0];
    children.push(field(code, `[${name}] ${said[1]}`));
    if (code === 'tcp.analysis.duplicate_ack' && n && n.dupAckNum > 0) {
      children.push(field('tcp.analysis.duplicate_ack_num', `[Duplicate ACK #: ${n.dupAckNum}]`));
      children.push(
        field('tcp.analysis.duplicate_ack_frame', `[Duplicate to the ACK in frame: ${n.dupAckFrame}]`),
      );
    }
  }
  return children.length
    ? { name: 'tcp.analysis', label: '[SEQ/ACK analysis]', offset: 0, length: 0, children }
    : null;
}
