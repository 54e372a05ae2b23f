/**
 * Writes Ethernet/IPv4/TCP frames into a pcap (microsecond) or pcapng file through a large reused
 * buffer, so a gigabyte capture is written with a handful of system calls per megabyte.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type ContainerFormat = 'pcap' | 'pcapng';

export interface FrameEndpoints {
  clientIp: number;
  serverIp: number;
  clientPort: number;
  serverPort: number;
}

const BUFFER_BYTES = 8 * 1024 * 1024;
const SYN_OPTIONS = [2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1]; // MSS 1460, NOP, WS 7, SACK_PERM, NOP, NOP

export class FrameWriter {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(BUFFER_BYTES);
  private used = 0;
  bytesWritten = 0;
  packets = 0;

  constructor(
    path: string,
    private readonly format: ContainerFormat,
  ) {
    this.fd = openSync(path, 'w');
    this.writeFileHeader();
  }

  private reserve(n: number): number {
    if (this.used + n > this.buf.length) this.flush();
    const at = this.used;
    this.used += n;
    this.bytesWritten += n;
    return at;
  }

  private writeFileHeader(): void {
    if (this.format === 'pcap') {
      const at = this.reserve(24);
      this.buf.writeUInt32LE(0xa1b2c3d4, at);
      this.buf.writeUInt16LE(2, at + 4);
      this.buf.writeUInt16LE(4, at + 6);
      this.buf.writeUInt32LE(262144, at + 16);
      this.buf.writeUInt32LE(1, at + 20);
      return;
    }
    let at = this.reserve(28);
    this.buf.writeUInt32LE(0x0a0d0d0a, at);
    this.buf.writeUInt32LE(28, at + 4);
    this.buf.writeUInt32LE(0x1a2b3c4d, at + 8);
    this.buf.writeUInt16LE(1, at + 12);
    this.buf.writeUInt16LE(0, at + 14);
    this.buf.writeInt32LE(-1, at + 16);
    this.buf.writeInt32LE(-1, at + 20);
    this.buf.writeUInt32LE(28, at + 24);
    at = this.reserve(20);
    this.buf.writeUInt32LE(1, at);
    this.buf.writeUInt32LE(20, at + 4);
    this.buf.writeUInt16LE(1, at + 8);
    this.buf.writeUInt16LE(0, at + 10);
    this.buf.writeUInt32LE(262144, at + 12);
    this.buf.writeUInt32LE(20, at + 16);
  }

  /** One TCP frame; timeUs is microseconds since the epoch. */
  tcp(timeUs: number, ep: FrameEndpoints, fromClient: boolean, flags: number, seq: number, ack: number, payload: Uint8Array): void {
    const options = flags & 0x02 ? SYN_OPTIONS.length : 0;
    const tcpLen = 20 + options;
    const frameLen = 14 + 20 + tcpLen + payload.length;
    const ng = this.format === 'pcapng';
    const padded = (frameLen + 3) & ~3;
    const recHeader = ng ? 28 : 16;
    const total = recHeader + (ng ? padded + 4 : frameLen);
    const at = this.reserve(total);
    const b = this.buf;
    const sec = Math.floor(timeUs / 1e6);
    const usec = timeUs - sec * 1e6;
    if (ng) {
      b.writeUInt32LE(6, at);
      b.writeUInt32LE(total, at + 4);
      b.writeUInt32LE(0, at + 8);
      b.writeUInt32LE(Math.floor(timeUs / 0x100000000), at + 12);
      b.writeUInt32LE(timeUs % 0x100000000, at + 16);
      b.writeUInt32LE(frameLen, at + 20);
      b.writeUInt32LE(frameLen, at + 24);
      b.fill(0, at + 28 + frameLen, at + total);
      b.writeUInt32LE(total, at + total - 4);
    } else {
      b.writeUInt32LE(sec, at);
      b.writeUInt32LE(usec, at + 4);
      b.writeUInt32LE(frameLen, at + 8);
      b.writeUInt32LE(frameLen, at + 12);
    }
    let o = at + recHeader;
    // Ethernet: locally administered MACs derived from the addresses.
    const srcIp = fromClient ? ep.clientIp : ep.serverIp;
    const dstIp = fromClient ? ep.serverIp : ep.clientIp;
    b.writeUInt16BE(0x0200, o);
    b.writeUInt32BE(dstIp >>> 0, o + 2);
    b.writeUInt16BE(0x0200, o + 6);
    b.writeUInt32BE(srcIp >>> 0, o + 8);
    b.writeUInt16BE(0x0800, o + 12);
    o += 14;
    const ipStart = o;
    b[o] = 0x45;
    b[o + 1] = 0;
    b.writeUInt16BE(20 + tcpLen + payload.length, o + 2);
    b.writeUInt16BE(this.packets & 0xffff, o + 4);
    b.writeUInt16BE(0x4000, o + 6);
    b[o + 8] = 64;
    b[o + 9] = 6;
    b.writeUInt16BE(0, o + 10);
    b.writeUInt32BE(srcIp >>> 0, o + 12);
    b.writeUInt32BE(dstIp >>> 0, o + 16);
    b.writeUInt16BE(ipChecksum(b, ipStart), o + 10);
    o += 20;
    b.writeUInt16BE(fromClient ? ep.clientPort : ep.serverPort, o);
    b.writeUInt16BE(fromClient ? ep.serverPort : ep.clientPort, o + 2);
    b.writeUInt32BE(seq >>> 0, o + 4);
    b.writeUInt32BE(ack >>> 0, o + 8);
    b[o + 12] = (tcpLen / 4) << 4;
    b[o + 13] = flags;
    b.writeUInt16BE(65535, o + 14);
    b.writeUInt32BE(0, o + 16);
    for (let i = 0; i < options; i++) b[o + 20 + i] = SYN_OPTIONS[i];
    o += tcpLen;
    b.set(payload, o);
    this.packets++;
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function ipChecksum(b: Buffer, at: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (b[at + i] << 8) | b[at + i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
