/**
 * tshark's per-frame TCP analysis numbers that the packet index does not keep (it keeps the flags):
 * a duplicate ACK's number and original frame (`[TCP Dup ACK 53#2]`), and for display filters
 * tcp.analysis.duplicate_ack_num / duplicate_ack_frame / acks_frame / ack_rtt / bytes_in_flight.
 *
 * The duplicate ACK's numbers come from the index alone (a short walk back over the same side's
 * frames). The others are recomputed once, the first time a filter asks, by running the capture's
 * TCP frames — read back from the file — through a fresh tracker, as the first pass did (its
 * reassembly included: the tracker reassembles, though nothing reads the streams); the result is a
 * few typed columns held with the session (20 bytes a packet), extended as a live capture grows.
 */
import {
  ANALYSIS_CODES,
  PF_FROM_SERVER,
  PF_TCP,
  type PacketIndex,
} from '../../dissectors/analysis/packet-index';
import { decodePacket } from '../../dissectors/net/decode';
import { TCP_ACK } from '../../dissectors/net/types';
import { createTcpTracker, newSegmentVerdict } from '../../dissectors/tcp/tracker';
import type { CaptureSession } from './capture-session';

const DUP_ACK_BIT = 1 << ANALYSIS_CODES.indexOf('tcp.analysis.duplicate_ack');
/** Rows walked back at most to find where a run of duplicate ACKs started (then the numbers are not shown). */
const MAX_WALK = 1_000_000;

/**
 * A duplicate ACK's number in its run and the frame of the ACK it repeats (tshark's
 * tcp.analysis.duplicate_ack_num and duplicate_ack_frame), from the index: the frames the same side
 * of the connection sent with the same acknowledgment number, back to the first of them.
 */
export function dupAckOf(idx: PacketIndex, i: number): { frame: number; num: number } | null {
  if (!(idx.analysis[i] & DUP_ACK_BIT)) return null;
  const conn = idx.conn[i];
  const side = idx.flags[i] & PF_FROM_SERVER;
  const ack = idx.relAck[i];
  let num = 1;
  let first = i;
  for (let j = i - 1, walked = 0; j >= 0; j--, walked++) {
    if (walked > MAX_WALK) return null;
    if (idx.conn[j] !== conn || (idx.flags[j] & PF_FROM_SERVER) !== side || !(idx.tcpFlags[j] & TCP_ACK))
      continue;
    if (idx.relAck[j] !== ack) break;
    first = j;
    if (idx.analysis[j] & DUP_ACK_BIT) num++;
  }
  return { frame: first + 1, num };
}

/** The numbers of every row (0 / NaN where tshark shows none). */
export interface TcpAnalysisNumbers {
  rows: number;
  dupAckNum: Uint32Array;
  dupAckFrame: Uint32Array;
  ackedFrame: Uint32Array;
  /** Seconds; NaN where tshark shows no ack_rtt. */
  ackRtt: Float64Array;
  bytesInFlight: Uint32Array;
}

/** The table with the tracker that filled it, so a live capture's new packets extend it. */
interface Table extends TcpAnalysisNumbers {
  tracker: ReturnType<typeof createTcpTracker>;
}

const cache = new WeakMap<CaptureSession, Table>();

function grown<T extends Uint32Array | Float64Array>(a: T, size: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}

/**
 * The capture's analysis numbers, computed on first use; when a live capture grew since, only the
 * new packets are run through the same tracker.
 */
