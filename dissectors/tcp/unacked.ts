/**
 * The segments one side sent that the other has not acknowledged yet, as tshark 4.0 keeps them
 * (epan/dissectors/packet-tcp.c, tcp_analyze_seq_info.segments): they give the ACK's round-trip time
 * (tcp.analysis.ack_rtt) and the bytes in flight after each data segment (tcp.analysis.bytes_in_flight).
 *
 * Held in typed arrays, oldest first, with no object per segment. While the segments were sent in
 * order (each one starting at or after the end of the previous one) the acknowledged ones are at the
 * front and an ACK stops at the first segment it does not reach; after a retransmission or a
 * reordering the whole list is walked, as tshark does, until it is in order again.
 */
import { seqDiff } from './sequence';

/** tshark's TCP_MAX_UNACKED_SEGMENTS: past this many, new segments are not remembered. */
export const MAX_UNACKED_SEGMENTS = 10_000;

/** Fields of one segment in the list: four numbers a segment, in one array (one allocation per list). */
const SEQ = 0;
const NEXT = 1;
const FRAME = 2;
const TIME = 3;
const STRIDE = 4;
const EMPTY = new Float64Array(0);

export class UnackedSegments {
  /**
   * Segment k is at [k*STRIDE, (k+1)*STRIDE): seq, next seq, frame, time. Made on the first segment
   * with room for two: a SYN flood's millions of one-segment lists cost one small array each.
   */
  private s: Float64Array = EMPTY;
  private head = 0;
  private tail = 0;
  /** Each segment starts at or after the end of the one before (then the list is sorted by sequence). */
  private ordered = true;
  /** Filled by ack(): the frame the ACK matched exactly and how long after it the ACK came (-1: none). */
  ackedFrame = -1;
  ackRtt = -1;
  /** Filled by ack(): how many segments the ACK acknowledged entirely. */
  ackedCount = 0;

  get count(): number {
    return this.tail - this.head;
  }

  /** Remembers a segment [seq, nextSeq) (a SYN or FIN counts one). */
  add(seq: number, nextSeq: number, frame: number, time: number): void {
    if (this.tail - this.head >= MAX_UNACKED_SEGMENTS) return;
    if (this.tail * STRIDE === this.s.length) this.makeRoom();
    const t = this.tail;
    const s = this.s;
    if (t > this.head && seqDiff(seq, s[(t - 1) * STRIDE + NEXT]) < 0) this.ordered = false;
    const o = t * STRIDE;
    s[o + SEQ] = seq;
    s[o + NEXT] = nextSeq;
    s[o + FRAME] = frame;
    s[o + TIME] = time;
    this.tail = t + 1;
  }

  /**
   * The peer acknowledged everything before `ack`: forgets the segments it covers, trims one it covers
   * in part, and records (ackedFrame, ackRtt) from the oldest segment ending exactly at `ack` — what
   * tshark shows as "This is an ACK to the segment in frame N" and its RTT.
   */
  ack(ack: number, time: number): void {
    this.ackedFrame = -1;
    this.ackRtt = -1;
    this.ackedCount = 0;
    if (this.head === this.tail) return;
    const s = this.s;
    if (this.ordered) {
      let h = this.head;
      while (h < this.tail && seqDiff(s[h * STRIDE + NEXT], ack) <= 0) {
        if (s[h * STRIDE + NEXT] === ack && this.ackedFrame < 0) this.matched(h, time);
        h++;
      }
      if (h < this.tail && seqDiff(ack, s[h * STRIDE + SEQ]) > 0) s[h * STRIDE + SEQ] = ack;
      this.ackedCount = h - this.head;
      this.head = h;
      if (h === this.tail) this.head = this.tail = 0;
      return;
    }
    let w = this.head;
    let ordered = true;
    for (let r = this.head; r < this.tail; r++) {
      const ro = r * STRIDE;
      const next = s[ro + NEXT];
      if (seqDiff(next, ack) <= 0) {
        if (next === ack && this.ackedFrame < 0) this.matched(r, time);
        continue;
      }
      if (seqDiff(ack, s[ro + SEQ]) > 0) s[ro + SEQ] = ack;
      if (w > this.head && seqDiff(s[ro + SEQ], s[(w - 1) * STRIDE + NEXT]) < 0) ordered = false;
      if (w !== r) s.copyWithin(w * STRIDE, ro, ro + STRIDE);
      w++;
    }
    this.ackedCount = this.tail - w;
    this.tail = w;
    this.ordered = ordered;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Bytes from the lowest unacknowledged sequence number to the highest one sent (0 when none). */
  inFlight(): number {
    if (this.head === this.tail) return 0;
    const s = this.s;
    if (this.ordered) return seqDiff(s[(this.tail - 1) * STRIDE + NEXT], s[this.head * STRIDE + SEQ]);
    let first = s[this.head * STRIDE + SEQ];
    let last = s[this.head * STRIDE + NEXT];
    for (let i = this.head + 1; i < this.tail; i++) {
      if (seqDiff(s[i * STRIDE + NEXT], last) > 0) last = s[i * STRIDE + NEXT];
      if (seqDiff(s[i * STRIDE + SEQ], first) < 0) first = s[i * STRIDE + SEQ];
    }
    return seqDiff(last, first);
  }

  private matched(i: number, time: number): void {
    this.ackedFrame = this.s[i * STRIDE + FRAME];
    this.ackRtt = time - this.s[i * STRIDE + TIME];
  }

  /** Moves the live segments to the front, or doubles the array when more than half are live. */
  private makeRoom(): void {
    const live = this.tail - this.head;
    const capacity = this.s.length / STRIDE;
    if (live * 2 >= capacity) {
      const b = new Float64Array(Math.max(2, capacity * 2) * STRIDE);
      b.set(this.s.subarray(this.head * STRIDE, this.tail * STRIDE));
      this.s = b;
    } else {
      this.s.copyWithin(0, this.head * STRIDE, this.tail * STRIDE);
    }
    this.head = 0;
    this.tail = live;
  }
}
