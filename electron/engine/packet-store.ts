/** Re-reads packet bytes from the capture file by offset (packets are never all held in memory). */
import { closeSync, openSync, readSync } from 'node:fs';
import type { PacketIndex } from '../../dissectors/analysis/packet-index';

export class PacketStore {
  private fd: number | null;
  constructor(
    path: string,
    private readonly index: PacketIndex,
  ) {
    this.fd = openSync(path, 'r');
  }

  /** Bytes of packet i (0-based index = frame - 1). */
  read(i: number): Uint8Array {
    if (this.fd === null) throw new Error('capture closed');
    const len = this.index.capLen[i];
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, buf, got, len - got, this.index.offsetOf(i) + got);
      if (n === 0) break;
      got += n;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
