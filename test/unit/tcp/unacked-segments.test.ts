/**
 * The unacknowledged-segment list (ack_rtt, bytes in flight) against a plain transcription of
 * tshark's linked-list walk, on random mixes of in-order data, retransmissions, reordering,
 * partial and old ACKs, with sequence numbers wrapping past 2^32; and its bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_UNACKED_SEGMENTS, UnackedSegments } from '../../../dissectors/tcp/unacked';

interface Ual {
  seq: number;
  next: number;
  frame: number;
  time: number;
}
const gt = (a: number, b: number): boolean => ((a - b) | 0) > 0;

/** tshark 4.0's walk (newest first), as packet-tcp.c writes it. */
class Reference {
  list: Ual[] = []; // newest first
  add(seq: number, next: number, frame: number, time: number): void {
    if (this.list.length < MAX_UNACKED_SEGMENTS) this.list.unshift({ seq, next, frame, time });
  }
  ack(ack: number, time: number): { frame: number; rtt: number } {
    let frame = -1;
    let rtt = -1;
    const keep: Ual[] = [];
    for (const u of this.list) {
      if (ack === u.next) {
        frame = u.frame;
        rtt = time - u.time;
        continue;
      }
      if (gt(ack, u.seq) && !gt(ack, u.next)) u.seq = ack;
      if (gt(u.next, ack)) {
        keep.push(u);
        continue;
      }
    }
    this.list = keep;
    return { frame, rtt };
  }
  inFlight(): number {
    if (!this.list.length) return 0;
    const base = this.list[0].seq;
    let first = 0;
    let last = (this.list[0].next - base) | 0;
    for (const u of this.list) {
      last = Math.max(last, (u.next - base) | 0);
      first = Math.min(first, (u.seq - base) | 0);
    }
    return last - first;
  }
}

function random(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

test('ack_rtt and bytes in flight equal the reference walk on random traffic', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rnd = random(seed);
    const ours = new UnackedSegments();
    const ref = new Reference();
    let next = (2 ** 32 - 5000 + Math.floor(rnd() * 3000)) >>> 0; // wraps past 2^32 in the run
    let acked = next;
    for (let frame = 1; frame <= 400; frame++) {
      const time = frame / 1000;
      const r = rnd();
      if (r < 0.5) {
        const len = 1 + Math.floor(rnd() * 1400);
        // mostly new data; sometimes an old range again, sometimes one sent ahead of a hole
        const start =
          r < 0.4 ? next : r < 0.45 ? (acked + Math.floor(rnd() * 2000)) >>> 0 : (next + 1000) >>> 0;
        const end = (start + len) >>> 0;
        ours.add(start, end, frame, time);
        ref.add(start, end, frame, time);
        if (gt(end, next)) next = end;
      } else {
        const back = Math.floor(rnd() * 3000);
        const ack = r < 0.9 ? next : (next - back) >>> 0;
        if (gt(ack, acked)) acked = ack;
        ours.ack(ack, time);
        const want = ref.ack(ack, time);
        assert.equal(ours.ackedFrame, want.frame, `seed ${seed} frame ${frame}: acked frame`);
        if (want.frame >= 0) assert.ok(Math.abs(ours.ackRtt - want.rtt) < 1e-12);
      }
      assert.equal(ours.inFlight(), ref.inFlight(), `seed ${seed} frame ${frame}: in flight`);
      assert.equal(ours.count, ref.list.length, `seed ${seed} frame ${frame}: count`);
    }
  }
});

test('at most MAX_UNACKED_SEGMENTS segments are kept (a one-way capture never acknowledged)', () => {
  const u = new UnackedSegments();
  for (let i = 0; i < MAX_UNACKED_SEGMENTS + 500; i++) u.add(i * 10, i * 10 + 10, i + 1, i);
  assert.equal(u.count, MAX_UNACKED_SEGMENTS);
  assert.equal(u.inFlight(), MAX_UNACKED_SEGMENTS * 10);
  u.ack(MAX_UNACKED_SEGMENTS * 10, 1e6);
  assert.equal(u.count, 0);
  assert.equal(u.ackedFrame, MAX_UNACKED_SEGMENTS);
});
