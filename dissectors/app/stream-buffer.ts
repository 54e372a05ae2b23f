import { latin1 } from '../model/bytes-text';
import { ascendingUnique } from '../model/frame-list';
import type { StreamChunk } from '../tcp/types';

/** A line taken from a direction's stream, with the frames its bytes came from. */
export interface StreamLine {
  /** Text decoded as latin1 (one char per byte), without the terminator. */
  text: string;
  /** Raw bytes of the line without terminator: a view, valid until the next push() or settle() (copy what you keep). */
  bytes: Uint8Array;
  offset: number;
  length: number;
  terminator: 'CRLF' | 'LF' | 'none';
  frames: number[];
  time: number;
  /** True when the line was cut at maxLineLength (the rest follows as further line(s)). */
  overlong: boolean;
}

export interface StreamBlock {
  /** A view, valid until the next push() or settle() (copy what you keep). */
  bytes: Uint8Array;
  offset: number;
  frames: number[];
  time: number;
}

export const DEFAULT_MAX_LINE = 64 * 1024;
const EMPTY = new Uint8Array(0);
/** Smallest owned store: a partial line or record header plus a few segments. */
const MIN_STORE = 4096;
/** A store this big or smaller is kept while the buffer is empty (reused for the next partial line or record). */
const KEEP_STORE = 16 * 1024;

/**
 * Accumulates one direction's reassembled bytes and hands them out as lines or fixed-size blocks,
 * remembering which frames each byte came from. Memory is bounded by the caller consuming what it
 * takes; a line longer than maxLine is cut into pieces marked overlong.
 */
export class StreamBuffer {
  private buf: Uint8Array = EMPTY;
  /** True while buf is the caller's chunk (not copied): settle() copies what is left before the chunk goes away. */
  private borrowed = false;
  /** Owned bytes buf is a view of (ending at tail), when not borrowed. */
  private store: Uint8Array | null = null;
  private tail = 0;
  private start = 0; // stream offset of buf[0]
  /**
   * The frames of the buffered bytes: span k < spanCount is stream bytes [spanOffset[k],
   * spanOffset[k] + spanLength[k]) from frame spanFrame[k] at times[k] — values, not the chunks'
   * FrameSpan objects (those are filled again for the next chunk). The arrays only grow (entries
   * past spanCount are stale): emptied and refilled for every chunk, they were a fresh backing store
   * per chunk, and splice() a fresh array per consume.
   */
  private spanFrame: number[] = [];
  private spanOffset: number[] = [];
  private spanLength: number[] = [];
  private times: number[] = [];
  private spanCount = 0;
  private lastTime = 0;

  constructor(private readonly maxLine = DEFAULT_MAX_LINE) {}

  get available(): number {
    return this.buf.length;
  }

  get offset(): number {
    return this.start;
  }

  /** The buffered byte at `index` (0: the next one), or undefined: a look without consuming. */
  peekByte(index: number): number | undefined {
    return this.buf[index];
  }

  push(chunk: StreamChunk): void {
    if (this.buf.length === 0) {
      // Most chunks are consumed at once: borrow the view, copy only what stays (settle()).
      this.start = chunk.offset;
      this.buf = chunk.bytes;
      this.borrowed = true;
      this.tail = 0;
    } else this.append(chunk.bytes);
    for (const f of chunk.frames) {
      const k = this.spanCount++;
      this.spanFrame[k] = f.frame;
      this.spanOffset[k] = f.offset;
      this.spanLength[k] = f.length;
      this.times[k] = chunk.time;
    }
    this.lastTime = chunk.time;
  }

  /**
   * A chunk's first `n` bytes were consumed without being buffered (a handler's bulk path; the
   * buffer must be empty): the rest, if any, is buffered as push() would.
   */
  passed(chunk: StreamChunk, n: number): void {
    this.lastTime = chunk.time;
    this.start = chunk.offset + n;
    if (n < chunk.bytes.length) this.push({ dir: chunk.dir, offset: chunk.offset + n, bytes: chunk.bytes.subarray(n), frames: chunk.frames, time: chunk.time });
  }

  /** Call before the pushed chunk's bytes become invalid: keeps a private copy of what is still buffered. */
  settle(): void {
    if (!this.borrowed) return;
    this.borrowed = false;
    if (this.buf.length === 0) return;
    const kept = this.buf;
    this.buf = EMPTY;
    this.append(kept);
  }

  /**
   * Appends after the buffered bytes. Runs only in push() and settle(), when every view handed out
   * earlier is void (see StreamLine.bytes): so the store is reused from its start once its end is
   * reached, and grows (room doubles: a record or line arriving in many segments costs linear, not
   * quadratic, copying) only when what is buffered does not fit.
   */
  private append(bytes: Uint8Array): void {
    const len = this.buf.length;
    const need = len + bytes.length;
    let store = this.store;
    if (!this.borrowed && store && this.tail + bytes.length <= store.length) {
      store.set(bytes, this.tail);
      this.tail += bytes.length;
      this.buf = store.subarray(this.tail - need, this.tail);
      return;
    }
    if (store && store.length >= need) {
      if (this.borrowed) store.set(this.buf, 0);
      else store.copyWithin(0, this.tail - len, this.tail);
    } else {
      store = new Uint8Array(Math.max(2 * need, MIN_STORE));
      store.set(this.buf, 0);
      this.store = store;
    }
    store.set(bytes, len);
    this.tail = need;
    this.buf = store.subarray(0, need);
    this.borrowed = false;
  }

