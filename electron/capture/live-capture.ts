/**
 * Live capture with libpcap through the optional `cap` module: opens an interface with a BPF
 * filter (checked by libpcap before any packet flows; its error is turned into advice), and hands
 * every packet with its capture time to a callback. `cap` gives no kernel timestamps or drop
 * counters: packets are stamped when they reach this process (documented in the README).
 */
import { loadCap, type CapInstance } from './load-cap';
import { BatchPacer } from './batch-pacer';
import { captureHelp } from './permissions';
import { defaultBufferMb } from './ring-size';

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
