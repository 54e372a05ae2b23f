/**
 * The packet index's growth: with the file's size known it jumps to the projected packet count
 * (a couple of column copies for a whole file instead of one per 1.5× step), keeps every row, and
 * still grows when the projection falls short; without a size (live capture) it grows stepwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacketIndex } from '../../../dissectors/analysis/packet-index';

/** Pushes `n` rows of `bytes` bytes each; returns how many times the columns were reallocated. */
function fill(ix: PacketIndex, n: number, bytes: (i: number) => number): number {
  let copies = 0;
  let cap = ix.time.length;
  let offset = 24;
  for (let i = 0; i < n; i++) {
    ix.push(offset, bytes(i), bytes(i), i / 1000, 0, 1);
    offset += 16 + bytes(i);
    if (ix.time.length !== cap) {
      copies++;
      cap = ix.time.length;
    }
  }
  return copies;
}

test('a file of known size: the index is copied a few times, not at every step, and keeps every row', () => {
  const n = 1_000_000;
  const ix = new PacketIndex();
  ix.expectedBytes = 24 + n * (16 + 900);
  const copies = fill(ix, n, () => 900);
  const stepwise = fill(new PacketIndex(), n, () => 900);
  assert.ok(copies <= 8, `${copies} copies`);
  assert.ok(stepwise >= copies + 5, `stepwise ${stepwise}, projected ${copies}`);
  assert.ok(ix.time.length >= n && ix.time.length <= n * 1.1, `capacity ${ix.time.length} for ${n} rows`);
  assert.equal(ix.count, n);
  for (const i of [0, 1023, 65535, 65536, 500_000, n - 1]) {
    assert.equal(ix.capLen[i], 900);
    assert.equal(ix.time[i], i / 1000);
    assert.equal(ix.fileOffset[i], 24 + i * 916);
    assert.equal(ix.conn[i], -1);
  }
});

test('a projection that falls short (bigger packets first) still grows to hold every row', () => {
  const n = 400_000;
  const ix = new PacketIndex();
  // The first 100,000 packets are 1,400 bytes, the rest 60: the early projection is far too low.
  const size = (i: number) => (i < 100_000 ? 1400 : 60);
  ix.expectedBytes = 24 + 100_000 * 1416 + 300_000 * 76;
  fill(ix, n, size);
  assert.equal(ix.count, n);
  assert.equal(ix.capLen[n - 1], 60);
  assert.equal(ix.capLen[99_999], 1400);
});

test('adopt: the index moves into prepared columns with every row, and refuses buffers that do not fit', () => {
  const ix = new PacketIndex();
  fill(ix, 70_000, (i) => 60 + (i % 900));
  for (let i = 0; i < ix.count; i++) {
    ix.conn[i] = i % 77;
    ix.relSeq[i] = i * 3;
    ix.flags[i] = i & 0xff;
  }
  const before = { count: ix.count, capacity: ix.capacity, time: ix.time.slice(0, ix.count), capLen: ix.capLen.slice(0, ix.count), conn: ix.conn.slice(0, ix.count), relSeq: ix.relSeq.slice(0, ix.count), flags: ix.flags.slice(0, ix.count) };
  const sizes = (rows: number) => PacketIndex.columnSizes(rows).map((n) => new ArrayBuffer(n));
  // Fewer rows than the index holds now, a missing column, a column of the wrong length: refused, nothing changes.
  assert.equal(ix.adopt(sizes(ix.capacity - 1)), false);
  assert.equal(ix.adopt(sizes(ix.capacity * 2).slice(1)), false);
  const wrong = sizes(ix.capacity * 2);
  wrong[3] = new ArrayBuffer(8);
  assert.equal(ix.adopt(wrong), false);
  assert.equal(ix.capacity, before.capacity);
  // Adopted: the rows so far are there, and pushing goes on in the new columns.
  const prepared = sizes(200_000);
  assert.equal(ix.adopt(prepared), true);
  assert.equal(ix.capacity, 200_000);
  assert.equal(ix.time.buffer, prepared[3]);
  assert.equal(ix.count, before.count);
  assert.deepEqual(ix.time.slice(0, ix.count), before.time);
  assert.deepEqual(ix.capLen.slice(0, ix.count), before.capLen);
  assert.deepEqual(ix.conn.slice(0, ix.count), before.conn);
  assert.deepEqual(ix.relSeq.slice(0, ix.count), before.relSeq);
  assert.deepEqual(ix.flags.slice(0, ix.count), before.flags);
  const copies = fill(ix, 100_000, () => 500);
  assert.equal(copies, 0, 'no growth while the prepared columns hold the rows');
  assert.equal(ix.count, 170_000);
  assert.equal(ix.capLen[169_999], 500);
  assert.equal(PacketIndex.columnSizes(10).reduce((a, b) => a + b, 0), 10 * PacketIndex.bytesPerPacket());
});
