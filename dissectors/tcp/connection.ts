/**
 * One TCP connection's live state: both directions' sequence tracking and reassembly, tshark-style
 * per-segment analysis, handshake and teardown. Reassemblers are created lazily (first payload), so
 * a connection that never carries data costs only this object.
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../net/types';
import { finishHandshake, newHandshake, scaledWindow, trackHandshake, windowShift } from './handshake';
import {
  DirectionReassembler,
  MAX_PIECES_PER_DIRECTION,
  type BufferPool,
  type ReassemblySink,
} from './reassembler';
import { dataSeqOf, seqAdd, seqDiff } from './sequence';
import { newDirectionStats, statsDiagnostics } from './stats';
import { finishTeardown, newTeardown, trackTeardown } from './teardown';
import { UnackedSegments } from './unacked';
import type {
  ClientRule,
  ConnectionModel,
  Direction,
  Endpoint,
  ReassemblyLimits,
  SegmentVerdict,
  StreamConsumer,
  TcpSegment,
} from './types';
import { diag } from '../model/diagnostic';

interface Side {
  /** A SYN from this side was seen (its ISN + 1 is stream offset 0). */
  synSeen: boolean;
  /** Absolute base for relative numbers: ISN (SYN seen) or first seq - 1 (mid-stream). -1 until known. */
  isn: number;
  /** Highest sequence number sent so far (end of the furthest segment). -1 until known. */
  maxEnd: number;
  /** Capture time of the segment that last advanced maxEnd (tshark's nextseqtime). */
  maxEndTime: number;
  lastAck: number;
  /** Time of the last ACK this side sent, and how many duplicate ACKs in a row. */
  lastAckTime: number;
  dupAcks: number;
  lastWindow: number;
  lastAckFrame: number;
  /** The frame where this side's ACK number last changed (tshark's lastnondupack). */
  lastNonDupAck: number;
  /**
   * End of the data this side sent without a hole (tshark's maxseqtobeacked): an ACK from the peer
   * beyond it acknowledges bytes the capture never saw. -1 until known.
   */
  maxSeqToBeAcked: number;
  /** The last window this side advertised, scaled as the connection uses it. */
  lastWindowScaled: number;
  /** Segments this side sent that the peer has not acknowledged (for ack_rtt and bytes in flight). */
  unacked: UnackedSegments | null;
  /** tshark's valid_bif: bytes in flight are shown; off after a hole until the peer sends an ACK. */
  validBif: boolean;
  /** Bytes the SACK option of this side's last segment reports as received (its first three blocks, as tshark keeps them; 0 without one). */
  sackDelivered: number;
  finSeq: number;
  windowZero: boolean;
  /** This side's last segment was a keep-alive / a zero-window probe (their ACKs are named after them). */
  sentKeepAlive: boolean;
  sentZeroWindowProbe: boolean;
  reasm: DirectionReassembler | null;
}

function newSide(): Side {
  return {
    synSeen: false,
    isn: -1,
    maxEnd: -1,
    maxEndTime: 0,
    lastAck: -1,
    lastAckTime: 0,
    dupAcks: 0,
    lastWindow: -1,
    lastAckFrame: 0,
    lastNonDupAck: 0,
    maxSeqToBeAcked: -1,
    lastWindowScaled: -1,
    unacked: null,
    validBif: true,
    sackDelivered: 0,
    finSeq: -1,
    windowZero: false,
    sentKeepAlive: false,
    sentZeroWindowProbe: false,
    reasm: null,
  };
}

export class Connection implements ReassemblySink {
  readonly model: ConnectionModel;
  private readonly sides: { client: Side; server: Side } = { client: newSide(), server: newSide() };
  ended = false;
  /** The consumer was told the streams are over (see endStreams): at the end, or once both were complete. */
  private streamsEnded = false;
  lastTime: number;

