/**
 * A protocol handler reads one connection's two directions from stream buffers (lines or byte
 * counts, as its protocol needs) and writes ladder events to the shared AppOutput. The host (the
 * selector) pushes reassembled bytes into the buffers and calls pump(); a handler may hand the
 * connection over to another one (STARTTLS → TLS) through the host.
 */
import type { Direction, StreamGap } from '../tcp/types';
import type { AppOutput } from './output';
import type { StreamBuffer, StreamLine } from './stream-buffer';
import type { AppContext } from './types';

export interface HandlerHost {
  readonly out: AppOutput;
  readonly bufs: Record<Direction, StreamBuffer>;
  readonly ctx: AppContext;
  /** Hands every later byte of both directions (including what is buffered now) to `next`. */
  switchTo(next: ProtocolHandler): void;
}

export interface ProtocolHandler {
  /** New bytes are buffered in host.bufs[dir]; consume what can be consumed. `final`: no more will come. */
  pump(dir: Direction, final: boolean): void;
  /** Bytes of `gap.dir` were lost (the buffer was already reset past them). */
  gap(gap: StreamGap): void;
  /** The connection ended; everything buffered has been pumped with final=true. */
  end(): void;
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
