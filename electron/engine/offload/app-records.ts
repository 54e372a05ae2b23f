/**
 * Records that hand a connection's streams to the helper thread's application dissectors (see
 * remote-apps.ts), inside the hash batches so they keep their order with everything else:
 * [APP_KEY u32][length u32][body], the body one of
 *   open: [1][0 0 0][id u32][UTF-8 JSON of the endpoints and protocol]
 *   data: [2][dir | FILE_RANGE][span count u16][id u32][offset f64][time f64][stream hash key u32,
 *         NO_HASH_KEY: none], span count × [frame u32][length u32][offset f64], then the bytes
 *         themselves, or for FILE_RANGE [file offset f64][length u32] (the helper reads them from
 *         the capture file)
 *   gap:  [3][dir][reason][0][id u32][offset f64][time f64][length u32][frame u32]
 *   end:  [4][0 0 0][id u32]
 * all little-endian. Pure: bytes in, records out.
 */
import type { RemoteConnection } from '../../../dissectors/analysis/types';
import type { Direction, FrameSpan, StreamChunk, StreamGap } from '../../../dissectors/tcp/types';

/** The key that marks an application record (stream hash keys count up from 0 and never reach it). */
export const APP_KEY = 0xffffffff;
export const APP_OPEN = 1;
export const APP_DATA = 2;
export const APP_GAP = 3;
export const APP_END = 4;
const FILE_RANGE = 2;
const SERVER = 1;

/** In a data record: the stream's bytes are not hashed there. */
const NO_HASH_KEY = 0xffffffff;

export const DATA_HEAD = 28;
export const SPAN_BYTES = 16;
export const RANGE_TAIL = 12;
export const GAP_BYTES = 32;
export const END_BYTES = 8;

export type OpenRecord = RemoteConnection;

/** Size of a data record's body: its bytes carried (length) or named as a file range (-1). */
export function dataRecordBytes(spans: number, carried: number): number {
  return DATA_HEAD + spans * SPAN_BYTES + (carried < 0 ? RANGE_TAIL : carried);
}

/** Writes a data record's body at `o`: the chunk's bytes are carried, unless `fileOffset` ≥ 0 names where they lie in the file. */
export function writeData(b: Uint8Array, v: DataView, o: number, id: number, chunk: StreamChunk, fileOffset: number, hashKey: number | null): number {
  const spans = chunk.frames;
  const range = fileOffset >= 0;
  b[o] = APP_DATA;
  b[o + 1] = (chunk.dir === 'server' ? SERVER : 0) | (range ? FILE_RANGE : 0);
  v.setUint16(o + 2, spans.length, true);
  v.setUint32(o + 4, id, true);
  v.setFloat64(o + 8, chunk.offset, true);
  v.setFloat64(o + 16, chunk.time, true);
  v.setUint32(o + 24, hashKey ?? NO_HASH_KEY, true);
  let at = o + DATA_HEAD;
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k];
    v.setUint32(at, s.frame, true);
    v.setUint32(at + 4, s.length, true);
    v.setFloat64(at + 8, s.offset, true);
    at += SPAN_BYTES;
  }
  if (range) {
    v.setFloat64(at, fileOffset, true);
    v.setUint32(at + 8, chunk.bytes.length, true);
    return at + RANGE_TAIL - o;
  }
  b.set(chunk.bytes, at);
  return at + chunk.bytes.length - o;
}

export function writeGap(b: Uint8Array, v: DataView, o: number, id: number, gap: StreamGap): number {
  b[o] = APP_GAP;
  b[o + 1] = gap.dir === 'server' ? SERVER : 0;
  b[o + 2] = gap.reason === 'buffer-limit' ? 1 : 0;
  b[o + 3] = 0;
  v.setUint32(o + 4, id, true);
  v.setFloat64(o + 8, gap.offset, true);
  v.setFloat64(o + 16, gap.time, true);
  v.setUint32(o + 24, gap.length, true);
  v.setUint32(o + 28, gap.frame, true);
  return GAP_BYTES;
}

export function writeEnd(b: Uint8Array, v: DataView, o: number, id: number): number {
  b[o] = APP_END;
  b[o + 1] = b[o + 2] = b[o + 3] = 0;
  v.setUint32(o + 4, id, true);
  return END_BYTES;
}

export function openBody(id: number, open: OpenRecord): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(open));
  const body = new Uint8Array(8 + json.length);
  body[0] = APP_OPEN;
  new DataView(body.buffer).setUint32(4, id, true);
  body.set(json, 8);
  return body;
}

/** What the helper does with the records it reads. */
export interface AppRecordSink {
  open(id: number, open: OpenRecord): void;
  /** `hashKey`: the stream hash the chunk's bytes also go into, or null. */
  data(id: number, chunk: StreamChunk, hashKey: number | null): void;
  gap(id: number, gap: StreamGap): void;
  end(id: number): void;
}

/**
 * Reads the record body b[o, o + length) into `sink` (`v`: a DataView of b, offsets alike); range
 * bytes come from `fileBytes` (a view valid during the call). Throws on a record that does not fit
 * its length.
 */
export function readAppRecord(b: Uint8Array, v: DataView, o: number, length: number, sink: AppRecordSink, fileBytes: (offset: number, length: number) => Uint8Array): void {
  const bad = (what: string) => new Error(`application record ${what} (at ${o}, ${length} bytes)`);
  if (length < END_BYTES) throw bad('too short');
  const type = b[o];
  const id = v.getUint32(o + 4, true);
  const dir: Direction = b[o + 1] & SERVER ? 'server' : 'client';
  if (type === APP_OPEN) {
    sink.open(id, JSON.parse(new TextDecoder().decode(b.subarray(o + 8, o + length))) as OpenRecord);
  } else if (type === APP_DATA) {
    const count = v.getUint16(o + 2, true);
    const range = (b[o + 1] & FILE_RANGE) !== 0;
    const head = DATA_HEAD + count * SPAN_BYTES;
    if (head + (range ? RANGE_TAIL : 0) > length) throw bad('overruns its length');
    const frames: FrameSpan[] = [];
    for (let k = 0, at = o + DATA_HEAD; k < count; k++, at += SPAN_BYTES) {
      frames.push({ frame: v.getUint32(at, true), length: v.getUint32(at + 4, true), offset: v.getFloat64(at + 8, true) });
    }
    const at = o + head;
    const bytes = range ? fileBytes(v.getFloat64(at, true), v.getUint32(at + 8, true)) : b.subarray(at, o + length);
    const key = v.getUint32(o + 24, true);
    sink.data(id, { dir, offset: v.getFloat64(o + 8, true), bytes, frames, time: v.getFloat64(o + 16, true) }, key === NO_HASH_KEY ? null : key);
  } else if (type === APP_GAP) {
    if (length < GAP_BYTES) throw bad('too short for a gap');
    sink.gap(id, {
      dir,
      offset: v.getFloat64(o + 8, true),
      time: v.getFloat64(o + 16, true),
      length: v.getUint32(o + 24, true),
      frame: v.getUint32(o + 28, true),
      reason: b[o + 2] === 1 ? 'buffer-limit' : 'missing',
    });
  } else if (type === APP_END) {
    sink.end(id);
  } else throw bad(`of unknown type ${type}`);
}
