/**
 * The streaming capture reader: push chunks of any size in file order; records come out through
 * onRecord as views into the chunk (or into a small carry buffer for records that straddle chunks),
 * so memory stays bounded by the largest record, not the file.
 */
import { diag } from '../model/diagnostic';
import { isPcapMagic, PcapParser } from './pcap';
import { PCAPNG_SHB, PcapngParser } from './pcapng';
import { describeNonCapture } from './sniff';
import { NotACaptureError, type CaptureReader, type CaptureReaderHooks, type CaptureRecord, type CaptureSummary } from './types';
import { newSummary, type UnitParser } from './unit-parser';

export function createCaptureReader(hooks: CaptureReaderHooks): CaptureReader {
  return new StreamingReader(hooks);
}

class StreamingReader implements CaptureReader {
  private parser: UnitParser | null = null;
  /** Carry: bytes of a unit that started in an earlier chunk. */
  private carry = new Uint8Array(0);
  private carryLen = 0;
  /** File offset of the first byte not yet consumed. */
  private offset = 0;
  private stopped = false;
  private ended: CaptureSummary | null = null;

  constructor(private readonly hooks: CaptureReaderHooks) {}

  push(input: Uint8Array): void {
    if (this.stopped || input.length === 0) return;
    // A plain Uint8Array view over the caller's bytes: subclasses such as Node's Buffer make
    // .slice() return a view instead of a copy, and every copy downstream must be a real copy.
    const chunk = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    let at = 0;
    if (!this.parser) {
      // Detect from the first 4 bytes (carry them if the first chunk is tiny).
      if (this.carryLen + chunk.length < 4) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      const head = new Uint8Array(4);
      const fromCarry = Math.min(this.carryLen, 4);
      head.set(this.carry.subarray(0, fromCarry));
      head.set(chunk.subarray(0, 4 - fromCarry), fromCarry);
      this.parser = this.detect(head);
    }
    while (this.carryLen > 0 && at < chunk.length && !this.stopped) at = this.fillCarry(chunk, at);
    if (this.stopped || at >= chunk.length) return;
    const consumed = this.run(chunk, at, chunk.length);
    if (!this.stopped && consumed < chunk.length) this.append(chunk, consumed, chunk.length);
  }

  private detect(head: Uint8Array): UnitParser {
    const le = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
    const sink = (r: CaptureRecord): void => this.hooks.onRecord(r);
    if (le === PCAPNG_SHB) return new PcapngParser(sink, this.hooks.onSecrets);
    if (isPcapMagic(le)) return new PcapParser(sink);
    throw new NotACaptureError(describeNonCapture(head));
  }

  /** Completes the unit in the carry buffer with bytes from chunk[at…]; returns the new position. */
  private fillCarry(chunk: Uint8Array, at: number): number {
    const p = this.parser!;
    const hdr = p.headerBytes();
    if (this.carryLen < hdr) {
      const take = Math.min(hdr - this.carryLen, chunk.length - at);
      this.append(chunk, at, at + take);
      at += take;
      if (this.carryLen < hdr) return at;
    }
    const dv = new DataView(this.carry.buffer, this.carry.byteOffset, this.carryLen);
    const len = p.unitLength(this.carry, dv, 0);
    if (len < 0) {
      this.stop();
      return chunk.length;
    }
    const take = Math.min(len - this.carryLen, chunk.length - at);
    this.append(chunk, at, at + take);
    at += take;
    if (this.carryLen === len) {
      const view = new DataView(this.carry.buffer, this.carry.byteOffset, len);
      p.parseUnit(this.carry, view, 0, len, this.offset);
      this.offset += len;
      this.carryLen = 0;
      if (this.carry.length > 1 << 20) this.carry = new Uint8Array(0); // don't pin a huge buffer
    }
    return at;
  }

  /** Parses whole units in buf[start, end); returns where the first incomplete unit starts. */
  private run(buf: Uint8Array, start: number, end: number): number {
    const p = this.parser!;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = start;
    while (pos < end) {
      if (end - pos < p.headerBytes()) break;
      const len = p.unitLength(buf, dv, pos);
      if (len < 0) {
        this.stop();
        return end;
      }
      if (end - pos < len) break;
      p.parseUnit(buf, dv, pos, len, this.offset);
      this.offset += len;
      pos += len;
    }
    return pos;
  }

  private append(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.carryLen + n > this.carry.length) {
      const grown = new Uint8Array(Math.max(this.carryLen + n, this.carry.length * 2, 4096));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(src.subarray(from, to), this.carryLen);
    this.carryLen += n;
  }

  private stop(): void {
    this.stopped = true;
    this.carryLen = 0;
  }

  summary(): CaptureSummary {
    return this.parser?.summary ?? newSummary('pcap');
  }

  end(): CaptureSummary {
    if (this.ended) return this.ended;
    if (!this.parser) {
      if (this.carryLen === 0) throw new NotACaptureError('empty file: no bytes to read');
      throw new NotACaptureError(`not a capture file: only ${this.carryLen} byte(s) long`);
    }
    const s = this.parser.summary;
    if (this.carryLen > 0 && !this.stopped) {
      s.truncated = true;
      s.diagnostics.push(
        diag('capture.file.truncated', 'warn', 'capture',
          `the file ends inside a record: ${this.carryLen} byte(s) at offset ${this.offset} are an incomplete record or block; every complete packet before it was read`),
      );
    }
    this.carryLen = 0;
    this.ended = s;
    return s;
  }
}

/** Reads a whole capture held in memory; records' data are copied (tests, small files). */
export function readCaptureBytes(bytes: Uint8Array): { records: CaptureRecord[]; summary: CaptureSummary } {
  const records: CaptureRecord[] = [];
  const reader = createCaptureReader({ onRecord: (r) => records.push({ ...r, data: r.data.slice() }) });
  reader.push(bytes);
  return { records, summary: reader.end() };
}
