/**
 * Reassembly of ONE direction of a TCP connection.
 *
 * Stream offsets are plain (unwrapped) numbers: offset 0 is the first payload byte after the ISN (or,
 * with no SYN in the capture, the first sequence number seen). Sequence numbers are mapped to offsets
 * relative to the next expected byte with 32-bit wrap-around, so a stream may cross 2^32 freely.
 *
 * Overlap policy: FIRST-RECEIVED BYTES WIN. Bytes already released are never replaced; a segment that
 * overlaps buffered (out-of-order) data contributes only the bytes no earlier segment carried. This is
 * what tshark's "Follow TCP stream" does for released data, and it is the only policy that never has to
 * take back bytes already handed to an application dissector. Retransmissions with identical content
 * (the normal case) give the same stream under any policy.
 *
 * The in-order fast path (segment starts at or before the next expected byte, nothing buffered) hands
 * the caller's payload view straight to the sink without copying. Only out-of-order bytes are copied.
 */
import type { Direction, FrameSpan, StreamChunk, StreamGap, TcpSegment } from './types';
import { dataSeqOf, seqAdd, seqDiff } from './sequence';

const EMPTY = new Uint8Array(0);

/** Shared byte accounting over all connections (for the total buffering limit). */
export interface BufferPool {
  bufferedBytes: number;
}

export interface ReassemblySink {
  onData(chunk: StreamChunk): void;
  onGap(gap: StreamGap): void;
}

/** Out-of-order bytes held until the bytes before them arrive. Pieces never overlap each other. */
interface Piece {
  offset: number;
  bytes: Uint8Array;
  frame: number;
  time: number;
}

/** Most out-of-order pieces one direction keeps (tiny segments must not make the buffer unbounded). */
export const MAX_PIECES_PER_DIRECTION = 4096;

/** Outcome of adding a segment's payload. */
export type AddResult = 'old' | 'in-order' | 'buffered' | 'ignored';

/** Data further ahead than this (bytes) is not believed: no TCP window is larger than 2^30. */
export const MAX_AHEAD_BYTES = 2 ** 30;

export class DirectionReassembler {
  /** Absolute sequence number of the next expected byte. */
  private nextSeq: number;
  /** Stream offset of the next expected byte (= bytes released + gap bytes). */
  nextOffset = 0;
  /** Stream offset of the FIN (one past the last data byte), -1 while unknown. */
  private finOffset = -1;
  private finFrame = 0;
  private finTime = 0;
  /** Highest offset the peer acknowledged (bytes below it were received by the peer). */
  private ackedOffset = 0;
  private pieces: Piece[] = [];
  bufferedBytes = 0;
  deliveredBytes = 0;
  gapBytes = 0;
  gaps = 0;
  bufferLimitGaps = 0;
  missingGaps = 0;
  /** Frame of the first gap (for diagnostics). */
  firstGapFrame = 0;
  /**
   * The chunk handed to the sink, filled again for every delivery (its frames are this one span):
   * valid only during onData, as StreamChunk says. Made per delivery they were ~130 bytes of
   * garbage per data packet (an eighth of a 1 GiB capture's allocations).
   */
  private readonly span: FrameSpan = { frame: 0, offset: 0, length: 0 };
  private readonly chunk: StreamChunk;

  constructor(
    readonly dir: Direction,
    /** Absolute sequence number of stream offset 0. */
    readonly baseSeq: number,
    private readonly sink: ReassemblySink,
    private readonly pool: BufferPool,
  ) {
    this.nextSeq = baseSeq >>> 0;
    this.chunk = { dir, offset: 0, bytes: EMPTY, frames: [this.span], time: 0 };
  }

  /** Stream offset of an absolute sequence number (valid within ±2 GiB of the next expected byte). */
  offsetOf(seq: number): number {
    return this.nextOffset + seqDiff(seq, this.nextSeq);
  }

  /** Every byte up to the FIN was delivered (or declared a gap): nothing more can come out of this direction. */
  get complete(): boolean {
    return this.finOffset >= 0 && this.nextOffset >= this.finOffset && this.pieces.length === 0;
  }

  get hasBuffered(): boolean {
    return this.pieces.length > 0;
  }

  get pieceCount(): number {
    return this.pieces.length;
  }

  /**
   * Adds the segment's payload (its first byte follows the SYN's sequence number on a SYN). The
   * segment itself is passed, not its numbers: those that are not small integers are boxed to be passed.
   */
  add(seg: TcpSegment): AddResult {
    const { payload, frame, time } = seg;
    let offset = this.offsetOf(dataSeqOf(seg.tcp));
    let end = offset + payload.length;
    if (this.finOffset >= 0 && end > this.finOffset) end = this.finOffset;
    if (end <= offset || offset - this.nextOffset > MAX_AHEAD_BYTES) return 'ignored';
    if (end <= this.nextOffset) return 'old';
    if (offset > this.nextOffset) {
      this.insert(offset, end, payload, frame, time);
      if (this.ackedOffset > this.nextOffset) this.flushHoles('missing', this.ackedOffset, time);
      return 'buffered';
    }
    const skip = this.nextOffset - offset;
    offset += skip;
    this.releaseFrom(skip === 0 && end - offset === payload.length ? payload : payload.subarray(skip, skip + (end - offset)), offset, frame, time);
    return 'in-order';
  }

  /** Marks the FIN at sequence number `seq` (data never extends past it). */
  setFin(seq: number, frame: number, time: number): void {
    if (this.finOffset >= 0) return;
    const off = this.offsetOf(seq);
    if (off < this.nextOffset) return;
    this.finOffset = off;
    this.finFrame = frame;
    this.finTime = time;
  }

