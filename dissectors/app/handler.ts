/**
 * A protocol handler reads one connection's two directions from stream buffers (lines or byte
 * counts, as its protocol needs) and writes ladder events to the shared AppOutput. The host (the
 * selector) pushes reassembled bytes into the buffers and calls pump(); a handler may hand the
 * connection over to another one (STARTTLS → TLS) through the host.
 */
import type { Direction, StreamChunk, StreamGap } from '../tcp/types';
import { ascendingUnique } from '../model/frame-list';
import type { AppOutput } from './output';
import type { StreamBuffer, StreamLine } from './stream-buffer';
import type { AppContext } from './types';

export interface HandlerHost {
  readonly out: AppOutput;
  readonly bufs: Record<Direction, StreamBuffer>;
  readonly ctx: AppContext;
  /** Hands every later byte of both directions (including what is buffered now) to `next`. */
  switchTo(next: ProtocolHandler): void;
  /**
   * The handler for the protocol inside this connection's TLS, reading the decrypted bytes from
   * `inner.bufs` (TLS decrypted with the user's key log); absent or null: the inside is not dissected.
   */
  innerHandler?(inner: HandlerHost): ProtocolHandler | null;
  /**
   * The rest of the connection is a tunnel (after HTTP CONNECT's 2xx, or a SOCKS CONNECT's success):
   * the host reads it as the protocol its first bytes show (TLS, HTTP, SMTP …), as for a new connection.
   */
  tunnel?(via: 'connect' | 'socks'): void;
}

export interface ProtocolHandler {
  /** New bytes are buffered in host.bufs[dir]; consume what can be consumed. `final`: no more will come. */
  pump(dir: Direction, final: boolean): void;
  /** Bytes of `gap.dir` were lost (the buffer was already reset past them). */
  gap(gap: StreamGap): void;
  /** The connection ended; everything buffered has been pumped with final=true. */
  end(): void;
  /**
   * Optional fast path for bulk bytes (a body of known length, the inside of an encrypted record):
   * offered a chunk of `dir` while nothing of `dir` is buffered, before it is buffered; returns how
   * many of its leading bytes it consumed as pump() would have (0: none — buffer it as usual).
   */
  bulk?(dir: Direction, chunk: StreamChunk): number;
}

/** Frame numbers of the first `n` bytes of a chunk, ascending, each once (what StreamBuffer.take gives for them). */
export function chunkFrames(chunk: StreamChunk, n: number): number[] {
  const spans = chunk.frames;
  if (spans.length === 1) return [spans[0].frame];
  const end = chunk.offset + Math.max(n, 1);
  const frames: number[] = [];
  for (const s of spans) if (s.offset < end && s.offset + s.length > chunk.offset && frames[frames.length - 1] !== s.frame) frames.push(s.frame);
  return ascendingUnique(frames);
}

/** Frames and time of a line or block, for AppOutput.event. */
export function spanOf(x: { frames: number[]; time: number }): { frames: number[]; time: number } {
  return { frames: x.frames, time: x.time };
}

/**
 * The read loop of a line protocol: hands every complete line of `dir` to `onLine` (over-long lines
 * arrive cut, with a `<protocol>.line.too_long` diagnostic) until the buffer is empty or the handler
 * gave the connection to another one (STARTTLS/STLS/AUTH TLS). `afterLine` may then take bulk
 * data (a message body) straight from the buffer.
 */
export function pumpLines(host: HandlerHost, dir: Direction, final: boolean, protocol: string, onLine: (line: StreamLine) => void, handedOver: () => boolean, afterLine?: () => void): void {
  for (;;) {
    const line = host.bufs[dir].nextLine(final);
    if (!line) return;
    if (line.overlong) host.out.diag(`${protocol}.line.too_long`, 'warn', `a ${dir} line longer than ${line.length} bytes was cut`, line.frames[0]);
    onLine(line);
    if (handedOver()) return;
    afterLine?.();
  }
}
