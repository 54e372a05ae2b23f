/**
 * Address formatting, called twice per packet: table lookups and string concatenation only.
 * IPv6 follows RFC 5952 / inet_ntop (what tshark prints): lowercase, no leading zeros, the longest
 * run (first on ties) of two or more zero groups compressed to "::", IPv4-mapped and -compatible
 * addresses with a dotted-quad tail.
 */

const DEC: string[] = [];
const HEX: string[] = [];
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) {
  DEC.push(String(i));
  HEX.push(i.toString(16));
  HEX2.push(i.toString(16).padStart(2, '0'));
}

/**
 * Recently formatted IPv4 addresses, by value (direct-mapped): a capture's packets come from a few
 * hosts, so most packets get the same string object as the last packet of their address — no
 * allocation per packet, and comparing or hashing it later (connection lookup, direction) is an
 * identity check instead of flattening and comparing a fresh concatenation.
 */
const V4_SLOTS = 4096;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Strings: Array<string | undefined> = new Array<string | undefined>(V4_SLOTS).fill(undefined);

/** Dotted quad of the 4 bytes at `o` (caller checked bounds). */
export function formatIpv4(d: Uint8Array, o: number): string {
  const key = (d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3];
  const slot = (key ^ (key >>> 12) ^ (key >>> 22)) & (V4_SLOTS - 1);
  const hit = v4Strings[slot];
  if (hit !== undefined && v4Keys[slot] === key) return hit;
  const s = DEC[d[o]] + '.' + DEC[d[o + 1]] + '.' + DEC[d[o + 2]] + '.' + DEC[d[o + 3]];
  v4Keys[slot] = key;
  v4Strings[slot] = s;
  return s;
}

/** aa:bb:cc:dd:ee:ff of the 6 bytes at `o` (caller checked bounds). */
export function formatMac(d: Uint8Array, o: number): string {
  return (
    HEX2[d[o]] + ':' + HEX2[d[o + 1]] + ':' + HEX2[d[o + 2]] + ':' + HEX2[d[o + 3]] + ':' + HEX2[d[o + 4]] + ':' + HEX2[d[o + 5]]
  );
}

/** Colon-separated hex of `len` bytes at `o` (link-layer addresses of any length). */
export function formatHexBytes(d: Uint8Array, o: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + HEX2[d[o + i]];
  return s;
}

function group(d: Uint8Array, o: number): string {
  const hi = d[o];
  return hi === 0 ? HEX[d[o + 1]] : HEX[hi] + HEX2[d[o + 1]];
}

/** Recently formatted IPv6 addresses, by value (direct-mapped, as IPv4's above). */
const V6_SLOTS = 1024;
const v6Keys = new Int32Array(V6_SLOTS * 4);
const v6Strings: Array<string | undefined> = new Array<string | undefined>(V6_SLOTS).fill(undefined);

const word = (d: Uint8Array, o: number): number => (d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3];

/** RFC 5952 text of the 16 bytes at `o` (caller checked bounds). */
export function formatIpv6(d: Uint8Array, o: number): string {
  const a = word(d, o);
  const b = word(d, o + 4);
  const c = word(d, o + 8);
  const e = word(d, o + 12);
  const mix = a ^ b ^ c ^ e;
  const slot = (mix ^ (mix >>> 10) ^ (mix >>> 20)) & (V6_SLOTS - 1);
  const k = slot * 4;
  const hit = v6Strings[slot];
  if (hit !== undefined && v6Keys[k] === a && v6Keys[k + 1] === b && v6Keys[k + 2] === c && v6Keys[k + 3] === e) return hit;
  const s = ipv6Text(d, o);
  v6Keys[k] = a;
  v6Keys[k + 1] = b;
  v6Keys[k + 2] = c;
  v6Keys[k + 3] = e;
  v6Strings[slot] = s;
  return s;
}

function ipv6Text(d: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    if (d[o + 2 * g] === 0 && d[o + 2 * g + 1] === 0) {
      if (runStart < 0) runStart = g;
      const len = g - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  if (bestLen < 2) bestStart = -1;
  if (bestStart === 0 && hasIpv4Tail(d, o, bestLen)) {
    return (bestLen === 5 ? '::ffff:' : '::') + formatIpv4(d, o + 12);
  }
  let s = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      s += g === 0 ? '::' : ':';
      g += bestLen - 1;
      continue;
    }
    s += group(d, o + 2 * g);
    if (g < 7) s += ':';
  }
  return s;
}

/** glibc inet_ntop's rule: ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (IPv4-mapped). */
function hasIpv4Tail(d: Uint8Array, o: number, zeroGroups: number): boolean {
  if (zeroGroups === 6) return true;
  return zeroGroups === 5 && d[o + 10] === 0xff && d[o + 11] === 0xff;
}
