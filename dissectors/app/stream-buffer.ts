import { latin1 } from '../model/bytes-text';
import type { FrameSpan, StreamChunk } from '../tcp/types';

/** A line taken from a direction's stream, with the frames its bytes came from. */
export interface StreamLine {
  /** Text decoded as latin1 (one char per byte), without the terminator. */
  text: string;
  /** Raw bytes of the line without terminator: a view, valid until the next push (copy what you keep). */
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
  bytes: Uint8Array;
  offset: number;
  frames: number[];
  time: number;
}

export const DEFAULT_MAX_LINE = 64 * 1024;

/**
 * Accumulates one direction's reassembled bytes and hands them out as lines or fixed-size blocks,
 * remembering which frames each byte came from. Memory is bounded by the caller consuming what it
 * takes; a line longer than maxLine is cut into pieces marked overlong.
 */
export class StreamBuffer {
  private buf: Uint8Array = new Uint8Array(0);
  /** True while buf is the caller's chunk (not copied): settle() copies what is left before the chunk goes away. */
  private borrowed = false;
  private start = 0; // stream offset of buf[0]
  private spans: FrameSpan[] = [];
  private times: number[] = [];
  private lastTime = 0;

  constructor(private readonly maxLine = DEFAULT_MAX_LINE) {}

  get available(): number {
    return this.buf.length;
  }

  get offset(): number {
    return this.start;
  }

  push(chunk: StreamChunk): void {
    if (this.buf.length === 0) {
      // Most chunks are consumed at once: borrow the view, copy only what stays (settle()).
      this.start = chunk.offset;
      this.buf = chunk.bytes;
      this.borrowed = true;
    } else {
      this.borrowed = false;
      const merged = new Uint8Array(this.buf.length + chunk.bytes.length);
      merged.set(this.buf, 0);
      merged.set(chunk.bytes, this.buf.length);
      this.buf = merged;
    }
    for (const f of chunk.frames) {
      this.spans.push(f);
      this.times.push(chunk.time);
    }
    this.lastTime = chunk.time;
  }

  /** Call before the pushed chunk's bytes become invalid: keeps a private copy of what is still buffered. */
  settle(): void {
    if (this.borrowed) {
      this.buf = this.buf.length ? this.buf.slice() : new Uint8Array(0);
      this.borrowed = false;
    }
  }

  /** Forget buffered bytes (after a gap the stream resynchronises at `offset`). */
  reset(offset: number): void {
    this.buf = new Uint8Array(0);
    this.borrowed = false;
    this.start = offset;
    this.spans = [];
    this.times = [];
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

  /** Take exactly n bytes (or fewer at flush), or null when not yet available. */
  take(n: number, flush = false): StreamBlock | null {
    if (this.buf.length < n && !(flush && this.buf.length > 0)) return null;
    const len = Math.min(n, this.buf.length);
    const bytes = this.buf.slice(0, len);
    const offset = this.start;
    const { frames, time } = this.framesFor(offset, len);
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

  /** Frames covering stream bytes [offset, offset+length) among those still buffered. */
  framesFor(offset: number, length: number): { frames: number[]; time: number } {
    const end = offset + Math.max(length, 1);
    const frames: number[] = [];
    let time = this.lastTime;
    let found = false;
    for (let k = 0; k < this.spans.length; k++) {
      const s = this.spans[k];
      if (s.offset < end && s.offset + s.length > offset) {
        if (!found) time = this.times[k];
        found = true;
        if (frames[frames.length - 1] !== s.frame) frames.push(s.frame);
      }
    }
    frames.sort((a, b) => a - b);
    return { frames: dedupe(frames), time };
  }

  private cutLine(
    textLen: number,
    termLen: number,
    terminator: StreamLine['terminator'],
    overlong: boolean,
  ): StreamLine {
    const bytes = this.buf.subarray(0, textLen);
    const offset = this.start;
    const { frames, time } = this.framesFor(offset, textLen + termLen);
    this.consume(textLen + termLen);
    return { text: latin1(bytes), bytes, offset, length: textLen, terminator, frames, time, overlong };
  }

  private consume(n: number): void {
    this.buf = this.buf.subarray(n);
    this.start += n;
    let drop = 0;
    while (drop < this.spans.length && this.spans[drop].offset + this.spans[drop].length <= this.start) drop++;
    if (drop) {
      this.spans.splice(0, drop);
      this.times.splice(0, drop);
    }
    if (this.buf.length === 0) this.buf = new Uint8Array(0);
  }
}

function dedupe(a: number[]): number[] {
  const out: number[] = [];
  for (const x of a) if (out[out.length - 1] !== x) out.push(x);
  return out;
}
