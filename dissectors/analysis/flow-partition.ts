/**
 * Which share of the work a packet belongs to when connections are dissected in parallel: all
 * packets between the same two IP addresses go to the same share, whatever their direction, so a
 * TCP connection, its IPv4 fragments and an FTP control connection with its data connections are
 * always dissected together. Packets without an IP pair (ARP, unknown link types) go to share 0.
 */
import { decodeLink } from '../net/decode';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../net/link-layers';
import type { Diagnostic } from '../model/diagnostic';

const scratch: Diagnostic[] = [];

/** Share (0 … shares-1) of a packet. */
export function flowShare(linkType: number, data: Uint8Array, shares: number): number {
  if (shares <= 1) return 0;
  scratch.length = 0;
  const link = decodeLink(linkType, data, 0, scratch, null);
  if (!link) return 0;
  const o = link.offset;
  let a = 0;
  let b = 0;
  if (link.etherType === ETHERTYPE_IPV4 && o + 20 <= data.length) {
    a = word(data, o + 12);
    b = word(data, o + 16);
  } else if (link.etherType === ETHERTYPE_IPV6 && o + 40 <= data.length) {
    for (let k = 0; k < 16; k += 4) {
      a = Math.imul(a ^ word(data, o + 8 + k), 0x9e3779b1);
      b = Math.imul(b ^ word(data, o + 24 + k), 0x9e3779b1);
    }
  } else return 0;
  // Symmetric in the two addresses, then mixed so neighbouring addresses spread.
  let h = (a ^ b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h % shares;
}

function word(d: Uint8Array, o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) | 0;
}
