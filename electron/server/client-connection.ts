/**
 * One page's WebSocket: its calls wait in a queue of its own and at most a few run at once, each
 * started on a fresh turn of the event loop, so another page's call gets in between; answers the
 * page has not taken yet are counted, and above a bound the server stops reading the page's calls
 * (and skips its status events) until it catches up — or drops it when it never does.
 */
import type { WebSocket } from 'ws';
import type { EngineApi, RpcEventMessage } from '../../api/engine-api';
import type { ServerLimits } from './limits';
import { dispatchRpc } from './rpc';

/**
 * Big answers (a 10,000-event ladder is 2.4 MB of JSON) go as binary frames of UTF-8 JSON: Chromium
 * took 310-530 ms to receive that as a text message and 160-250 ms as binary (decoding included in
 * the page, which reads both).
 */
export const BINARY_FRAME_FROM = 64 * 1024;

export function frameJson(message: unknown): string | Buffer {
  const text = JSON.stringify(message);
  return text.length >= BINARY_FRAME_FROM ? Buffer.from(text) : text;
}

/** Close code for a page that broke the server's limits (RFC 6455: policy violation). */
const POLICY_VIOLATION = 1008;

export class ClientConnection {
  private readonly queue: { req: unknown; bytes: number }[] = [];
  /** Size of the messages waiting in the queue (an upload is one big message). */
  private queuedBytes = 0;
  private inFlight = 0;
  /** Bytes handed to the socket and not yet written out. */
  private pending = 0;
  private readingPaused = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private pumpScheduled = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly api: EngineApi,
    private readonly limits: ServerLimits,
  ) {
    ws.on('message', (data) => this.onMessage(data as Buffer));
    ws.on('close', () => this.onClose());
  }

  /** For tests and diagnostics: what this page has waiting. */
  stats(): { pendingBytes: number; queued: number; inFlight: number; readingPaused: boolean } {
    return {
      pendingBytes: this.pending,
      queued: this.queue.length,
      inFlight: this.inFlight,
      readingPaused: this.readingPaused,
    };
  }

  sendEvent(msg: RpcEventMessage): void {
    // A status is a snapshot: the next one (or the page's own poll) replaces a skipped one.
    if (msg.event.type === 'status' && this.pending > this.limits.pendingHighBytes) return;
    this.send(JSON.stringify(msg));
  }

  private onMessage(data: Buffer): void {
    if (this.closed) return;
    let req: unknown;
    try {
      req = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    this.queue.push({ req, bytes: data.length });
    this.queuedBytes += data.length;
    if (this.queue.length > this.limits.queuedCallsPerClient * 64) {
      this.drop('too many calls waiting: the page sent calls faster than the engine answers them');
      return;
    }
    this.updateReading();
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    while (
      this.inFlight < this.limits.callsInFlightPerClient &&
      this.queue.length &&
      this.pending <= this.limits.pendingHighBytes
    ) {
      const next = this.queue.shift()!;
      this.queuedBytes -= next.bytes;
      this.inFlight++;
      void this.run(next.req);
    }
    this.updateReading();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private async run(req: unknown): Promise<void> {
    try {
      const res = await dispatchRpc(this.api, req);
      if (res) this.send(frameJson(res));
    } finally {
      this.inFlight--;
      // The next call of this page starts on a later turn: other pages' messages are read first.
      this.schedulePump();
    }
  }

  private send(data: string | Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const n = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.pending += n;
    this.ws.send(data, () => {
      this.pending -= n;
      if (this.pending <= this.limits.pendingHighBytes) this.schedulePump();
    });
    if (this.pending > this.limits.pendingMaxBytes)
      this.drop('the page did not take its answers (too much unsent data)');
    else this.updateReading();
  }

  /** Reading stops while too many calls wait or too many answers are unsent; it resumes when both are low again. */
  private updateReading(): void {
    if (this.closed) return;
    const behind = this.pending > this.limits.pendingHighBytes;
    const full =
      this.queue.length >= this.limits.queuedCallsPerClient ||
      this.queuedBytes >= this.limits.maxMessageBytes;
    if ((behind || full) && !this.readingPaused) {
      this.readingPaused = true;
      this.ws.pause();
    } else if (!behind && !full && this.readingPaused) {
      this.readingPaused = false;
      this.ws.resume();
    }
    if (behind && !this.stallTimer) {
      this.stallTimer = setTimeout(
        () => this.drop('the page stopped taking its answers'),
        this.limits.stallMs,
      );
    } else if (!behind && this.stallTimer) {
      clearTimeout(this.stallTimer);
      this.stallTimer = null;
    }
  }

  private drop(why: string): void {
    if (this.closed) return;
    this.onClose();
    this.ws.close(POLICY_VIOLATION, why.slice(0, 120));
    // A page that reads nothing does not read the close frame either.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private onClose(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }
}
