/** How big a kernel ring a live capture asks libpcap for. */
import { readFileSync } from 'node:fs';

/**
 * libpcap's kernel ring. `cap` opens in immediate mode, where libpcap uses fixed-size frames
 * (TPACKET_V2) sized by the interface's MTU: on lo (64 KiB) 128 MiB is only ~2,000 packets, which a
 * 100k packets/s burst fills in 20 ms of scheduling delay (it lost 46-401 of 300,000 here). So the
 * ring is sized to hold RING_FRAMES packets of the interface's MTU, within 128-256 MiB: 128 MiB
 * for Ethernet-sized MTUs (80,000 frames), 256 MiB on lo (4,000 frames; libpcap maps it as
 * 512 MiB: one 64 KiB frame per 128 KiB block). Bursts of 300,000 packets at 80-123k packets/s from
 * a Node sender were captured whole in six runs; at an even 100k packets/s immediate mode itself
 * is the limit (tcpdump in that mode loses as much): see README.
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
