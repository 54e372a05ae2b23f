/**
 * The series of the TCP stream graphs (Wireshark's Statistics › TCP Stream Graphs): one direction's
 * segments (Stevens, tcptrace), the other direction's ACKs with window and SACK (tcptrace), round-trip
 * times, throughput and bytes in flight against the receiver's window (window scaling).
 */
import type { TcpGraphAck, TcpGraphSegment, TcpStreamGraph } from './types';

/** Segments of one direction a graph draws at most (the rest are left out, and the graph says so). */
export const MAX_GRAPH_SEGMENTS = 200_000;
/** Throughput is averaged over this many segments (as Wireshark's moving average). */
export const THROUGHPUT_SEGMENTS = 20;

/** One frame of the connection, as the engine's index and decoder give it. */
export interface TcpGraphFrame {
  frame: number;
  time: number;
  fromServer: boolean;
  seq: number;
  ack: number;
  len: number;
  syn: boolean;
  fin: boolean;
  ackFlag: boolean;
  /** The window the sender offers, scaled by the handshake's shift. */
  window: number;
  sack: Array<[number, number]>;
  retransmission: boolean;
}

export function buildTcpGraph(
  connection: number,
  direction: 'client' | 'server',
  from: string,
  to: string,
  frames: readonly TcpGraphFrame[],
): TcpStreamGraph {
  const sender = direction === 'server';
  const segments: TcpGraphSegment[] = [];
  const acks: TcpGraphAck[] = [];
  let truncated = false;
  for (const f of frames) {
    if (f.fromServer === sender) {
      if (segments.length >= MAX_GRAPH_SEGMENTS) {
        truncated = true;
        continue;
      }
      segments.push({
        frame: f.frame,
        time: f.time,
        seq: f.seq,
        len: f.len,
        retransmission: f.retransmission,
        syn: f.syn,
        fin: f.fin,
      });
    } else if (f.ackFlag && acks.length < MAX_GRAPH_SEGMENTS) {
      acks.push({ frame: f.frame, time: f.time, ack: f.ack, window: f.window, sack: f.sack });
    }
  }
  return {
    connection,
    direction,
    from,
    to,
    segments,
    acks,
    rtt: roundTrips(segments, acks),
    throughput: throughput(segments),
    inFlight: inFlight(segments, acks),
    truncated,
  };
}

/**
 * Round-trip time of every data segment sent once (Karn: a retransmitted range is ambiguous): the
 * time until the first ACK that covers its last byte. tshark's tcp.analysis.ack_rtt of an ACK is the
 * sample of the newest segment that ACK is the first to cover.
 */
function roundTrips(
  segments: readonly TcpGraphSegment[],
  acks: readonly TcpGraphAck[],
): TcpStreamGraph['rtt'] {
  const resent = new Set<number>();
  for (const s of segments) if (s.retransmission) resent.add(s.seq);
  const out: TcpStreamGraph['rtt'] = [];
  let a = 0;
  for (const s of segments) {
    if (s.len === 0 || s.retransmission || resent.has(s.seq)) continue;
    const end = s.seq + s.len;
    while (a < acks.length && acks[a].time < s.time) a++;
    for (let k = a; k < acks.length; k++) {
      if (acks[k].ack >= end && acks[k].frame > s.frame) {
        out.push({
          frame: s.frame,
          ackFrame: acks[k].frame,
          time: s.time,
          seq: s.seq,
          rtt: acks[k].time - s.time,
        });
        break;
      }
    }
  }
  return out;
}

/** Bits per second over the last THROUGHPUT_SEGMENTS segments, at each segment (none while they span no time). */
function throughput(segments: readonly TcpGraphSegment[]): TcpStreamGraph['throughput'] {
  const out: TcpStreamGraph['throughput'] = [];
  let sum = 0;
  for (let k = 0; k < segments.length; k++) {
    sum += segments[k].len;
    const first = k - THROUGHPUT_SEGMENTS + 1;
    if (first > 0) sum -= segments[first - 1].len;
    const from = segments[Math.max(0, first)];
    const span = segments[k].time - from.time;
    if (span > 0) out.push({ time: segments[k].time, bitsPerSecond: ((sum - from.len) * 8) / span });
  }
  return out;
}

/** After each segment: bytes sent and not yet acknowledged, and the last window the receiver offered. */
function inFlight(
  segments: readonly TcpGraphSegment[],
  acks: readonly TcpGraphAck[],
): TcpStreamGraph['inFlight'] {
  const out: TcpStreamGraph['inFlight'] = [];
  let a = 0;
  let acked = 0;
  let window: number | null = null;
  let highest = 0;
  for (const s of segments) {
    while (a < acks.length && acks[a].frame < s.frame) {
      acked = Math.max(acked, acks[a].ack);
      window = acks[a].window;
      a++;
    }
    highest = Math.max(highest, s.seq + s.len);
    out.push({ time: s.time, bytes: Math.max(0, highest - Math.max(acked, 1)), window });
  }
  return out;
}
