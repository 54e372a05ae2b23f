/** Packet-list rows, formatted on demand from the index and the packet's re-read bytes. */
import { bitsToAnalysis, PF_FROM_SERVER, PF_PAYLOAD, PF_PROBLEM } from '../../dissectors/analysis/packet-index';
import { FrameLabels, protocolColumn } from '../../dissectors/analysis/frame-labels';
import { decodePacket } from '../../dissectors/net/decode';
import { formatTcpInfo } from '../../dissectors/net/info';
import { scaledWindow } from '../../dissectors/tcp/handshake';
import type { PacketRow } from '../../api/engine-api';
import type { CaptureSession } from './capture-session';
import { rowMarks } from './frame-marks';
import { dupAckOf } from './tcp-analysis-numbers';

export function formatRow(s: CaptureSession, i: number): PacketRow {
  const idx = s.analyzer.index;
  const frame = i + 1;
  const bytes = s.store!.read(i);
  const pkt = decodePacket(idx.linkTypeOf(i), bytes, frame);
  let protocol = pkt.protocol;
  let info = pkt.info;
  const conn = idx.conn[i];
  if (pkt.tcp && conn >= 0) {
    const label = s.labels.get(frame);
    // Win= is the window the connection uses (scaled, as tshark shows it), not the raw field.
    const window = scaledWindow(s.loaded?.output.models[conn]?.handshake, idx.flags[i] & PF_FROM_SERVER ? 'server' : 'client', pkt.tcp.window, pkt.tcp.flags);
    // SACK edges are in the peer's sequence space, as the ack number: relative to the same base.
    const sackBase = (pkt.tcp.ack - idx.relAck[i]) >>> 0;
    const tcpInfo = formatTcpInfo(pkt.tcp, idx.relSeq[i], idx.relAck[i], bitsToAnalysis(idx.analysis[i]), { window, sackBase, dupAck: dupAckOf(idx, i) });
    if (label && label.info) {
      protocol = label.protocol;
      // The analysis still shows in front of the application's summary, as tshark's
      // `[TCP Retransmission] C: MAIL FROM:<…>`: a resent command is not a second command.
      const analysis = idx.analysis[i] ? /^(\[TCP [^\]]*\] )+/.exec(tcpInfo) : null;
      info = analysis ? analysis[0] + label.info : label.info;
    } else {
      info = tcpInfo;
      if (idx.flags[i] & PF_PAYLOAD) {
        const p = s.protocols[conn];
        if (p && p !== 'unknown') protocol = label?.protocol ?? (s.labels instanceof FrameLabels ? s.labels.unlabelled(conn, frame, p) : protocolColumn(p));
      }
    }
  }
  return {
    no: frame,
    time: idx.time[i],
    source: pkt.src ?? '',
    destination: pkt.dst ?? '',
    protocol,
    length: idx.origLenOf(i),
    info,
    connection: conn,
    problem: (idx.flags[i] & PF_PROBLEM) !== 0,
    ...rowMarks(s, i),
  };
}

/** Rows [start, start+count) of the session's current view. */
export function rowsInView(s: CaptureSession, start: number, count: number): PacketRow[] {
  const n = s.rowCount();
  const end = Math.min(n, Math.max(0, start) + Math.max(0, count));
  const rows: PacketRow[] = [];
  for (let r = Math.max(0, start); r < end; r++) rows.push(formatRow(s, s.view ? s.view[r] : r));
  return rows;
}
