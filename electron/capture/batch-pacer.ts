/** Batched reading of a live capture under load (see BatchPacer). */
/** Above this rate the capture gathers packets in batches (below it every packet is taken at once). */
export const BATCH_ABOVE_PPS = 20_000;
const NAP_MS = 1;
const RATE_WINDOW_MS = 50;

/**
 * In immediate mode libpcap wakes the process for every packet once it has caught up, and on a
 * virtual machine a sleep/wake costs more than the packet: at an even 100k packets/s the capture
 * process spent its time in epoll_wait and lost ~1.5 % (perf). Under load (above BATCH_ABOVE_PPS)
 * the first packet of each wakeup waits NAP_MS, so the ring gathers ~100 packets that are then
 * taken in one go. Below that rate (a lesson's traffic) nothing waits, so packet times stay as
 * precise as `cap` allows; under load they are as precise as the batch (about a millisecond).
 */
export class BatchPacer {
  private inBatch = false;
  private windowStart: number;
  private windowPackets = 0;
  private busy = false;
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));
  naps = 0;

  constructor(
    private readonly nap: (ms: number) => void = (ms) => void Atomics.wait(this.cell, 0, 0, ms),
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.windowStart = clock();
  }

  beforePacket(): void {
    this.windowPackets++;
    if (this.windowPackets >= 256) {
      const now = this.clock();
      if (now - this.windowStart >= RATE_WINDOW_MS) {
        this.busy = (this.windowPackets * 1000) / (now - this.windowStart) > BATCH_ABOVE_PPS;
        this.windowStart = now;
        this.windowPackets = 0;
      }
    }
    if (this.inBatch) return;
    // The first packet of this wakeup: the batch ends when control returns to the event loop.
    this.inBatch = true;
    setImmediate(() => (this.inBatch = false));
    if (this.busy) {
      this.naps++;
      this.nap(NAP_MS);
    }
  }
}
