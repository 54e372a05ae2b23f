/**
 * Writes a saved capture file (Export Specified Packets, Merge, Save with comments) as pcap or
 * pcapng, with nanosecond timestamps so no precision of the source is lost:
 * - pcap: the nanosecond pcap magic (0xa1b23c4d), one link type per file (a second one is refused
 *   with a message: save as pcapng instead);
 * - pcapng: one Section Header, one Interface Description per source interface (added when its
 *   first packet comes, if_tsresol 9), one Enhanced Packet Block per packet with its comment
 *   (opt_comment) when it has one.
 * Packets are buffered and written in large pieces; `close` flushes and closes the file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { block, END_OF_OPTIONS, option } from './pcapng-writer';

export type SavedFormat = 'pcap' | 'pcapng';

export interface PacketToWrite {
  tsSec: number;
  tsNsec: number;
  origLen: number;
  linkType: number;
  /** Any key naming the source interface (packets of one key share one pcapng interface). */
  interfaceKey: string;
  /** Snap length recorded for this interface (the first packet's value wins). */
  snapLen?: number;
  data: Uint8Array;
  comment?: string | null;
}

const PCAP_NS_MAGIC = 0xa1b23c4d;
const DEFAULT_SNAPLEN = 262144;
const FLUSH_BYTES = 4 * 1024 * 1024;
/** pcapng options carry at most 65,535 bytes: a longer comment is cut (at a character boundary). */
export const MAX_COMMENT_BYTES = 65000;

/** A comment as UTF-8, cut to what one pcapng option holds. */
export function commentBytes(text: string): Buffer {
  let b = Buffer.from(text, 'utf8');
  if (b.length <= MAX_COMMENT_BYTES) return b;
  b = b.subarray(0, MAX_COMMENT_BYTES);
  // Do not end inside a multi-byte character.
  let end = b.length;
  while (end > 0 && (b[end - 1] & 0xc0) === 0x80) end--;
  if (end > 0 && b[end - 1] >= 0xc0) end--;
  return b.subarray(0, end);
}


export class CaptureFileWriter {
  private readonly fd: number;
  private parts: Buffer[] = [];
  private buffered = 0;
  private readonly interfaces = new Map<string, number>();
  private pcapLinkType: number | null = null;
  packets = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    readonly format: SavedFormat,
    private readonly opts: { comment?: string } = {},
  ) {
    // 'wx': never replace a file by accident; callers remove or choose the name first.
    this.fd = openSync(path, 'wx', 0o644);
    if (format === 'pcapng') {
      const shb = Buffer.alloc(16);
      shb.writeUInt32LE(0x1a2b3c4d, 0);
      shb.writeUInt16LE(1, 4);
      shb.writeUInt16LE(0, 6);
      shb.writeInt32LE(-1, 8);
      shb.writeInt32LE(-1, 12);
      const shbOpts = Buffer.concat([
        option(4, Buffer.from('Wirelens')),
        ...(opts.comment ? [option(1, commentBytes(opts.comment))] : []),
        END_OF_OPTIONS,
      ]);
      this.push(block(0x0a0d0d0a, Buffer.concat([shb, shbOpts])));
    }
  }

  private push(b: Buffer): void {
    this.parts.push(b);
    this.buffered += b.length;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.buffered) return;
    const all = Buffer.concat(this.parts, this.buffered);
    let done = 0;
    while (done < all.length) done += writeSync(this.fd, all, done, all.length - done);
    this.parts = [];
    this.buffered = 0;
  }

  /** Adds one packet (its bytes are copied). Throws when pcap would need a second link type. */
  write(p: PacketToWrite): void {
    if (this.format === 'pcap') this.writePcap(p);
    else this.writePcapng(p);
    this.packets++;
    this.bytes += p.data.length;
  }

  private writePcap(p: PacketToWrite): void {
    if (this.pcapLinkType === null) this.pcapHeader(p.linkType, p.snapLen ?? 0);
    else if (p.linkType !== this.pcapLinkType) {
      throw new Error(
        `a pcap file holds one link type, and these packets have two (${this.pcapLinkType} and ${p.linkType}): save as pcapng instead`,
      );
    }
    const r = Buffer.alloc(16 + p.data.length);
    r.writeUInt32LE(p.tsSec >>> 0, 0);
    r.writeUInt32LE(p.tsNsec, 4);
    r.writeUInt32LE(p.data.length, 8);
    r.writeUInt32LE(Math.max(p.origLen, p.data.length), 12);
    r.set(p.data, 16);
    this.push(r);
  }

  private pcapHeader(linkType: number, snapLen: number): void {
    this.pcapLinkType = linkType;
    const h = Buffer.alloc(24);
    h.writeUInt32LE(PCAP_NS_MAGIC, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(Math.max(snapLen, DEFAULT_SNAPLEN), 16);
    h.writeUInt32LE(linkType, 20);
    this.push(h);
  }

  private interfaceOf(p: PacketToWrite): number {
    let id = this.interfaces.get(p.interfaceKey);
    if (id !== undefined) return id;
    id = this.interfaces.size;
    this.interfaces.set(p.interfaceKey, id);
    const idb = Buffer.alloc(8);
    idb.writeUInt16LE(p.linkType & 0xffff, 0);
    idb.writeUInt32LE(p.snapLen ?? 0, 4);
    // if_tsresol 9: nanoseconds.
    this.push(block(1, Buffer.concat([idb, option(9, Buffer.from([9])), END_OF_OPTIONS])));
    return id;
  }

  private writePcapng(p: PacketToWrite): void {
    const iface = this.interfaceOf(p);
    const ts = BigInt(Math.floor(p.tsSec)) * 1_000_000_000n + BigInt(p.tsNsec);
    const head = Buffer.alloc(20);
    head.writeUInt32LE(iface, 0);
    head.writeUInt32LE(Number(ts >> 32n) >>> 0, 4);
    head.writeUInt32LE(Number(ts & 0xffffffffn), 8);
    head.writeUInt32LE(p.data.length, 12);
    head.writeUInt32LE(Math.max(p.origLen, p.data.length), 16);
    const pad = Buffer.alloc((4 - (p.data.length % 4)) % 4);
    const opts = p.comment ? [option(1, commentBytes(p.comment)), END_OF_OPTIONS] : [];
    this.push(block(6, Buffer.concat([head, Buffer.from(p.data), pad, ...opts])));
  }

  close(): void {
    try {
      // An empty pcap still gets its header (Ethernet), so it opens as a capture of no packets.
      if (this.format === 'pcap' && this.pcapLinkType === null) this.pcapHeader(1, 0);
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}