  /** The peer acknowledged everything before the segment's ack: holes below it will never be filled. */
  onPeerAck(seg: TcpSegment): void {
    // (The segment, not its ack and time: numbers that are not small integers are boxed to be passed.)
    const time = seg.time;
    let off = this.offsetOf(seg.tcp.ack);
    if (this.finOffset >= 0 && off > this.finOffset) off = this.finOffset;
    if (off <= this.ackedOffset) return;
    this.ackedOffset = off;
    if (this.pieces.length && this.pieces[0].offset < off) this.flushHoles('missing', off, time);
  }

  /** Declares every hole a gap and releases everything buffered (FIN/RST/end of capture). */
  flushAll(time: number): void {
    this.flushHoles('missing', Infinity, time);
    if (this.finOffset > this.nextOffset) {
      this.emitGap(this.finOffset - this.nextOffset, this.finFrame, this.finTime, 'missing');
    }
  }

  /** Skips ahead over holes until at most `maxBytes` stay buffered (reason 'buffer-limit'). */
  shrinkTo(maxBytes: number, maxPieces: number, time: number): void {
    while (this.pieces.length && (this.bufferedBytes > maxBytes || this.pieces.length > maxPieces)) {
      const first = this.pieces[0];
      this.emitGap(first.offset - this.nextOffset, first.frame, first.time, 'buffer-limit');
      this.releaseBuffered(time);
    }
  }

  private flushHoles(reason: StreamGap['reason'], upTo: number, time: number): void {
    while (this.pieces.length && this.pieces[0].offset < upTo) {
      const first = this.pieces[0];
      if (first.offset > this.nextOffset) {
        this.emitGap(first.offset - this.nextOffset, first.frame, first.time, reason);
      }
      this.releaseBuffered(time);
    }
  }

  private emitGap(length: number, frame: number, time: number, reason: StreamGap['reason']): void {
    if (length <= 0) return;
    const offset = this.nextOffset;
    this.advance(length);
    this.gapBytes += length;
    this.gaps++;
    if (reason === 'buffer-limit') this.bufferLimitGaps++;
    else this.missingGaps++;
    if (!this.firstGapFrame) this.firstGapFrame = frame;
    this.sink.onGap({ dir: this.dir, offset, length, frame, time, reason });
  }

  /** Delivers `view` (starting exactly at nextOffset), interleaved with any buffered pieces it meets. */
  private releaseFrom(view: Uint8Array, offset: number, frame: number, time: number): void {
    let cursor = offset;
    const end = offset + view.length;
    while (cursor < end || (this.pieces.length && this.pieces[0].offset === this.nextOffset)) {
      const next = this.pieces.length ? this.pieces[0] : null;
      if (next && next.offset <= this.nextOffset) {
        this.releaseBuffered(time);
        cursor = Math.max(cursor, this.nextOffset);
        continue;
      }
      if (cursor >= end) break;
      const stop = next ? Math.min(end, next.offset) : end;
      const part = cursor === offset && stop === end ? view : view.subarray(cursor - offset, stop - offset);
      this.deliver(part, frame, time);
      cursor = stop;
    }
  }

  /** Delivers buffered pieces that start at the next expected byte. */
  private releaseBuffered(time: number): void {
    while (this.pieces.length && this.pieces[0].offset <= this.nextOffset) {
      const p = this.pieces.shift() as Piece;
      this.unaccount(p.bytes.length);
      const skip = this.nextOffset - p.offset;
      if (skip < p.bytes.length) this.deliver(skip ? p.bytes.subarray(skip) : p.bytes, p.frame, time);
    }
  }

  private deliver(bytes: Uint8Array, frame: number, time: number): void {
    const offset = this.nextOffset;
    this.advance(bytes.length);
    this.deliveredBytes += bytes.length;
    const c = this.chunk;
    const span = this.span;
    span.frame = frame;
    span.offset = offset;
    span.length = bytes.length;
    c.offset = offset;
    c.bytes = bytes;
    c.time = time;
    this.sink.onData(c);
    c.bytes = EMPTY; // the view is not held past the call
  }

  private advance(n: number): void {
    this.nextOffset += n;
    this.nextSeq = seqAdd(this.nextSeq, n);
  }

  /** Buffers the parts of [offset, end) that no buffered piece covers yet (first received wins). */
  private insert(offset: number, end: number, payload: Uint8Array, frame: number, time: number): void {
    const pieces = this.pieces;
    let i = this.firstEndingAfter(offset);
    let cursor = offset;
    const payloadStart = offset;
    while (cursor < end) {
      if (i < pieces.length && pieces[i].offset <= cursor) {
        cursor = Math.max(cursor, pieces[i].offset + pieces[i].bytes.length);
        i++;
        continue;
      }
      const stop = i < pieces.length ? Math.min(end, pieces[i].offset) : end;
      const bytes = payload.slice(cursor - payloadStart, stop - payloadStart);
      pieces.splice(i, 0, { offset: cursor, bytes, frame, time });
      this.account(bytes.length);
      i++;
      cursor = stop;
    }
  }

  /** Index of the first piece whose end is after `offset` (binary search; pieces are sorted). */
  private firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = this.pieces[mid];
      if (p.offset + p.bytes.length <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private account(n: number): void {
    this.bufferedBytes += n;
    this.pool.bufferedBytes += n;
  }

  private unaccount(n: number): void {
    this.bufferedBytes -= n;
    this.pool.bufferedBytes -= n;
  }

  /** Drops everything buffered without delivering it (used when a connection is discarded). */
  discard(): void {
    this.unaccount(this.bufferedBytes);
    this.pieces = [];
  }
}
