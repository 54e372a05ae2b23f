import { LIMITS } from '../limits';
import type { Diagnostic } from '../model/diagnostic';
import type { TcpHeader } from '../net/types';

/** Which side sent the bytes. The client is whoever sent the SYN (see ConnectionModel.clientBy). */
export type Direction = 'client' | 'server';

/** Stream bytes [offset, offset+length) of one direction came from `frame`. */
export interface FrameSpan {
  frame: number;
  offset: number;
  length: number;
}

/**
 * In-order reassembled bytes of one direction. Valid only during the callback — the chunk object and
 * its frames are filled again for the next one, and `bytes` may be a view of the file just read:
 * copy what you keep.
 */
export interface StreamChunk {
  dir: Direction;
  /** Stream offset of bytes[0] (0 = first payload byte after the SYN), counting gap bytes too. */
  offset: number;
  bytes: Uint8Array;
  frames: FrameSpan[];
  /** Capture-relative time (seconds) of the frame that completed this chunk. */
  time: number;
}

/** Bytes of one direction that never arrived; the stream goes on after them. */
export interface StreamGap {
  dir: Direction;
  offset: number;
  length: number;
  /** The first frame after the hole (whose data follows the gap). */
  frame: number;
  time: number;
  reason: 'missing' | 'buffer-limit';
}

/** Receives one connection's two reassembled directions, interleaved in capture order. */
export interface StreamConsumer {
  onData(chunk: StreamChunk): void;
  onGap(gap: StreamGap): void;
  /** Called once when the connection ends (FIN/RST both sides, new SYN on the 4-tuple, or end of capture). */
  onEnd(): void;
}

export interface TcpSegment {
  frame: number;
  /** Capture-relative time in seconds. */
  time: number;
  src: string;
  dst: string;
  tcp: TcpHeader;
  /** Captured payload bytes (a view, valid during the call). */
  payload: Uint8Array;
}

export interface Endpoint {
  ip: string;
  port: number;
}

export interface SegmentVerdict {
  connectionId: number;
  dir: Direction;
  /** Sequence and ack numbers relative to each side's ISN (tshark's relative numbering). */
  relSeq: number;
  relAck: number;
  /** tshark-style analysis flags on this segment, as stable codes (e.g. 'tcp.analysis.retransmission'). */
  analysis: string[];
  /** tcp.analysis.duplicate_ack_num: the how-manieth duplicate of its ACK this one is (0: not a duplicate ACK). */
  dupAckNum: number;
  /** tcp.analysis.duplicate_ack_frame: the frame whose ACK this one repeats (0: none). */
  dupAckFrame: number;
  /** tcp.analysis.acks_frame: the frame of the segment this ACK acknowledges exactly (0: none). */
  ackedFrame: number;
  /** tcp.analysis.ack_rtt: seconds from that segment to this ACK (set when ackedFrame is; negative when the capture's clock went back). */
  ackRtt: number;
  /** tcp.analysis.bytes_in_flight: bytes sent and not yet acknowledged after this data segment (0: none). */
  bytesInFlight: number;
}

export interface HandshakeOptions {
  mss: number | null;
  windowScale: number | null;
  sackPermitted: boolean;
  timestamps: boolean;
}

export interface HandshakeStep {
  frame: number;
  /** Capture-relative time (s). */
  time: number;
  /** Seconds since the (first) SYN. */
  sinceSyn: number;
  /** Absolute initial sequence number of the sender. */
  seq: number;
  window: number;
  options: HandshakeOptions;
}

export type HandshakeOutcome = 'complete' | 'reset' | 'no-answer' | 'no-syn' | 'incomplete';

export interface HandshakeModel {
  syn: HandshakeStep | null;
  synAck: HandshakeStep | null;
  ack: HandshakeStep | null;
  /** Frames that retransmitted the SYN (or SYN/ACK). */
  synRetransmissions: number[];
  synAckRetransmissions: number[];
  /** SYN→SYN/ACK, SYN/ACK→ACK and SYN→ACK (tshark tcp.analysis.initial_rtt) in milliseconds. */
  synToSynAckMs: number | null;
  synAckToAckMs: number | null;
  rttMs: number | null;
  /** Where the capture was taken, judged from which half of the RTT is longer. */
  captureSide: 'client' | 'server' | 'middle' | 'unknown';
  complete: boolean;
  outcome: HandshakeOutcome;
  /** When outcome is 'reset': the RST that answered the SYN. */
  reset: { frame: number; time: number; from: Direction } | null;
}

export interface TeardownStep {
  frame: number;
  time: number;
  from: Direction;
}

export interface TeardownModel {
  close: 'fin' | 'rst' | 'none';
  /** FIN from each side (first one) and the ACK of it from the other side. */
  clientFin: TeardownStep | null;
  serverFin: TeardownStep | null;
  clientFinAcked: TeardownStep | null;
  serverFinAcked: TeardownStep | null;
  rst: TeardownStep | null;
  /** One side closed while the other kept sending. */
  halfClose: boolean;
  /** Still open at the end of the capture. */
  openAtEnd: boolean;
}

export interface DirectionStats {
  /** Payload bytes reassembled (excluding gaps). */
  bytes: number;
  /** Bytes that never arrived (sum of gaps). */
  gapBytes: number;
  gaps: number;
  segments: number;
  payloadSegments: number;
  retransmissions: number;
  outOfOrder: number;
  duplicateAcks: number;
  zeroWindows: number;
  keepAlives: number;
  zeroWindowProbes: number;
}

export type ClientRule = 'syn' | 'syn-ack' | 'port' | 'first-packet';

export interface ConnectionModel {
  /** 0-based, in order of first packet (like tshark's tcp.stream). */
  id: number;
  client: Endpoint;
  server: Endpoint;
  clientBy: ClientRule;
  firstFrame: number;
  lastFrame: number;
  firstTime: number;
  lastTime: number;
  packets: number;
  handshake: HandshakeModel;
  teardown: TeardownModel;
  stats: { client: DirectionStats; server: DirectionStats };
  diagnostics: Diagnostic[];
}

export interface ReassemblyLimits {
  /** Max out-of-order bytes buffered per connection (both directions). */
  maxBufferedBytesPerConnection: number;
  /** Max out-of-order bytes buffered over all connections. */
  maxBufferedBytesTotal: number;
  /** Most connections tracked: packets of later new connections get none (LIMITS.connections). */
  maxConnections: number;
  /** Most connections dissected at once (LIMITS.dissectedConnections); later ones are only reassembled. */
  maxDissectedConnections: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxBufferedBytesPerConnection: LIMITS.reassemblyPerConnection.value,
  maxBufferedBytesTotal: LIMITS.reassemblyTotal.value,
  maxConnections: LIMITS.connections.value,
  maxDissectedConnections: LIMITS.dissectedConnections.value,
};
