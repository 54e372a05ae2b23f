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

export class UnackedSegments {
  private seq = new Uint32Array(8);
  private next = new Uint32Array(8);
  private frame = new Float64Array(8);
  private time = new Float64Array(8);
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
    if (this.tail === this.seq.length) this.makeRoom();
    const t = this.tail;
    if (t > this.head && seqDiff(seq, this.next[t - 1]) < 0) this.ordered = false;
    this.seq[t] = seq;
    this.next[t] = nextSeq;
    this.frame[t] = frame;
    this.time[t] = time;
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
    if (this.ordered) {
      let h = this.head;
      while (h < this.tail && seqDiff(this.next[h], ack) <= 0) {
        if (this.next[h] === ack && this.ackedFrame < 0) this.matched(h, time);
        h++;
      }
      if (h < this.tail && seqDiff(ack, this.seq[h]) > 0) this.seq[h] = ack;
      this.ackedCount = h - this.head;
      this.head = h;
      if (h === this.tail) this.head = this.tail = 0;
      return;
    }
    let w = this.head;
    let ordered = true;
    for (let r = this.head; r < this.tail; r++) {
      const next = this.next[r];
      if (seqDiff(next, ack) <= 0) {
        if (next === ack && this.ackedFrame < 0) this.matched(r, time);
        continue;
      }
      if (seqDiff(ack, this.seq[r]) > 0) this.seq[r] = ack;
      if (w > this.head && seqDiff(this.seq[r], this.next[w - 1]) < 0) ordered = false;
      if (w !== r) {
        this.seq[w] = this.seq[r];
        this.next[w] = next;
        this.frame[w] = this.frame[r];
        this.time[w] = this.time[r];
      }
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
    if (this.ordered) return seqDiff(this.next[this.tail - 1], this.seq[this.head]);
    let first = this.seq[this.head];
    let last = this.next[this.head];
    for (let i = this.head + 1; i < this.tail; i++) {
      if (seqDiff(this.next[i], last) > 0) last = this.next[i];
      if (seqDiff(this.seq[i], first) < 0) first = this.seq[i];
    }
    return seqDiff(last, first);
  }

  private matched(i: number, time: number): void {
    this.ackedFrame = this.frame[i];
    this.ackRtt = time - this.time[i];
  }

  /** Moves the live segments to the front, or doubles the arrays when more than half are live. */
  private makeRoom(): void {
    const live = this.tail - this.head;
    if (live * 2 > this.seq.length) {
      const size = this.seq.length * 2;
      this.seq = grow(this.seq, size, this.head, this.tail);
      this.next = grow(this.next, size, this.head, this.tail);
      this.frame = grow(this.frame, size, this.head, this.tail);
      this.time = grow(this.time, size, this.head, this.tail);
    } else {
      this.seq.copyWithin(0, this.head, this.tail);
      this.next.copyWithin(0, this.head, this.tail);
      this.frame.copyWithin(0, this.head, this.tail);
      this.time.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = live;
  }
}

function grow<T extends Uint32Array | Float64Array>(a: T, size: number, from: number, to: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a.subarray(from, to));
  return b;
}
