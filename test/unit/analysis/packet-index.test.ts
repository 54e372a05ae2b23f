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
    assert.equal(ix.offsetOf(i), 24 + i * 916);
    assert.equal(ix.origLenOf(i), 900);
    assert.equal(ix.linkTypeOf(i), 1);
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
  assert.equal(ix.time.buffer, prepared[2]);
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

test('offsets past 4 GiB, packets cut short and several interfaces come back row for row, through growth and adoption', () => {
  const ix = new PacketIndex();
  ix.expectedBytes = 9 * 2 ** 30;
  const want: Array<{ offset: number; capLen: number; origLen: number; iface: number; linkType: number }> = [];
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  let offset = 2 ** 32 - 5_000_000;
  for (let i = 0; i < 300_000; i++) {
    // One interface for the first 100,000 rows (no column needed yet), then three; uncut until row 150,000.
    const iface = i < 100_000 ? 0 : rand(3);
    const linkType = iface === 2 ? 101 : 1;
    const capLen = 60 + rand(1400);
    const origLen = i < 150_000 || rand(4) ? capLen : capLen + 1 + rand(9000);
    want.push({ offset, capLen, origLen, iface, linkType });
    ix.push(offset, capLen, origLen, i / 10, iface, linkType);
    // Jump over 4 GiB boundaries now and then, as a huge packet-less stretch of file would.
    offset += 16 + capLen + (i % 50_000 === 49_999 ? 2 ** 32 : 0);
    if (i === 80_000) assert.equal(ix.adopt(PacketIndex.columnSizes(ix.capacity + 1000).map((n) => new ArrayBuffer(n))), true);
  }
  assert.ok(want[want.length - 1].offset > 6 * 2 ** 32, 'offsets reach past 24 GiB');
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    assert.equal(ix.offsetOf(i), w.offset, `row ${i} offset`);
    assert.equal(ix.capLen[i], w.capLen);
    assert.equal(ix.origLenOf(i), w.origLen, `row ${i} origLen`);
    assert.equal(ix.origLenColumn()[i], w.origLen);
    assert.equal(ix.ifaceOf(i), w.iface, `row ${i} iface`);
    assert.equal(ix.linkTypeOf(i), w.linkType, `row ${i} linkType`);
  }
});

test('a file of one interface and uncut packets keeps no original-length or interface column', () => {
  const ix = new PacketIndex();
  fill(ix, 5000, (i) => 60 + (i % 100));
  assert.equal(ix.origLenColumn(), ix.capLen, 'the original lengths are the captured lengths');
  const held = Object.values(ix).filter((v) => ArrayBuffer.isView(v)).length;
  assert.equal(held, PacketIndex.columnSizes(1).length, 'only the columns every index has');
  ix.push(0, 10, 20, 6, 0, 1);
  assert.equal(Object.values(ix).filter((v) => ArrayBuffer.isView(v)).length, held + 1, 'a packet cut short adds one column');
  ix.push(0, 10, 10, 7, 1, 1);
  assert.equal(Object.values(ix).filter((v) => ArrayBuffer.isView(v)).length, held + 2, 'a second interface adds one more');
  assert.equal(ix.origLenOf(4999), ix.capLen[4999]);
  assert.equal(ix.origLenOf(5000), 20);
  assert.equal(ix.ifaceOf(5001), 1);
  assert.equal(ix.ifaceOf(5000), 0);
});
