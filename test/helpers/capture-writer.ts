/**
 * Writes small classic-pcap and pcapng files byte by byte (for property tests of the readers and the
 * TCP pipeline). Independent of the reader under test: every field is laid out here from the format
 * specifications (pcap: tcpdump.org/manpages/pcap-savefile.5; pcapng: draft-ietf-opsawg-pcapng).
 */

export interface PcapRecordSpec {
  tsSec: number;
  /** Sub-second part in the file's units (µs or ns). */
  tsFrac: number;
  origLen: number;
  data: Uint8Array;
}

class Bytes {
  private parts: number[] = [];
  constructor(private readonly little: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.little ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.little ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function writePcap(o: {
  little: boolean;
  nanos: boolean;
  linkType: number;
  snapLen: number;
  records: PcapRecordSpec[];
}): { bytes: Uint8Array; dataOffsets: number[] } {
  const b = new Bytes(o.little);
  b.u32(o.nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(o.snapLen).u32(o.linkType);
  const dataOffsets: number[] = [];
  for (const r of o.records) {
    b.u32(r.tsSec).u32(r.tsFrac).u32(r.data.length).u32(r.origLen);
    dataOffsets.push(b.length);
    b.raw(r.data);
  }
  return { bytes: b.done(), dataOffsets };
}

export interface PcapngInterfaceSpec {
  linkType: number;
  snapLen: number;
  /** if_tsresol option byte (undefined: option absent = microseconds). */
  tsresol?: number;
  /** if_tsoffset option: seconds added to every timestamp of the interface. */
  tsoffset?: number;
  name?: string;
}

export type PcapngBlockSpec =
  | { kind: 'epb'; iface: number; ts: bigint; origLen: number; data: Uint8Array; comment?: string }
  | { kind: 'spb'; origLen: number; data: Uint8Array }
  | { kind: 'pb'; iface: number; ts: bigint; origLen: number; data: Uint8Array }
  | { kind: 'unknown'; type: number; body: Uint8Array };

function options(b: Bytes, opts: Array<[code: number, value: Uint8Array]>): void {
  if (!opts.length) return;
  for (const [code, value] of opts) {
    b.u16(code).u16(value.length).raw(value).pad4();
  }
  b.u16(0).u16(0);
}

function block(little: boolean, type: number, body: (b: Bytes) => void): Uint8Array {
  const inner = new Bytes(little);
  body(inner);
  inner.pad4();
  const total = inner.length + 12;
  return new Bytes(little).u32(type).u32(total).raw(inner.done()).u32(total).done();
}

const text = (s: string) => new TextEncoder().encode(s);

export function writePcapngSection(o: {
  little: boolean;
  comment?: string;
  interfaces: PcapngInterfaceSpec[];
  blocks: PcapngBlockSpec[];
}): Uint8Array {
  const out: Uint8Array[] = [];
  out.push(
    block(o.little, 0x0a0d0d0a, (b) => {
      b.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
      options(b, o.comment ? [[1, text(o.comment)]] : []);
    }),
  );
  for (const i of o.interfaces) {
    out.push(
      block(o.little, 1, (b) => {
        b.u16(i.linkType).u16(0).u32(i.snapLen);
        const opts: Array<[number, Uint8Array]> = [];
        if (i.name) opts.push([2, text(i.name)]);
        if (i.tsresol !== undefined) opts.push([9, Uint8Array.of(i.tsresol)]);
        if (i.tsoffset !== undefined) {
          const v = new Bytes(o.little);
          const big = BigInt.asUintN(64, BigInt(i.tsoffset));
          if (o.little) v.u32(Number(big & 0xffffffffn)).u32(Number(big >> 32n));
          else v.u32(Number(big >> 32n)).u32(Number(big & 0xffffffffn));
          opts.push([14, v.done()]);
        }
        options(b, opts);
      }),
    );
  }
  for (const k of o.blocks) {
    if (k.kind === 'epb') {
      out.push(
        block(o.little, 6, (b) => {
          b.u32(k.iface).u32(Number(k.ts >> 32n)).u32(Number(k.ts & 0xffffffffn)).u32(k.data.length).u32(k.origLen);
          b.raw(k.data).pad4();
          options(b, k.comment ? [[1, text(k.comment)]] : []);
        }),
      );
    } else if (k.kind === 'pb') {
      // The obsolete Packet Block: 16-bit interface id and drop count, then as an EPB.
      out.push(
        block(o.little, 2, (b) => {
          b.u16(k.iface).u16(0).u32(Number(k.ts >> 32n)).u32(Number(k.ts & 0xffffffffn)).u32(k.data.length).u32(k.origLen);
          b.raw(k.data).pad4();
        }),
      );
    } else if (k.kind === 'spb') {
      out.push(block(o.little, 3, (b) => b.u32(k.origLen).raw(k.data)));
    } else {
      out.push(block(o.little, k.type, (b) => b.raw(k.body)));
    }
  }
  return concat(out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const r = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    r.set(p, o);
    o += p.length;
  }
  return r;
}

/** A raw-IPv4 (link type 101) TCP packet with a correct header layout (checksums left zero). */
export function ipv4TcpPacket(o: {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  window?: number;
  payload: Uint8Array;
}): Uint8Array {
  const total = 20 + 20 + o.payload.length;
  const b = new Bytes(false);
  b.u8(0x45).u8(0).u16(total).u16(0).u16(0x4000).u8(64).u8(6).u16(0).u32(o.src).u32(o.dst);
  b.u16(o.sport).u16(o.dport).u32(o.seq >>> 0).u32(o.ack >>> 0).u8(5 << 4).u8(o.flags).u16(o.window ?? 65535).u16(0).u16(0);
  b.raw(o.payload);
  return b.done();
}
