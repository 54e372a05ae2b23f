/**
 * The JavaScript speed limit: read a capture in 4 MiB chunks and walk its record headers (pcap or
 * pcapng, little-endian as the generator writes), touching nothing else. Prints one JSON line.
 *   node --import tsx bench/framing-loop.ts FILE
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

function frame(path: string): { packets: number; bytes: number } {
  const fd = openSync(path, 'r');
  const size = statSync(path).size;
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  const head = Buffer.alloc(8);
  readSync(fd, head, 0, 8, 0);
  const ng = head.readUInt32LE(0) === 0x0a0d0d0a;
  let pos = ng ? 0 : 24;
  let packets = 0;
  while (pos < size) {
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    let o = 0;
    while (true) {
      if (ng) {
        if (o + 8 > n) break;
        const type = chunk.readUInt32LE(o);
        const len = chunk.readUInt32LE(o + 4);
        if (len < 12 || o + len > n) break;
        if (type === 6 || type === 3) packets++;
        o += len;
      } else {
        if (o + 16 > n) break;
        const cap = chunk.readUInt32LE(o + 8);
        if (o + 16 + cap > n) break;
        packets++;
        o += 16 + cap;
      }
    }
    if (o === 0) break;
    pos += o;
  }
  closeSync(fd);
  return { packets, bytes: size };
}

const file = process.argv[2];
if (!file) {
  console.error('usage: framing-loop.ts FILE');
  process.exit(2);
}
console.log(JSON.stringify(frame(file)));