  constructor(
    id: number,
    client: Endpoint,
    server: Endpoint,
    clientBy: ClientRule,
    seg: TcpSegment,
    private readonly consumer: StreamConsumer | undefined,
    private readonly pool: BufferPool,
    private readonly limits: ReassemblyLimits,
  ) {
    this.lastTime = seg.time;
    this.model = {
      id,
      client,
      server,
      clientBy,
      firstFrame: seg.frame,
      lastFrame: seg.frame,
      firstTime: seg.time,
      lastTime: seg.time,
      packets: 0,
      handshake: newHandshake(),
      teardown: newTeardown(),
      stats: { client: newDirectionStats(), server: newDirectionStats() },
      diagnostics: [],
    };
  }

  /** Sender of this segment. */
  dirOf(seg: TcpSegment): Direction {
    const c = this.model.client;
    return seg.src === c.ip && seg.tcp.srcPort === c.port ? 'client' : 'server';
  }

  /**
   * tshark's base_seq of one side: its SYN's ISN, else the first sequence number it sent minus one,
   * else the peer's first ACK minus one; -1 while nothing tells.
   */
  baseSeq(dir: Direction): number {
    return this.sides[dir].isn;
  }

  /** Adds one segment; fills the verdict's relative numbers and analysis flags (its `analysis` array must be empty). */
  add(seg: TcpSegment, dir: Direction, verdict: SegmentVerdict): void {
    const analysis = verdict.analysis;
    const m = this.model;
    const tcp = seg.tcp;
    const me = this.sides[dir];
    const peerDir: Direction = dir === 'client' ? 'server' : 'client';
    const peer = this.sides[peerDir];
    const stats = m.stats[dir];
    m.packets++;
    m.lastFrame = seg.frame;
    m.lastTime = seg.time;
    this.lastTime = seg.time;
    stats.segments++;
    const f = tcp.flags;
    const len = tcp.claimedPayloadLength;
    if (f & TCP_SYN && !me.synSeen && !me.reasm) {
      me.synSeen = true;
      me.isn = tcp.seq;
    }
    if (me.isn < 0) me.isn = seqAdd(tcp.seq, -1);
    // As tshark: an ACK for a side not yet seen fixes that side's base at ack - 1.
    if (f & TCP_ACK && peer.isn < 0) peer.isn = seqAdd(tcp.ack, -1);
    // Only packets that can change the handshake or the teardown go to them: the others (nearly all)
    // would only pay for the calls (and for boxing their time and sequence numbers).
    const h = m.handshake;
    if (f & (TCP_SYN | TCP_RST) || (h.synAck && !h.ack)) trackHandshake(h, tcp, dir, seg.frame, seg.time);
    if (f & TCP_FIN && me.finSeq < 0) me.finSeq = seqAdd(tcp.seq, len);
    const t = m.teardown;
    if (f & (TCP_FIN | TCP_RST) || t.clientFin || t.serverFin)
      trackTeardown(
        t,
        tcp,
        dir,
        seg.frame,
        seg.time,
        this.sides.client.finSeq,
        this.sides.server.finSeq,
        len,
      );

    this.analyse(seg, dir, me, peer, len, verdict);
    const dataSeq = dataSeqOf(tcp);
    if (this.ended) {
      // After a RST (or a flush) late packets still belong here but add nothing to the streams.
    } else if (seg.payload.length > 0 && !analysis.includes('tcp.analysis.keep_alive')) {
      stats.payloadSegments++;
      const r = this.reassembler(dir, me, dataSeq);
      const result = r.add(seg);
      if (
        result === 'old' &&
        !analysis.includes('tcp.analysis.retransmission') &&
        !analysis.includes('tcp.analysis.out_of_order')
      )
        analysis.push('tcp.analysis.retransmission');
      this.enforceLimits(r, seg.time);
    } else if (len > 0 && seg.payload.length === 0) {
      // Payload not captured (snaplen): the bytes are a hole in the stream.
      this.reassembler(dir, me, dataSeq);
    }
    if (f & TCP_FIN && !this.ended)
      this.reassembler(dir, me, seqAdd(tcp.seq, len)).setFin(seqAdd(tcp.seq, len), seg.frame, seg.time);
    if (f & TCP_ACK && peer.reasm) peer.reasm.onPeerAck(seg);
    // (A FIN may come before the data it follows: the last byte delivered can complete a direction too.)
    if (!this.streamsEnded && this.sides.client.reasm?.complete && this.sides.server.reasm?.complete)
      this.endStreams();

    const end = seqAdd(dataSeq, len + (f & TCP_FIN ? 1 : 0));
    // As tshark: every segment with data, a SYN or a FIN waits for its ACK.
    if (len > 0 || f & (TCP_SYN | TCP_FIN))
      (me.unacked ??= new UnackedSegments()).add(tcp.seq, end, seg.frame, seg.time);
    if (me.maxEnd < 0 || seqDiff(end, me.maxEnd) > 0) {
      me.maxEnd = end;
      me.maxEndTime = seg.time;
    }
    if (me.maxSeqToBeAcked < 0 || tcp.seq === me.maxSeqToBeAcked) me.maxSeqToBeAcked = me.maxEnd;
    if (f & TCP_ACK) {
      if (tcp.ack !== me.lastAck) {
        me.dupAcks = 0;
        me.lastNonDupAck = seg.frame;
      }
      me.lastAck = tcp.ack;
      me.lastAckTime = seg.time;
      me.lastAckFrame = seg.frame;
      peer.validBif = true;
      const acked = peer.unacked;
      if (acked) {
        acked.ack(tcp.ack, seg.time);
        if (acked.ackedFrame >= 0) {
          verdict.ackedFrame = acked.ackedFrame;
          verdict.ackRtt = acked.ackRtt;
        }
      }
    }
    const sack = tcp.options.sack;
    if (sack) {
      // tshark keeps the first three blocks (32-bit arithmetic, as its guint32).
      let delivered = 0;
      for (let i = 0; i < sack.length && i < 3; i++)
        delivered = (delivered + ((sack[i][1] - sack[i][0]) >>> 0)) >>> 0;
      me.sackDelivered = delivered;
    } else if (me.sackDelivered) me.sackDelivered = 0;
    if (len > 0 && me.unacked && me.validBif) {
      // tshark: from the lowest unacknowledged byte to the highest sent, less what the peer's SACK reports received.
      const inFlight = (me.unacked.inFlight() - peer.sackDelivered) >>> 0;
      if (inFlight > 0 && inFlight < 2_000_000_000)
        verdict.bytesInFlight = f & (TCP_SYN | TCP_FIN) ? inFlight - 1 : inFlight;
    }
    me.lastWindow = tcp.window;
    me.lastWindowScaled = scaledWindow(m.handshake, dir, tcp.window, f);
    me.windowZero = tcp.window === 0 && !(f & (TCP_SYN | TCP_FIN | TCP_RST));
    me.sentKeepAlive = analysis.includes('tcp.analysis.keep_alive');
    me.sentZeroWindowProbe = analysis.includes('tcp.analysis.zero_window_probe');
    for (const code of analysis) this.count(dir, code);
    verdict.relSeq = (tcp.seq - me.isn) >>> 0;
    // Without the ACK flag the field means nothing; tshark shows it raw.
    verdict.relAck = f & TCP_ACK ? (tcp.ack - peer.isn) >>> 0 : tcp.ack;
  }

