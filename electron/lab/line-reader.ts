/**
 * Reads CRLF-terminated command lines from a socket, one at a time, with a bound on the line's
 * length: the lab's own text-protocol servers parse nothing longer than `maxLine` bytes.
 */
import type { Duplex } from 'node:stream';

export interface LineReaderOptions {
  maxLine: number;
  onLine(line: string): Promise<void> | void;
  onTooLong(): void;
}

/** Starts reading; returns a function that stops it and drops whatever was buffered but not read. */
export function readLines(socket: Duplex, opts: LineReaderOptions): () => void {
  let buffered: Buffer = Buffer.alloc(0);
  let busy = false;
  let stopped = false;
  const pump = async () => {
    busy = true;
    while (!stopped) {
      const nl = buffered.indexOf(0x0a);
      if ((nl < 0 && buffered.length > opts.maxLine) || nl > opts.maxLine + 1) {
        stopped = true;
        opts.onTooLong();
        break;
      }
      if (nl < 0) break;
      const line = buffered.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      buffered = buffered.subarray(nl + 1);
      await opts.onLine(line);
    }
    busy = false;
    if (!stopped && socket.isPaused()) socket.resume();
  };
  const onData = (d: Buffer) => {
    if (stopped) return;
    buffered = buffered.length ? Buffer.concat([buffered, d]) : d;
    // A client that sends without reading replies cannot make the server hold more than a few lines.
    if (buffered.length > 64 * opts.maxLine) socket.pause();
    if (!busy) void pump();
  };
  socket.on('data', onData);
  return () => {
    stopped = true;
    buffered = Buffer.alloc(0);
    socket.removeListener('data', onData);
  };
}
