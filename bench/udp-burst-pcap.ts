/**
 * A pcap of `count` UDP datagrams 127.0.0.1:40000 → 127.0.0.1:`port` (Ethernet framing as `lo`
 * uses, `size`-byte payloads numbered from 0), for tcpreplay to send on `lo` at an exact rate: a C
 * sender leaves the captures the CPU a Node sender would take. Deterministic.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

function ipv4Checksum(b: Buffer, off: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += b.readUInt16BE(off + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function writeUdpBurstPcap(out: string, count: number, port: number, size = 64): void {
  const fd = openSync(out, 'w');
  try {
    const head = Buffer.alloc(24);
    head.writeUInt32LE(0xa1b2c3d4, 0);
    head.writeUInt16LE(2, 4);
    head.writeUInt16LE(4, 6);
    head.writeUInt32LE(65535, 16);
    head.writeUInt32LE(1, 20); // Ethernet
    writeSync(fd, head);
    const frameLen = 14 + 20 + 8 + size;
    const rec = Buffer.alloc(16 + frameLen);
    const f = 16;
    rec.writeUInt16BE(0x0800, f + 12);
    const ip = f + 14;
    rec[ip] = 0x45;
    rec.writeUInt16BE(20 + 8 + size, ip + 2);
    rec[ip + 8] = 64;
    rec[ip + 9] = 17;
    rec.writeUInt32BE(0x7f000001, ip + 12);
    rec.writeUInt32BE(0x7f000001, ip + 16);
    const udp = ip + 20;
    rec.writeUInt16BE(40000, udp);
    rec.writeUInt16BE(port, udp + 2);
    rec.writeUInt16BE(8 + size, udp + 4); // checksum 0: none (IPv4)
    rec.fill(0x61, udp + 8);
    const batch: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      rec.writeUInt32LE(Math.floor(i / 100000), 0);
      rec.writeUInt32LE((i % 100000) * 10, 4);
      rec.writeUInt32LE(frameLen, 8);
      rec.writeUInt32LE(frameLen, 12);
      rec.writeUInt16BE(i & 0xffff, ip + 4);
      rec.writeUInt16BE(0, ip + 10);
      rec.writeUInt16BE(ipv4Checksum(rec, ip), ip + 10);
      rec.writeUInt32BE(i, udp + 8);
      batch.push(Buffer.from(rec));
      if (batch.length === 4096) writeSync(fd, Buffer.concat(batch.splice(0)));
    }
    if (batch.length) writeSync(fd, Buffer.concat(batch));
  } finally {
    closeSync(fd);
  }
}