  /**
   * tshark-like analysis flags, decided before the payload is reassembled. A segment that does not
   * advance the sequence is classified as tshark 4.0 does: a fast retransmission when the peer sent
   * two or more duplicate ACKs for it within the last 20 ms; a spurious retransmission when the peer
   * already acknowledged all of it; out-of-order when it comes within the handshake RTT (3 ms when
   * unknown) of the segment that advanced the sequence and does not end exactly there; otherwise a
   * retransmission.
   */
  private analyse(
    seg: TcpSegment,
    dir: Direction,
    me: Side,
    peer: Side,
    len: number,
    verdict: SegmentVerdict,
  ): void {
    // (The segment, not its time: a number that is not a small integer is boxed to be passed.)
    const out = verdict.analysis;
    const tcp = seg.tcp;
    const time = seg.time;
    const f = tcp.flags;
    const control = (f & (TCP_SYN | TCP_FIN | TCP_RST)) !== 0;
    if (me.maxEnd >= 0) {
      const ahead = seqDiff(tcp.seq, me.maxEnd);
      if (len <= 1 && ahead === -1 && !control) {
        out.push('tcp.analysis.keep_alive');
      } else if (ahead > 0 && !(f & TCP_SYN)) {
        out.push('tcp.analysis.lost_segment');
        me.validBif = false; // (as tshark: until the peer acknowledges something)
      } else if (
        (len > 0 || f & (TCP_FIN | TCP_SYN)) &&
        ahead < 0 &&
        !(ahead === -1 && len > 1) &&
        !(f & TCP_RST)
      ) {
        // (tshark does not count data starting one byte before the next expected one as old.)
        // (A SYN again with the same ISN is a retransmitted SYN: the same rules apply.)
        // tshark's threshold: the initial RTT (SYN → ACK of the handshake) once known, else 3 ms.
        const h = this.model.handshake;
        const rtt = h.syn && h.ack ? h.ack.time - h.syn.time : 0;
        const oooThreshold = rtt > 0 ? rtt : 0.003;
        const endsAtMax = seqDiff(seqAdd(tcp.seq, len + (f & (TCP_FIN | TCP_SYN) ? 1 : 0)), me.maxEnd) === 0;
        if (peer.dupAcks >= 2 && peer.lastAck === tcp.seq && time - peer.lastAckTime < 0.02) {
          out.push('tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission');
        } else if (len > 0 && peer.lastAck >= 0 && seqDiff(seqAdd(tcp.seq, len), peer.lastAck) <= 0) {
          out.push('tcp.analysis.retransmission', 'tcp.analysis.spurious_retransmission');
        } else if (time - me.maxEndTime < oooThreshold && !endsAtMax) {
          out.push('tcp.analysis.out_of_order');
        } else {
          out.push('tcp.analysis.retransmission');
        }
      }
    }
    if (peer.windowZero && len === 1 && me.maxEnd >= 0 && seqDiff(tcp.seq, me.maxEnd) === 0)
      out.push('tcp.analysis.zero_window_probe');
    if (tcp.window === 0 && !control) out.push('tcp.analysis.zero_window');
    if (
      len === 0 &&
      !control &&
      f & TCP_ACK &&
      me.lastAck >= 0 &&
      tcp.ack === me.lastAck &&
      !out.includes('tcp.analysis.keep_alive')
    ) {
      // tshark: no payload, same window (not zero), same ACK, and the sequence at this side's next byte.
      // Such an ACK answering a keep-alive or a zero-window probe is named after it instead.
      const same = tcp.window === me.lastWindow && seqDiff(me.maxEnd, tcp.seq) === 0;
      if (same && tcp.window !== 0 && peer.sentKeepAlive) out.push('tcp.analysis.keep_alive_ack');
      else if (same && tcp.window === 0 && peer.sentZeroWindowProbe) out.push('tcp.analysis.zero_window_probe_ack');
      else if (same && tcp.window !== 0) {
        out.push('tcp.analysis.duplicate_ack');
        verdict.dupAckNum = ++me.dupAcks;
        verdict.dupAckFrame = me.lastNonDupAck;
      } else if (tcp.window !== me.lastWindow) out.push('tcp.analysis.window_update');
    }
    // tshark: data that fills the receiver's window to its last byte (once the window scale is known).
    if (
      len > 0 &&
      !control &&
      peer.lastAck >= 0 &&
      peer.lastWindowScaled >= 0 &&
      windowShift(this.model.handshake, dir === 'client' ? 'server' : 'client') !== null &&
      seqAdd(tcp.seq, len) === seqAdd(peer.lastAck, peer.lastWindowScaled)
    )
      out.push('tcp.analysis.window_full');
    // tshark: a new ACK beyond the data seen from the peer acknowledges a segment the capture missed
    // (said once: repeating the same ACK says nothing new).
    if (
      f & TCP_ACK &&
      tcp.ack !== me.lastAck &&
      peer.maxSeqToBeAcked >= 0 &&
      seqDiff(tcp.ack, peer.maxSeqToBeAcked) > 0
    ) {
      out.push('tcp.analysis.ack_lost_segment');
      peer.maxSeqToBeAcked = peer.maxEnd;
    }
  }

