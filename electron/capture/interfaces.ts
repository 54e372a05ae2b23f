/** The capture interfaces libpcap sees, for the interface picker and `wirelens interfaces`. */
import type { InterfaceInfo } from '../../api/engine-api';
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

/** Throws with the how-to-enable message when the binding is missing. */
export function listInterfaces(): InterfaceInfo[] {
  const loaded = loadCap();
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.cap.Cap.deviceList().map(toInterfaceInfo);
}
