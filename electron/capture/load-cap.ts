/**
 * Loads the optional native libpcap binding (`cap`). When it is missing or failed to build, says
 * how to enable live capture instead of throwing a stack trace.
 */
import { createRequire } from 'node:module';

export interface CapDevice {
  name: string;
  description?: string;
  addresses?: Array<{ addr?: string; netmask?: string }>;
  flags?: string;
}

export interface CapInstance {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): void;
  setMinBytes?(n: number): void;
}

export interface CapModule {
  Cap: { new (): CapInstance; deviceList(): CapDevice[] };
}

export type CapLoad = { ok: true; cap: CapModule } | { ok: false; message: string };

let cached: CapLoad | null = null;

export const CAP_MISSING_HELP =
  "Live capture needs Wireshark's dumpcap or the native libpcap binding (the optional npm package `cap`); neither is there. " +
  'The easiest: install Wireshark (Debian/Ubuntu: `sudo apt-get install tshark`; macOS and Windows: the Wireshark installer), ' +
  'which Wirelens then captures through. Or install libpcap headers and build `cap`: on Debian/Ubuntu `sudo apt-get install libpcap-dev && npm rebuild cap`; ' +
  'on macOS libpcap ships with Xcode command-line tools (`xcode-select --install`, then `npm rebuild cap`); ' +
  'on Windows install Npcap (https://npcap.com) with its SDK, then `npm rebuild cap`. ' +
  'Meanwhile you can record with tcpdump/dumpcap and open the file.';

export function loadCap(): CapLoad {
  if (cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    cached = { ok: true, cap: require('cap') as CapModule };
  } catch (e) {
    cached = { ok: false, message: `${CAP_MISSING_HELP} (loading it said: ${(e as Error).message.split('\n')[0]})` };
  }
  return cached;
}