  private isNew(r: DirectionReassembler, seq: number): boolean {
    return r.offsetOf(seq) >= r.nextOffset;
  }

  private count(dir: Direction, code: string): void {
    const s = this.model.stats[dir];
    if (code === 'tcp.analysis.retransmission') s.retransmissions++;
    else if (code === 'tcp.analysis.out_of_order') s.outOfOrder++;
    else if (code === 'tcp.analysis.duplicate_ack') s.duplicateAcks++;
    else if (code === 'tcp.analysis.zero_window') s.zeroWindows++;
    else if (code === 'tcp.analysis.keep_alive') s.keepAlives++;
    else if (code === 'tcp.analysis.zero_window_probe') s.zeroWindowProbes++;
  }

  /**
   * Stream offset 0 is ISN + 1 when the SYN was seen; otherwise the first byte this direction is
   * seen sending (as tshark's follow: a capture started mid-stream has no hole before its first byte).
   */
  private reassembler(dir: Direction, side: Side, firstSeq: number): DirectionReassembler {
    if (!side.reasm)
      side.reasm = new DirectionReassembler(
        dir,
        side.synSeen ? seqAdd(side.isn, 1) : firstSeq,
        this,
        this.pool,
      );
    return side.reasm;
  }

  private enforceLimits(r: DirectionReassembler, time: number): void {
    const perConn = this.limits.maxBufferedBytesPerConnection;
    const before = r.bufferLimitGaps;
    if (r.bufferedBytes > perConn || r.pieceCount > MAX_PIECES_PER_DIRECTION)
      r.shrinkTo(perConn / 2, MAX_PIECES_PER_DIRECTION / 2, time);
    if (this.pool.bufferedBytes > this.limits.maxBufferedBytesTotal) r.shrinkTo(0, 0, time);
    if (
      r.bufferLimitGaps > before &&
      !this.model.diagnostics.some((d) => d.code === 'tcp.reassembly.buffer_limit')
    )
      this.model.diagnostics.push(
        diag(
          'tcp.reassembly.buffer_limit',
          'warn',
          'reassemble',
          'out-of-order data exceeded the reassembly buffer limit: skipped ahead and recorded a gap',
        ),
      );
  }

