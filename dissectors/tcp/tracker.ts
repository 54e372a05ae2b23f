/**
 * Connection tracking: TCP segments in capture order → connections (tshark's tcp.stream numbering),
 * each reassembled in both directions and handed to its consumer in capture order.
 *
 * A connection is a 4-tuple from its first packet until a new one replaces it. As tshark 4.0 splits
 * tcp.stream: a SYN (without ACK) on a known 4-tuple starts a new connection when its sender already
 * has a base sequence number in the old one (its SYN's ISN, or the first sequence number seen minus
 * one) and the SYN's sequence number differs from it — port reuse, flagged
 * tcp.analysis.reused_ports on that SYN. A SYN repeating the base is a retransmission, even after a
 * RST or FIN. After a RST, data still arriving on the 4-tuple is reassembled too (tshark's follow keeps it).
 */
import { TCP_ACK, TCP_SYN } from '../net/types';
import { Connection } from './connection';
import { FlowTable } from './flow-table';
import type { BufferPool } from './reassembler';
import { finishHandshake } from './handshake';
import { finishTeardown } from './teardown';
import {
  DEFAULT_REASSEMBLY_LIMITS,
  type ClientRule,
  type ConnectionModel,
  type Endpoint,
  type ReassemblyLimits,
  type SegmentVerdict,
  type StreamConsumer,
  type TcpSegment,
} from './types';

export interface NewConnection {
  id: number;
  client: Endpoint;
  server: Endpoint;
  clientBy: ClientRule;
  firstFrame: number;
}

export interface TcpTrackerOptions {
  limits?: Partial<ReassemblyLimits>;
  onConnection?: (conn: NewConnection) => StreamConsumer | undefined;
}

export interface TcpTracker {
  /**
   * Tracks one segment. With `into`, the verdict is written there (its analysis array emptied
   * first) and returned: the bulk pass reuses one verdict instead of making one per packet.
   */
  add(seg: TcpSegment, into?: SegmentVerdict): SegmentVerdict;
  /** Flushes every connection, calls onEnd on every consumer, returns the models in id order. */
  finish(): ConnectionModel[];
  /**
   * The connections as they stand now (live capture): copies whose handshake and teardown are
   * summarised as if the capture ended here; the tracker keeps running unchanged.
   */
  snapshot(): ConnectionModel[];
  readonly connectionCount: number;
  /** Packets not given a connection: they opened one past limits.maxConnections. */
  readonly untrackedPackets: number;
  /** Tracks no new connection from now on (memory runs short); those already tracked go on. */
  stopNewConnections(): void;
}

/** Ports whose owner is the server when no SYN tells (the lesson ports included). */
const SERVER_PORTS = new Set([
  20, 21, 22, 23, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 1025, 1110, 3128, 8000, 8008, 8080, 8443,
  8717,
]);

export function chooseClient(seg: TcpSegment): { client: Endpoint; server: Endpoint; clientBy: ClientRule } {
  const a: Endpoint = { ip: seg.src, port: seg.tcp.srcPort };
  const b: Endpoint = { ip: seg.dst, port: seg.tcp.dstPort };
  const f = seg.tcp.flags;
  if (f & TCP_SYN && !(f & TCP_ACK)) return { client: a, server: b, clientBy: 'syn' };
  if (f & TCP_SYN && f & TCP_ACK) return { client: b, server: a, clientBy: 'syn-ack' };
  const aServer = SERVER_PORTS.has(a.port);
  const bServer = SERVER_PORTS.has(b.port);
  if (aServer !== bServer)
    return aServer ? { client: b, server: a, clientBy: 'port' } : { client: a, server: b, clientBy: 'port' };
  if (a.port < 1024 !== b.port < 1024)
    return a.port < 1024
      ? { client: b, server: a, clientBy: 'port' }
      : { client: a, server: b, clientBy: 'port' };
  return { client: a, server: b, clientBy: 'first-packet' };
}

