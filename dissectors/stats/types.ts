/** Types of the Statistics views (capinfos, Protocol Hierarchy, Conversations, Endpoints, IO Graph, TCP stream graphs). */

/** Capture file properties, as `capinfos` prints them. */
export interface CaptureProperties {
  name: string;
  format: 'pcap' | 'pcapng';
  /** Link types of the file's interfaces (their names, e.g. "Ethernet"), one entry per distinct type. */
  encapsulations: string[];
  packets: number;
  fileBytes: number;
  /** Sum of captured lengths (capinfos's "Data size"). */
  dataBytes: number;
  /** Absolute times of the earliest and latest packet ("2026-11-29 17:52:58.182371", UTC, the file's precision); null with no packets. */
  firstTime: string | null;
  lastTime: string | null;
  /** Latest minus earliest packet time, seconds. */
  duration: number;
  /** dataBytes / duration, dataBytes × 8 / duration, packets / duration (null when duration is 0). */
  dataByteRate: number | null;
  dataBitRate: number | null;
  packetRate: number | null;
  averagePacketSize: number | null;
  /** Timestamp digits after the second (6 microseconds, 9 nanoseconds). */
  timePrecision: number;
  /** True when every packet's time is at or after the one before (capinfos's "Strict time order"). */
  strictTimeOrder: boolean;
  interfaces: Array<{
    name: string;
    encapsulation: string;
    linkType: number;
    snapLen: number;
    packets: number;
  }>;
  comments: string[];
}

/** One node of the Protocol Hierarchy (as `tshark -z io,phs`): frames and bytes whose stack passes through it. */
export interface HierarchyNode {
  protocol: string;
  frames: number;
  bytes: number;
  children: HierarchyNode[];
}

export type ConversationKind = 'tcp' | 'udp' | 'ip' | 'ipv6';
export type EndpointKind = 'ip' | 'ipv6';

/** One conversation (as `tshark -z conv,…`): A is the source of its first frame. Bytes are frame bytes (on the wire). */
export interface ConversationRow {
  /** Address (ip) or address:port (tcp/udp), IPv6 in brackets with a port. */
  a: string;
  b: string;
  framesAtoB: number;
  bytesAtoB: number;
  framesBtoA: number;
  bytesBtoA: number;
  /** Transport payload bytes each way (TCP/UDP); IP payload for ip/ipv6. */
  payloadAtoB: number;
  payloadBtoA: number;
  /** Seconds since the capture's first frame. */
  start: number;
  duration: number;
  firstFrame: number;
  /** The engine's TCP connection id (tcp rows), -1 otherwise. */
  connection: number;
}

/** One endpoint (as `tshark -z endpoints,ip`). */
export interface EndpointRow {
  address: string;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

export interface CaptureStatistics {
  properties: CaptureProperties;
  hierarchy: HierarchyNode[];
  conversations: Record<ConversationKind, ConversationRow[]>;
  endpoints: Record<EndpointKind, EndpointRow[]>;
  /** True when a table stopped growing at MAX_STAT_ROWS (rows past it are left out; the totals still count). */
  truncated: boolean;
}

/** IO Graph: frames and bytes per interval, for every series (a display filter; '' is all packets). */
export interface IoSeries {
  filter: string;
  /** The filter's error, when it did not compile (the series is then empty). */
  error: string | null;
  frames: number[];
  bytes: number[];
}
export interface IoGraph {
  interval: number;
  duration: number;
  series: IoSeries[];
}

/** One TCP segment of a stream graph's direction. */
export interface TcpGraphSegment {
  frame: number;
  time: number;
  /** Relative sequence number and payload length (tshark's tcp.seq, tcp.len). */
  seq: number;
  len: number;
  /** Flagged as a retransmission (any kind) by the TCP analysis. */
  retransmission: boolean;
  /** SYN or FIN (each counts one sequence number). */
  syn: boolean;
  fin: boolean;
}
/** One ACK of the other direction: what it acknowledges and the window it offers (scaled). */
export interface TcpGraphAck {
  frame: number;
  time: number;
  ack: number;
  window: number;
  /** SACK blocks, relative [left, right). */
  sack: Array<[number, number]>;
}
export interface TcpStreamGraph {
  connection: number;
  /** The direction whose data is drawn: 'client' (client → server) or 'server'. */
  direction: 'client' | 'server';
  from: string;
  to: string;
  segments: TcpGraphSegment[];
  acks: TcpGraphAck[];
  /** Round-trip times: a data segment (not retransmitted) and the first ACK that covers it. */
  rtt: Array<{ frame: number; ackFrame: number; time: number; seq: number; rtt: number }>;
  /** Throughput: bytes of the last THROUGHPUT_SEGMENTS segments over their time span, per segment. */
  throughput: Array<{ time: number; bitsPerSecond: number }>;
  /** Bytes in flight (sent, not yet acknowledged) after each segment, and the receiver's window then. */
  inFlight: Array<{ time: number; bytes: number; window: number | null }>;
  /** True when the direction's segments passed MAX_GRAPH_SEGMENTS (the rest are left out). */
  truncated: boolean;
}
