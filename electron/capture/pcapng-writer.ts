/**
 * Writes a capture as pcapng while it happens: a Section Header, one Interface Description (link
 * type, snaplen, if_name, nanosecond if_tsresol), then one Enhanced Packet Block per packet.
 * Packets are batched in memory and written to the file at least every `flushMs` (so killing the
 * process loses at most that much), and on close.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + pad;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

function option(code: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  value.copy(b, 4);
  return b;
}

const END_OF_OPTIONS = Buffer.alloc(4);

export class PcapngWriter {
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout;
  packets = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    opts: { linkType: number; snapLen: number; ifName: string; comment?: string; flushMs?: number },
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
    const idbOpts = Buffer.concat([option(2, Buffer.from(opts.ifName)), option(9, Buffer.from([9])), END_OF_OPTIONS]);
    writeSync(this.fd, Buffer.concat([block(0x0a0d0d0a, Buffer.concat([shb, shbOpts])), block(1, Buffer.concat([idb, idbOpts]))]));
    this.timer = setInterval(() => this.flush(), opts.flushMs ?? 200);
    this.timer.unref();
  }

  /** One packet: `data` is copied; `timeNs` is nanoseconds since the epoch. */
  write(data: Uint8Array, origLen: number, timeNs: bigint): void {
    const head = Buffer.alloc(20);
    head.writeUInt32LE(0, 0);
    head.writeUInt32LE(Number(timeNs >> 32n), 4);
    head.writeUInt32LE(Number(timeNs & 0xffffffffn), 8);
    head.writeUInt32LE(data.length, 12);
    head.writeUInt32LE(origLen, 16);
    const b = block(6, Buffer.concat([head, Buffer.from(data)]));
    this.pending.push(b);
    this.pendingBytes += b.length;
    this.packets++;
    this.bytes += data.length;
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    writeSync(this.fd, Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