/** A verdict for TcpTracker.add to fill. */
export function newSegmentVerdict(): SegmentVerdict {
  return {
    connectionId: -1,
    dir: 'client',
    relSeq: 0,
    relAck: 0,
    analysis: [],
    dupAckNum: 0,
    dupAckFrame: 0,
    ackedFrame: 0,
    ackRtt: 0,
    bytesInFlight: 0,
  };
}

/** Empties a reused verdict's analysis numbers. */
function clearNumbers(v: SegmentVerdict): void {
  v.dupAckNum = 0;
  v.dupAckFrame = 0;
  v.ackedFrame = 0;
  v.ackRtt = 0;
  v.bytesInFlight = 0;
}

function snapshotModel(m: ConnectionModel): ConnectionModel {
  const handshake = { ...m.handshake };
  const teardown = { ...m.teardown };
  finishHandshake(handshake);
  finishTeardown(teardown);
  return { ...m, handshake, teardown, diagnostics: m.diagnostics.slice() };
}

export function createTcpTracker(options: TcpTrackerOptions = {}): TcpTracker {
  const limits: ReassemblyLimits = { ...DEFAULT_REASSEMBLY_LIMITS, ...options.limits };
  const pool: BufferPool = { bufferedBytes: 0 };
  const live = new FlowTable<Connection>();
  const all: Connection[] = [];
  const models: ConnectionModel[] = [];
  let untracked = 0;

  function open(seg: TcpSegment): Connection {
    const id = all.length;
    const who = chooseClient(seg);
    const consumer = options.onConnection?.({ id, ...who, firstFrame: seg.frame });
    const c = new Connection(id, who.client, who.server, who.clientBy, seg, consumer, pool, limits);
    all.push(c);
    live.set(seg.src, seg.tcp.srcPort, seg.dst, seg.tcp.dstPort, c);
    return c;
  }

  function startsNew(c: Connection, seg: TcpSegment): boolean {
    const f = seg.tcp.flags;
    if (!(f & TCP_SYN) || f & TCP_ACK) return false;
    const base = c.baseSeq(c.dirOf(seg));
    return base >= 0 && seg.tcp.seq !== base;
  }

  return {
    add(seg: TcpSegment, into?: SegmentVerdict): SegmentVerdict {
      let c = live.get(seg.src, seg.tcp.srcPort, seg.dst, seg.tcp.dstPort);
      let reused = false;
      if (c && startsNew(c, seg)) {
        c.end();
        models[c.model.id] = c.finish();
        c = undefined;
        reused = true;
      }
      const v = into ?? newSegmentVerdict();
      if (!c) {
        if (all.length >= limits.maxConnections) {
          // Past the limit: the packet is listed but belongs to no connection (nothing is kept of it).
          untracked++;
          v.connectionId = -1;
          v.dir = 'client';
          v.relSeq = 0;
          v.relAck = 0;
          if (v.analysis.length) v.analysis.length = 0;
          clearNumbers(v);
          return v;
        }
        c = open(seg);
      }
      v.connectionId = c.model.id;
      v.dir = c.dirOf(seg);
      if (v.analysis.length) v.analysis.length = 0; // (setting the length costs even when empty)
      clearNumbers(v);
      c.add(seg, v.dir, v);
      if (reused) v.analysis.push('tcp.analysis.reused_ports');
      return v;
    },
    finish(): ConnectionModel[] {
      for (const c of all) {
        if (models[c.model.id]) continue;
        c.end();
        models[c.model.id] = c.finish();
      }
      live.clear();
      return models;
    },
    snapshot(): ConnectionModel[] {
      return all.map((c) => models[c.model.id] ?? snapshotModel(c.model));
    },
    get connectionCount() {
      return all.length;
    },
    get untrackedPackets() {
      return untracked;
    },
    stopNewConnections(): void {
      limits.maxConnections = Math.min(limits.maxConnections, all.length);
    },
  };
}
