/** Absolute packet times and link-type labels for the capture properties view. */
import { linkTypeName } from '../../../dissectors/capture/link-types';

/** Wireshark's long names of the common link types (capinfos's "File encapsulation"). */
const LINK_LABELS: Record<number, string> = {
  0: 'NULL/Loopback',
  1: 'Ethernet',
  12: 'Raw IP',
  101: 'Raw IP',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  239: 'Linux Netfilter NFLOG',
  276: 'Linux cooked-mode capture v2',
};

export function linkLabel(linkType: number): string {
  return LINK_LABELS[linkType] ?? linkTypeName(linkType);
}

/** "2026-11-29 17:52:58.182371" (UTC) for the first packet's time plus `relative` seconds, with `digits` after the second. */
export function absoluteTime(base: { sec: number; nsec: number }, relative: number, digits: number): string {
  const total = base.nsec + Math.round(relative * 1e9);
  const sec = base.sec + Math.floor(total / 1e9);
  const nsec = total - Math.floor(total / 1e9) * 1e9;
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return `invalid (${sec} s)`;
  const day = d.toISOString().slice(0, 19).replace('T', ' ');
  return digits > 0 ? `${day}.${String(nsec).padStart(9, '0').slice(0, digits)}` : day;
}
