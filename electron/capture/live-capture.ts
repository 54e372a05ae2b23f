/**
 * Live capture with libpcap through the optional `cap` module: opens an interface with a BPF
 * filter (checked by libpcap before any packet flows; its error is turned into advice), and hands
 * every packet with its capture time to a callback. `cap` gives no kernel timestamps or drop
 * counters: packets are stamped when they reach this process (documented in the README).
 */
import { readFileSync } from 'node:fs';
import { loadCap, type CapInstance } from './load-cap';
import { captureHelp } from './permissions';

/** libpcap link-type names as `cap` reports them → pcapng link types. */
const LINK_TYPES: Record<string, number> = {
  NULL: 0,
  ETHERNET: 1,
  IEEE802_5: 6,
  PPP: 9,
  FDDI: 10,
  RAW: 101,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIO: 127,
  LINUX_SLL2: 276,
};

/**
 * libpcap's kernel ring. `cap` opens in immediate mode, where libpcap uses fixed-size frames
 * (TPACKET_V2) sized by the interface's MTU: on lo (64 KiB) 128 MiB is only ~2,000 packets, which a
 * 100k packets/s burst fills in 20 ms of scheduling delay (it lost 46-401 of 300,000 here). So the
 * ring is sized to hold RING_FRAMES packets of the interface's MTU, within 128-256 MiB: 128 MiB
 * for Ethernet-sized MTUs (80,000 frames), 256 MiB on lo (4,000 frames: 300,000 packets at
 * 80-123k packets/s with no loss in every run). Past ~100k packets/s `cap`'s one JS callback per
 * packet is the limit: see README.
 */
export const DEFAULT_BUFFER_MB = 128;
export const MAX_AUTO_BUFFER_MB = 256;
const RING_FRAMES = 4096;

/** The kernel ring for an interface of this MTU (libpcap's frame: MTU + link header + tpacket header). */
export function bufferMbForMtu(mtu: number | null): number {
  if (mtu === null || !Number.isFinite(mtu) || mtu <= 0) return DEFAULT_BUFFER_MB;
  const frameBytes = mtu + 18 + 128;
  return Math.min(MAX_AUTO_BUFFER_MB, Math.max(DEFAULT_BUFFER_MB, Math.ceil((RING_FRAMES * frameBytes) / (1024 * 1024))));
}

/** The interface's MTU as Linux reports it (null elsewhere, or for an unknown interface). */
export function interfaceMtu(iface: string): number | null {
  if (!/^[\w.:@-]+$/.test(iface)) return null;
  try {
    const n = Number(readFileSync(`/sys/class/net/${iface}/mtu`, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** The ring a capture on this interface gets unless told otherwise (`--buffer-mb`). */
export function defaultBufferMb(iface: string): number {
  return bufferMbForMtu(interfaceMtu(iface));
}

export interface LiveCaptureOptions {
  iface: string;
  filter?: string;
  snapLen?: number;
  /** Kernel capture buffer in MiB (dumpcap's -B); by default sized by the interface's MTU (defaultBufferMb). */
  bufferMb?: number;
  /** `timeUs`: microseconds since the epoch, taken when the packet reached this process. */
  onPacket(data: Uint8Array, origLen: number, timeUs: number): void;
}

export interface LiveCapture {
  linkType: number;
  linkTypeName: string;
  stop(): void;
}

export class CaptureError extends Error {}

export function startLiveCapture(o: LiveCaptureOptions): LiveCapture {
  const loaded = loadCap();
  if (!loaded.ok) throw new CaptureError(loaded.message);
  const snapLen = o.snapLen ?? 65535;
  const buffer = Buffer.alloc(snapLen);
  let deliver: (nbytes: number, truncated: boolean) => void = () => undefined;
  // `cap` calls the instance's `emit` (looked up once, when the instance is made) for every
  // packet: a subclass whose emit hands packets straight to us skips EventEmitter's dispatch,
  // which matters at 100k packets/s.
  const Direct = class extends loaded.cap.Cap {
    emit(event: string, ...args: unknown[]): boolean {
      if (event === 'packet') {
        deliver(args[0] as number, args[1] as boolean);
        return true;
      }
      return false;
    }
  };
  const c: CapInstance = new Direct();
  let name: string;
  try {
    name = c.open(o.iface, o.filter ?? '', (o.bufferMb ?? defaultBufferMb(o.iface)) * 1024 * 1024, buffer);
  } catch (e) {
    const message = (e as Error).message;
    if (o.filter && filterIsTheProblem(loaded.cap, o.iface)) {
      throw new CaptureError(`The capture filter is not valid BPF: ${message}. Capture filters use tcpdump syntax, e.g. \`tcp port 25 or tcp port 110\`.`);
    }
    throw new CaptureError(captureHelp(message));
  }
  const linkType = LINK_TYPES[name] ?? LINK_TYPES[name.replace(/^LINKTYPE_/, '')];
  if (linkType === undefined) {
    c.close();
    throw new CaptureError(`interface ${o.iface} has link type ${name}, which Wirelens cannot record yet`);
  }
  c.setMinBytes?.(0);
  const origin = performance.timeOrigin;
  const pacer = new BatchPacer();
  deliver = (nbytes: number, truncated: boolean) => {
    pacer.beforePacket();
    const len = Math.min(nbytes, snapLen);
    o.onPacket(buffer.subarray(0, len), truncated ? Math.max(nbytes, len) : nbytes, Math.round((origin + performance.now()) * 1000));
  };
  return { linkType, linkTypeName: name, stop: () => c.close() };
}

/** libpcap's messages do not say whether the filter or the interface failed: try without the filter. */
function filterIsTheProblem(cap: { Cap: { new (): CapInstance } }, iface: string): boolean {
  const probe = new cap.Cap();
  try {
    probe.open(iface, '', 1024 * 1024, Buffer.alloc(256));
    probe.close();
    return true;
  } catch {
    return false;
  }
}

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
