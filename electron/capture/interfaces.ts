/**
 * The capture interfaces libpcap sees, for the interface picker and `wirelens interfaces`: through
 * `cap`, or — when it is not built (e.g. the engine running on Electron's Node) — from dumpcap's
 * machine-readable list.
 */
import { spawnSync } from 'node:child_process';
import type { InterfaceInfo } from '../../api/engine-api';
import { findDumpcap } from './capture-backend';
import { loadCap, type CapDevice } from './load-cap';
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
    if (!m || !/^[\w.:@-]{1,64}$/.test(m[1])) continue;
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

/** Throws with the how-to-enable message when neither `cap` nor dumpcap is there. */
export function listInterfaces(): InterfaceInfo[] {
  const loaded = loadCap();
  if (loaded.ok) return loaded.cap.Cap.deviceList().map(toInterfaceInfo);
  const dumpcap = findDumpcap();
  if (!dumpcap) throw new Error(loaded.message);
  const r = spawnSync(dumpcap, ['-D', '-M'], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error(`dumpcap could not list the interfaces: ${(r.stderr || r.error?.message || '').trim()}`);
  return parseDumpcapInterfaces(r.stdout);
}