export function tcpAnalysisNumbers(s: CaptureSession): TcpAnalysisNumbers {
  const idx = s.analyzer.index;
  const n = idx.count;
  let t = cache.get(s);
  if (t && t.rows === n) return t;
  if (!t || t.rows > n) {
    t = {
      rows: 0,
      dupAckNum: new Uint32Array(n),
      dupAckFrame: new Uint32Array(n),
      ackedFrame: new Uint32Array(n),
      ackRtt: new Float64Array(n).fill(NaN),
      bytesInFlight: new Uint32Array(n),
      tracker: createTcpTracker(),
    };
    cache.set(s, t);
  } else if (t.dupAckNum.length < n) {
    const size = Math.max(n, Math.ceil(t.dupAckNum.length * 1.5));
    t.dupAckNum = grown(t.dupAckNum, size, 0);
    t.dupAckFrame = grown(t.dupAckFrame, size, 0);
    t.ackedFrame = grown(t.ackedFrame, size, 0);
    t.ackRtt = grown(t.ackRtt, size, NaN);
    t.bytesInFlight = grown(t.bytesInFlight, size, 0);
  }
  const v = newSegmentVerdict();
  for (let i = t.rows; i < n; i++) {
    if (!(idx.flags[i] & PF_TCP) || idx.conn[i] < 0 || !s.store) continue;
    const pkt = decodePacket(idx.linkTypeOf(i), s.store.read(i), i + 1);
    if (!pkt.tcp || pkt.src === undefined || pkt.dst === undefined) continue;
    const payload = pkt.data.subarray(pkt.tcp.payloadOffset, pkt.tcp.payloadOffset + pkt.tcp.payloadLength);
    t.tracker.add({ frame: i + 1, time: idx.time[i], src: pkt.src, dst: pkt.dst, tcp: pkt.tcp, payload }, v);
    t.dupAckNum[i] = v.dupAckNum;
    t.dupAckFrame[i] = v.dupAckFrame;
    t.ackedFrame[i] = v.ackedFrame;
    // tshark shows no round-trip time of zero.
    if (v.ackedFrame > 0 && v.ackRtt !== 0) t.ackRtt[i] = v.ackRtt;
    t.bytesInFlight[i] = v.bytesInFlight;
  }
  t.rows = n;
  return t;
}

/** The analysis numbers of one frame (packet details). */
export interface FrameAnalysisNumbers {
  dupAckNum: number;
  dupAckFrame: number;
  ackedFrame: number;
  /** Seconds; NaN when tshark shows none. */
  ackRtt: number;
  bytesInFlight: number;
}

/** A connection's frames replayed for one packet's details at most (a longer one shows no numbers). */
const MAX_DETAIL_REPLAY = 200_000;
const lastConnection = new WeakMap<
  CaptureSession,
  { conn: number; rows: number; byRow: Map<number, FrameAnalysisNumbers> }
>();

/**
 * Row i's numbers for its details: from the whole-capture table when a filter already built it,
 * otherwise by replaying only its connection's frames (the last connection replayed is kept, so
 * stepping through its packets costs one replay). Null when the packet is not tracked TCP or its
 * connection is too long to replay for one packet.
 */
export function frameAnalysisNumbers(s: CaptureSession, i: number): FrameAnalysisNumbers | null {
  const idx = s.analyzer.index;
  const conn = idx.conn[i];
  if (conn < 0 || !(idx.flags[i] & PF_TCP) || !s.store) return null;
  const table = cache.get(s);
  if (table && table.rows > i) {
    return {
      dupAckNum: table.dupAckNum[i],
      dupAckFrame: table.dupAckFrame[i],
      ackedFrame: table.ackedFrame[i],
      ackRtt: table.ackRtt[i],
      bytesInFlight: table.bytesInFlight[i],
    };
  }
  let kept = lastConnection.get(s);
  if (!kept || kept.conn !== conn || kept.rows !== idx.count) {
    const rows: number[] = [];
    for (let j = 0; j < idx.count; j++) {
      if (idx.conn[j] !== conn) continue;
      if (rows.length >= MAX_DETAIL_REPLAY) return null;
      rows.push(j);
    }
    const byRow = new Map<number, FrameAnalysisNumbers>();
    const tracker = createTcpTracker();
    const v = newSegmentVerdict();
    for (const j of rows) {
      const pkt = decodePacket(idx.linkTypeOf(j), s.store.read(j), j + 1);
      if (!pkt.tcp || pkt.src === undefined || pkt.dst === undefined) continue;
      const payload = pkt.data.subarray(pkt.tcp.payloadOffset, pkt.tcp.payloadOffset + pkt.tcp.payloadLength);
      tracker.add({ frame: j + 1, time: idx.time[j], src: pkt.src, dst: pkt.dst, tcp: pkt.tcp, payload }, v);
      byRow.set(j, {
        dupAckNum: v.dupAckNum,
        dupAckFrame: v.dupAckFrame,
        ackedFrame: v.ackedFrame,
        ackRtt: v.ackedFrame > 0 && v.ackRtt !== 0 ? v.ackRtt : NaN,
        bytesInFlight: v.bytesInFlight,
      });
    }
    tracker.finish();
    kept = { conn, rows: idx.count, byRow };
    lastConnection.set(s, kept);
  }
  return kept.byRow.get(i) ?? null;
}