  onData(chunk: Parameters<ReassemblySink['onData']>[0]): void {
    this.model.stats[chunk.dir].bytes += chunk.bytes.length;
    this.consumer?.onData(chunk);
  }

  onGap(gap: Parameters<ReassemblySink['onGap']>[0]): void {
    const s = this.model.stats[gap.dir];
    s.gaps++;
    s.gapBytes += gap.length;
    this.consumer?.onGap(gap);
  }

  /** Flushes both directions (holes become gaps) and tells the consumer the connection is over. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const dir of ['client', 'server'] as const) {
      const r = this.sides[dir].reasm;
      if (r) {
        r.flushAll(this.lastTime);
        r.discard();
      }
      this.sides[dir].reasm = null;
    }
    this.endStreams();
  }

  /**
   * Tells the consumer the streams are over, once: when the connection ends, or as soon as both
   * directions were delivered up to their FIN — no byte can follow then (later segments are old or
   * past the FIN), and the dissectors' state (buffers, handlers) is let go instead of being held until
   * the end of the capture. The connection itself goes on counting and classifying late segments.
   */
  private endStreams(): void {
    if (this.streamsEnded) return;
    this.streamsEnded = true;
    this.consumer?.onEnd();
  }

  /** Final model (call after end()). */
  finish(): ConnectionModel {
    finishHandshake(this.model.handshake);
    finishTeardown(this.model.teardown);
    const h = this.model.handshake;
    if (h.outcome === 'reset')
      this.model.diagnostics.push(
        diag(
          'tcp.handshake.rst',
          'warn',
          'sequence',
          `the server answered the SYN with a RST (frame ${h.reset!.frame}): nothing listens on port ${this.model.server.port}`,
          h.reset!.frame,
        ),
      );
    if (h.outcome === 'no-answer')
      this.model.diagnostics.push(
        diag(
          'tcp.handshake.no_answer',
          'warn',
          'sequence',
          'the SYN got no answer in this capture',
          h.syn!.frame,
        ),
      );
    this.model.diagnostics.push(...statsDiagnostics(this.model.stats));
    return this.model;
  }
}
