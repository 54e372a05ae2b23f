/**
 * The records that hand a connection's streams to the helper thread's dissectors read back as the
 * chunks, gaps, ends and openings written — bytes carried or named in the file, any number of
 * spans, numbers past 2^32, the stream hash the bytes also go into or none — and a record that
 * does not fit its length is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dataRecordBytes,
  END_BYTES,
  GAP_BYTES,
  openBody,
  readAppRecord,
  writeData,
  writeEnd,
  writeGap,
  type AppRecordSink,
  type OpenRecord,
} from '../../../electron/engine/offload/app-records';
import type { StreamChunk, StreamGap } from '../../../dissectors/tcp/types';

type Seen = { kind: string; id: number; value?: unknown; hashKey?: number | null };

function collector(): { sink: AppRecordSink; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    sink: {
      open: (id, open) => seen.push({ kind: 'open', id, value: open }),
      // The chunk's bytes are a view valid during the call: copied, as a dissector would keep them.
      data: (id, chunk, hashKey) => seen.push({ kind: 'data', id, value: { ...chunk, bytes: Array.from(chunk.bytes), frames: chunk.frames.map((f) => ({ ...f })) }, hashKey }),
      gap: (id, gap) => seen.push({ kind: 'gap', id, value: { ...gap } }),
      end: (id) => seen.push({ kind: 'end', id }),
    },
  };
}

const FILE = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
const fileBytes = (offset: number, length: number) => FILE.subarray(offset, offset + length);

test('data, gap, end and open records read back as written, in order', () => {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  const carried: StreamChunk = { dir: 'server', offset: 2 ** 33 + 5, bytes: Uint8Array.of(1, 2, 3, 250), frames: [{ frame: 7, offset: 2 ** 33 + 5, length: 2 }, { frame: 4_000_000_000, offset: 2 ** 33 + 7, length: 2 }], time: 1234.000001 };
  const named: StreamChunk = { dir: 'client', offset: 10, bytes: FILE.subarray(100, 300), frames: [{ frame: 3, offset: 10, length: 200 }], time: 0.5 };
  const gap: StreamGap = { dir: 'server', offset: 99, length: 1460, frame: 12, time: 3.25, reason: 'buffer-limit' };
  const open: OpenRecord = { client: { ip: '::1', port: 51234 }, server: { ip: '127.0.0.1', port: 20 }, protocol: 'ftp-data', implicitTls: false, dataExpectation: { controlConnection: 3, host: '127.0.0.1', port: 20, mode: 'PORT', frame: 17 } };
  const records: Array<[number, number]> = [];
  let o = 0;
  const body = openBody(41, open);
  b.set(body, o);
  records.push([o, body.length]);
  o += body.length;
  // The first goes into stream hash 4,000,000,001 there too; the second into none.
  for (const [chunk, fileOffset, hashKey] of [[carried, -1, 4_000_000_001], [named, 100, null]] as const) {
    const n = writeData(b, v, o, 41, chunk, fileOffset, hashKey);
    assert.equal(n, dataRecordBytes(chunk.frames.length, fileOffset >= 0 ? -1 : chunk.bytes.length));
    records.push([o, n]);
    o += n;
  }
  records.push([o, writeGap(b, v, o, 41, gap)]);
  o += GAP_BYTES;
  records.push([o, writeEnd(b, v, o, 41)]);
  const { sink, seen } = collector();
  for (const [at, n] of records) readAppRecord(b, v, at, n, sink, fileBytes);
  assert.deepEqual(seen, [
    { kind: 'open', id: 41, value: open },
    { kind: 'data', id: 41, value: { ...carried, bytes: [1, 2, 3, 250] }, hashKey: 4_000_000_001 },
    { kind: 'data', id: 41, value: { ...named, bytes: Array.from(FILE.subarray(100, 300)) }, hashKey: null },
    { kind: 'gap', id: 41, value: gap },
    { kind: 'end', id: 41 },
  ]);
});

test('a record shorter than its kind needs, or of an unknown kind, is refused', () => {
  const b = new Uint8Array(256);
  const v = new DataView(b.buffer);
  const { sink, seen } = collector();
  const chunk: StreamChunk = { dir: 'client', offset: 0, bytes: new Uint8Array(8), frames: [{ frame: 1, offset: 0, length: 4 }, { frame: 2, offset: 4, length: 4 }], time: 0 };
  const n = writeData(b, v, 0, 1, chunk, -1, null);
  // Cut inside the spans: the spans overrun the length.
  assert.throws(() => readAppRecord(b, v, 0, 34, sink, fileBytes), /overruns its length/);
  assert.throws(() => readAppRecord(b, v, 0, END_BYTES - 1, sink, fileBytes), /too short/);
  writeGap(b, v, 0, 1, { dir: 'client', offset: 0, length: 1, frame: 1, time: 0, reason: 'missing' });
  assert.throws(() => readAppRecord(b, v, 0, GAP_BYTES - 4, sink, fileBytes), /too short for a gap/);
  b[0] = 9;
  assert.throws(() => readAppRecord(b, v, 0, n, sink, fileBytes), /unknown type 9/);
  assert.equal(seen.length, 0);
});
