/**
 * The helper thread's view of the capture file: byte ranges by file offset, served from a window
 * read ahead in large steps. The loading thread names payload ranges in (nearly) increasing order,
 * so the file is read about once, sequentially; a range before the window is read again.
 *
 * It reads through a file descriptor the loading thread opened and owns (descriptors belong to the
 * process, not the thread): the helper reads the very file the load reads — even if another file is
 * put at its path meanwhile — and a helper stopped halfway leaves nothing open.
 */
import { readSync } from 'node:fs';

const WINDOW_BYTES = 2 * 1024 * 1024;

export class FileWindow {
  private buf = new Uint8Array(WINDOW_BYTES);
  /** File offset of buf[0], and how many bytes of buf are valid. */
  private start = 0;
  private valid = 0;

  constructor(private readonly fd: number) {}

  /** The file's bytes [offset, offset + length): a view, valid until the next call. Throws when the file is shorter. */
  bytes(offset: number, length: number): Uint8Array {
    if (offset < this.start || offset + length > this.start + this.valid) this.fill(offset, length);
    return this.buf.subarray(offset - this.start, offset - this.start + length);
  }

  private fill(offset: number, length: number): void {
    if (length > this.buf.length) this.buf = new Uint8Array(length);
    let got = 0;
    while (got < this.buf.length) {
      const n = readSync(this.fd, this.buf, got, this.buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    this.start = offset;
    this.valid = got;
    if (got < length) throw new Error(`the capture file is shorter than when it was read (${offset + got} of ${offset + length} bytes): was it changed meanwhile?`);
  }
}
