/**
 * Interface counters from the kernel (Linux /sys/class/net/IFACE/statistics), read at the start
 * and during a capture. The `cap` binding exposes no pcap_stats(), so these stand in for the
 * kernel statistics: packets the interface received since the capture began and packets the
 * interface itself dropped. Elsewhere (macOS, Windows) the counters are null.
 */
import { readFileSync } from 'node:fs';

export interface InterfaceCounters {
  rxPackets: number;
  rxDropped: number;
}

function counter(iface: string, name: string): number | null {
  if (!/^[\w.:@-]{1,64}$/.test(iface)) return null;
  try {
    const n = Number(readFileSync(`/sys/class/net/${iface}/statistics/${name}`, 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function readInterfaceCounters(iface: string): InterfaceCounters | null {
  const rxPackets = counter(iface, 'rx_packets');
  const rxDropped = counter(iface, 'rx_dropped');
  if (rxPackets === null || rxDropped === null) return null;
  return { rxPackets, rxDropped };
}

/** Counters since `start` (wrap-around of 64-bit counters is not a concern in practice). */
export function countersSince(start: InterfaceCounters | null, now: InterfaceCounters | null): InterfaceCounters | null {
  if (!start || !now) return null;
  return { rxPackets: Math.max(0, now.rxPackets - start.rxPackets), rxDropped: Math.max(0, now.rxDropped - start.rxDropped) };
}