  /** Lets go of the store (the connection ended: nothing more will be buffered). */
  release(): void {
    if (this.buf.length === 0) this.store = null;
  }

  /** Forget buffered bytes (after a gap the stream resynchronises at `offset`). */
  reset(offset: number): void {
    this.buf = EMPTY;
    this.store = null;
    this.borrowed = false;
    this.start = offset;
    this.spanCount = 0;
  }

  /** Next complete line, or null. With `flush`, a trailing partial line is returned too. */
  nextLine(flush = false): StreamLine | null {
    const b = this.buf;
    const limit = Math.min(b.length, this.maxLine);
    const i = b.indexOf(0x0a);
    if (i < 0 || i >= limit) {
      if (b.length >= this.maxLine) return this.cutLine(this.maxLine, 0, 'none', true);
      if (flush && b.length > 0) return this.cutLine(b.length, 0, 'none', false);
      return null;
    }
    const cr = i > 0 && b[i - 1] === 0x0d;
    return this.cutLine(cr ? i - 1 : i, cr ? 2 : 1, cr ? 'CRLF' : 'LF', false);
  }

  /**
   * The bulk of a mail body (SMTP DATA, POP3 RETR): the longest run of complete lines that each end
   * in CRLF, are shorter than maxLine and do not start with a dot — bytes that line-by-line reading
   * would pass on unchanged — taken at once with the number of lines; null when the next line is
   * not such a line (read it with nextLine).
   */
  takeCrlfLines(): { block: StreamBlock; lines: number } | null {
    const b = this.buf;
    let end = 0;
    let lines = 0;
    while (end < b.length && b[end] !== 0x2e) {
      const lf = b.indexOf(0x0a, end);
      if (lf < 0 || lf - end >= this.maxLine || lf === end || b[lf - 1] !== 0x0d) break;
      end = lf + 1;
      lines++;
    }
    if (lines === 0) return null;
    const offset = this.start;
    const bytes = b.subarray(0, end);
    const frames = this.framesFor(offset, end);
    const time = this.framesTime;
    this.consume(end);
    return { block: { bytes, offset, frames, time }, lines };
  }

  /** Take exactly n bytes (or fewer at flush), or null when not yet available. */
  take(n: number, flush = false): StreamBlock | null {
    if (this.buf.length < n && !(flush && this.buf.length > 0)) return null;
    const len = Math.min(n, this.buf.length);
    const bytes = this.buf.subarray(0, len);
    const offset = this.start;
    const frames = this.framesFor(offset, len);
    const time = this.framesTime;
    this.consume(len);
    return { bytes, offset, frames, time };
  }

  /** Take whatever is buffered. */
  takeAll(): StreamBlock | null {
    return this.buf.length ? this.take(this.buf.length) : null;
  }

  /** Peek at the buffered bytes without consuming. */
  peek(): Uint8Array {
    return this.buf;
  }

  /** The time of the first frame framesFor() found (the buffer's last time when none). */
  private framesTime = 0;

  /** Frames covering stream bytes [offset, offset+length) among those still buffered; their time goes to framesTime. */
  private framesFor(offset: number, length: number): number[] {
    const end = offset + Math.max(length, 1);
    const frames: number[] = [];
    let time = this.lastTime;
    let found = false;
    for (let k = 0; k < this.spanCount; k++) {
      const at = this.spanOffset[k];
      if (at < end && at + this.spanLength[k] > offset) {
        if (!found) time = this.times[k];
        found = true;
        const frame = this.spanFrame[k];
        if (frames[frames.length - 1] !== frame) frames.push(frame);
      }
    }
    this.framesTime = time;
    return ascendingUnique(frames);
  }

  private cutLine(
    textLen: number,
    termLen: number,
    terminator: StreamLine['terminator'],
    overlong: boolean,
  ): StreamLine {
    const bytes = this.buf.subarray(0, textLen);
    const offset = this.start;
    const frames = this.framesFor(offset, textLen + termLen);
    const time = this.framesTime;
    this.consume(textLen + termLen);
    return { text: latin1(bytes), bytes, offset, length: textLen, terminator, frames, time, overlong };
  }

  private consume(n: number): void {
    this.buf = this.buf.subarray(n);
    this.start += n;
    let drop = 0;
    const { spanFrame, spanOffset, spanLength, times } = this;
    const count = this.spanCount;
    while (drop < count && spanOffset[drop] + spanLength[drop] <= this.start) drop++;
    if (drop) {
      for (let k = drop; k < count; k++) {
        spanFrame[k - drop] = spanFrame[k];
        spanOffset[k - drop] = spanOffset[k];
        spanLength[k - drop] = spanLength[k];
        times[k - drop] = times[k];
      }
      this.spanCount = count - drop;
    }
    if (this.buf.length === 0) {
      this.buf = EMPTY;
      // Kept for the next bytes unless big (a long line or record once): reused from its start.
      this.tail = 0;
      if (this.store && this.store.length > KEEP_STORE) this.store = null;
    }
  }
}
