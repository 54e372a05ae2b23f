/**
 * The capture interfaces libpcap sees, for the interface picker and `wirelens interfaces`: through
 * `cap`, or — when it is not built (e.g. the engine running on Electron's Node) — from dumpcap's
 * machine-readable list. A capture may only name an interface the backend listed (checked by the
 * capture process before it opens anything): dumpcap's -i also takes a pipe path, `-` (stdin), an
 * index number and remote forms such as `TCP@host:port`, which would make it connect out.
 */
import { spawnSync } from 'node:child_process';
import type { InterfaceInfo } from '../../api/engine-api';
import { findDumpcap, type CaptureBackend } from './capture-backend';
import { loadCap, type CapDevice } from './load-cap';
import { interfaceNameProblem } from './interface-name';
import { readFileSync } from 'node:fs';

function isUp(name: string): boolean {
  try {
    const state = readFileSync(`/sys/class/net/${name}/operstate`, 'utf8').trim();
    // Loopback reports "unknown" while up.
    return state === 'up' || state === 'unknown';
  } catch {
    return true; // not Linux, or a pseudo-device (any, nflog): listable, so treat as usable
  }
}

export function toInterfaceInfo(d: CapDevice): InterfaceInfo {
  const flags = d.flags ?? '';
  return {
    name: d.name,
    description: d.description ?? (d.name === 'any' ? 'Pseudo-device that captures on all interfaces' : ''),
    addresses: (d.addresses ?? []).map((a) => a.addr).filter((a): a is string => typeof a === 'string'),
    loopback: flags.includes('PCAP_IF_LOOPBACK') || d.name === 'lo' || d.name === 'lo0',
    up: flags.includes('PCAP_IF_UP') || isUp(d.name),
  };
}

/**
 * `dumpcap -D -M`: one interface a line, "N. name<TAB>vendor description<TAB>friendly name<TAB>type
 * <TAB>addresses,comma-separated<TAB>loopback|network<TAB>…". Lines that are not that are skipped.
 */
export function parseDumpcapInterfaces(text: string): InterfaceInfo[] {
  const out: InterfaceInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+\. ([^\t]+)\t([^\t]*)\t([^\t]*)\t\d+\t([^\t]*)\t(loopback|network)\b/.exec(line);
    if (!m || interfaceNameProblem(m[1]) !== null) continue;
    const name = m[1];
    out.push({
      name,
      description: m[3] || m[2] || (name === 'any' ? 'Pseudo-device that captures on all interfaces' : ''),
      addresses: m[4] ? m[4].split(',').filter(Boolean) : [],
      loopback: m[5] === 'loopback',
      up: isUp(name),
    });
  }
  return out;
}

/**
 * Checks a capture's interface against what the backend listed: null when it is one of them, else
 * the message saying so (with the names it could have been).
 */
export function unlistedInterfaceProblem(name: string, listed: readonly InterfaceInfo[]): string | null {
  const syntax = interfaceNameProblem(name);
  const shown = JSON.stringify(name.slice(0, 128));
  if (syntax) return `${shown} is not an interface Wirelens can capture on: ${syntax}. List interfaces with \`wirelens interfaces\` and pick one of those names.`;
  if (listed.some((i) => i.name === name)) return null;
  const names = listed.map((i) => i.name).slice(0, 20);
  return `There is no capture interface named ${shown}${names.length ? ` (the interfaces are: ${names.join(', ')})` : ''}. List interfaces with \`wirelens interfaces\` and pick one of those names.`;
}

/** The interfaces libpcap lists through `cap`, or null when `cap` is not built (then `why`). */
function capInterfaces(): { list: InterfaceInfo[] } | { why: string } {
  const loaded = loadCap();
  return loaded.ok ? { list: loaded.cap.Cap.deviceList().map(toInterfaceInfo) } : { why: loaded.message };
}

/** The interfaces dumpcap lists (`dumpcap -D -M`). */
function dumpcapInterfaces(dumpcap: string): InterfaceInfo[] {
  const r = spawnSync(dumpcap, ['-D', '-M'], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || '').trim();
    throw new Error(`dumpcap (${dumpcap}) could not list the interfaces (${r.signal ?? `exit code ${r.status}`})${why ? `: ${why}` : ''}`);
  }
  return parseDumpcapInterfaces(r.stdout);
}

/** Throws with the how-to-enable message when neither `cap` nor dumpcap is there. */
export function listInterfaces(): InterfaceInfo[] {
  const cap = capInterfaces();
  if ('list' in cap) return cap.list;
  const dumpcap = findDumpcap();
  if (!dumpcap) throw new Error(cap.why);
  return dumpcapInterfaces(dumpcap);
}

/** The interfaces one backend lists: the names that backend may be asked to capture on. */
export function listInterfacesFor(backend: CaptureBackend, dumpcap: string | null = findDumpcap()): InterfaceInfo[] {
  if (backend === 'dumpcap') {
    if (!dumpcap) throw new Error('dumpcap is not installed');
    return dumpcapInterfaces(dumpcap);
  }
  const cap = capInterfaces();
  if ('why' in cap) throw new Error(cap.why);
  return cap.list;
}
