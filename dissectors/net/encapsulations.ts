/**
 * Capture encapsulations that wrap a whole packet: Linux NFLOG (link type 239, a TLV list whose
 * payload TLV holds the IP packet) and Apple PKTAP (258, a header naming the inner link type).
 * Each returns the inner bytes and how to decode them, or null (with a diagnostic).
 */
import type { Diagnostic } from '../model/diagnostic';
import { diag } from '../model/diagnostic';

export interface Inner {
  linkType: number;
  data: Uint8Array;
}

const NFULA_PAYLOAD = 9;

export function unwrapNflog(d: Uint8Array, frame: number, diags: Diagnostic[]): Inner | null {
  if (d.length < 4) {
    diags.push(diag('nflog.header.truncated', 'error', 'malformed', 'NFLOG header truncated', frame));
    return null;
  }
  const family = d[0];
  for (let p = 4; p + 4 <= d.length; ) {
    // TLV lengths are in the capturing host's byte order; little-endian hosts are the norm.
    let len = d[p] | (d[p + 1] << 8);
    let type = (d[p + 2] | (d[p + 3] << 8)) & 0x7fff;
    if (len < 4 || p + len > d.length) {
      len = (d[p] << 8) | d[p + 1];
      type = ((d[p + 2] << 8) | d[p + 3]) & 0x7fff;
    }
    if (len < 4 || p + len > d.length) break;
    if (type === NFULA_PAYLOAD) return { linkType: family === 10 ? 229 : 228, data: d.subarray(p + 4, p + len) };
    p += (len + 3) & ~3;
  }
  diags.push(diag('nflog.payload.missing', 'note', 'undecoded', 'NFLOG record without a packet payload', frame));
  return null;
}

export function unwrapPktap(d: Uint8Array, frame: number, diags: Diagnostic[]): Inner | null {
  if (d.length < 12) {
    diags.push(diag('pktap.header.truncated', 'error', 'malformed', 'PKTAP header truncated', frame));
    return null;
  }
  const hlen = (d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0;
  const dlt = (d[8] | (d[9] << 8) | (d[10] << 16) | (d[11] << 24)) >>> 0;
  if (hlen < 12 || hlen > d.length) {
    diags.push(diag('pktap.header.length_invalid', 'error', 'malformed', `PKTAP header length ${hlen}`, frame));
    return null;
  }
  return { linkType: dlt, data: d.subarray(hlen) };
}
