/**
 * Which program opens the interface inside the capture process. `auto` (the default) uses
 * Wireshark's dumpcap when it is installed — no drops at 100k packets/s on lo, kernel timestamps
 * and drop counts, capture rights through the `wireshark` group, no native module (so under
 * Electron the capture process runs on Electron's own Node) — and otherwise libpcap through `cap`.
 * If dumpcap cannot start, `auto` tries `cap` before giving up.
 * $WIRELENS_CAPTURE_BACKEND (cap | dumpcap | auto) sets the default; $WIRELENS_DUMPCAP names dumpcap.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CAPTURE_BACKEND_CHOICES, type CaptureBackendChoice } from '../../api/engine-api';

/** Who opens the interface in the capture process: libpcap through `cap`, or Wireshark's dumpcap. */
export type CaptureBackend = 'cap' | 'dumpcap';

/** Where Wireshark installers put dumpcap besides $PATH. */
const KNOWN_PLACES: Partial<Record<NodeJS.Platform, string[]>> = {
  darwin: ['/Applications/Wireshark.app/Contents/MacOS/dumpcap'],
  win32: ['C:\\Program Files\\Wireshark\\dumpcap.exe'],
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** dumpcap's path, or null when it is not installed. */
export function findDumpcap(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, isExecutable = executable): string | null {
  if (env.WIRELENS_DUMPCAP) return isExecutable(env.WIRELENS_DUMPCAP) ? env.WIRELENS_DUMPCAP : null;
  const name = platform === 'win32' ? 'dumpcap.exe' : 'dumpcap';
  const dirs = (env.PATH ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);
  for (const d of [...dirs.map((d) => join(d, name)), ...(KNOWN_PLACES[platform] ?? [])]) if (isExecutable(d)) return d;
  return null;
}

export function isBackendChoice(v: unknown): v is CaptureBackendChoice {
  return typeof v === 'string' && (CAPTURE_BACKEND_CHOICES as readonly string[]).includes(v);
}

/** The default choice: $WIRELENS_CAPTURE_BACKEND when valid, else auto. */
export function defaultBackendChoice(env: NodeJS.ProcessEnv = process.env): CaptureBackendChoice {
  return isBackendChoice(env.WIRELENS_CAPTURE_BACKEND) ? env.WIRELENS_CAPTURE_BACKEND : 'auto';
}

/** The backends to try, in order. `dumpcap` asked for but not installed is an error the caller reports. */
export function backendsToTry(choice: CaptureBackendChoice, dumpcap: string | null): CaptureBackend[] {
  if (choice === 'cap') return ['cap'];
  if (choice === 'dumpcap') return ['dumpcap'];
  return dumpcap ? ['dumpcap', 'cap'] : ['cap'];
}

export const DUMPCAP_MISSING_HELP =
  "Capture with dumpcap was asked for, but dumpcap (Wireshark's capture program) is not installed: on Debian/Ubuntu " +
  '`sudo apt-get install wireshark-common` (or tshark), on macOS and Windows install Wireshark; or set $WIRELENS_DUMPCAP to its path.';
