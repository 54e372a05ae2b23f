/**
 * Writes a capture as pcapng while it happens: a Section Header, one Interface Description (link
 * type, snaplen, if_name, microsecond if_tsresol), then one Enhanced Packet Block per packet.
 * Packets are batched in memory and written to the file at least every `flushMs` (so killing the
 * process loses at most that much), and on close.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** One pcapng block: type, total length, the body padded to 32 bits, total length again. */
export function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + pad;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

/** One pcapng option: code, length, the value padded to 32 bits. */
export function option(code: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  value.copy(b, 4);
  return b;
}

export const END_OF_OPTIONS = Buffer.alloc(4);

/** Bytes buffered before a write to the file (besides the timer flush). */
const BUFFER_BYTES = 4 * 1024 * 1024;

export class PcapngWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private pos = 0;
  private timer: NodeJS.Timeout;
  packets = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly opts: { linkType: number; snapLen: number; ifName: string; comment?: string; flushMs?: number; onFlush?: () => void },
  ) {
    this.fd = openSync(path, 'w');
    const shbOpts = Buffer.concat([option(4, Buffer.from(`wirelens (${process.platform})`)), ...(opts.comment ? [option(1, Buffer.from(opts.comment))] : []), END_OF_OPTIONS]);
    const shb = Buffer.alloc(16);
    shb.writeUInt32LE(0x1a2b3c4d, 0);
    shb.writeUInt16LE(1, 4);
    shb.writeUInt16LE(0, 6);
    shb.writeInt32LE(-1, 8);
    shb.writeInt32LE(-1, 12);
    const idb = Buffer.alloc(8);
    idb.writeUInt16LE(opts.linkType, 0);
    idb.writeUInt32LE(opts.snapLen, 4);
    // if_tsresol 6: timestamps in microseconds (libpcap's default resolution).
    const idbOpts = Buffer.concat([option(2, Buffer.from(opts.ifName)), option(9, Buffer.from([6])), END_OF_OPTIONS]);
    writeSync(this.fd, Buffer.concat([block(0x0a0d0d0a, Buffer.concat([shb, shbOpts])), block(1, Buffer.concat([idb, idbOpts]))]));
    this.flushUs = (opts.flushMs ?? 200) * 1000;
    this.timer = setInterval(() => void this.flush(), opts.flushMs ?? 200);
    this.timer.unref();
  }

  private readonly flushUs: number;
  private lastFlushUs = 0;

  /**
   * One packet as an Enhanced Packet Block, encoded straight into the write buffer (no per-packet
   * allocation: at 100k packets/s the capture process must keep up with libpcap's ring).
   * `data` is copied; `timeUs` is microseconds since the epoch.
   */
  write(data: Uint8Array, origLen: number, timeUs: number): void {
    const padded = (data.length + 3) & ~3;
    const total = 32 + padded;
    if (this.pos + total > this.buf.length) {
      this.flush();
      if (total > this.buf.length) this.buf = Buffer.allocUnsafe(total);
    }
    const b = this.buf;
    const p = this.pos;
    b.writeUInt32LE(6, p);
    b.writeUInt32LE(total, p + 4);
    b.writeUInt32LE(0, p + 8);
    b.writeUInt32LE(Math.floor(timeUs / 0x100000000), p + 12);
    b.writeUInt32LE(timeUs % 0x100000000, p + 16);
    b.writeUInt32LE(data.length, p + 20);
    b.writeUInt32LE(origLen, p + 24);
    b.set(data, p + 28);
    for (let k = p + 28 + data.length; k < p + 28 + padded; k++) b[k] = 0;
    b.writeUInt32LE(total, p + 28 + padded);
    this.pos = p + total;
    this.packets++;
    this.bytes += data.length;
    // During a burst the event loop may not reach the timer: flush by packet time as well.
    if (timeUs - this.lastFlushUs >= this.flushUs) this.flush(timeUs);
  }

  /** Writes what is buffered; true when there was something to write. */
  flush(nowUs = (performance.timeOrigin + performance.now()) * 1000): boolean {
    this.lastFlushUs = nowUs;
    if (!this.pos) return false;
    let done = 0;
    while (done < this.pos) done += writeSync(this.fd, this.buf, done, this.pos - done);
    this.pos = 0;
    this.opts.onFlush?.();
    return true;
  }

  close(): void {
    clearInterval(this.timer);
    const onFlush = this.opts.onFlush;
    this.opts.onFlush = undefined;
    this.flush();
    this.opts.onFlush = onFlush;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
