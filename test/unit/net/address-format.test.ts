/**
 * IPv4 dotted quads and IPv6 texts come from small caches of recent addresses: every address still
 * prints as itself (also addresses that share a cache slot, and after the slot was taken by
 * another), a repeated address gives the same string, and the bytes around the address never matter.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv4, formatIpv6 } from '../../../dissectors/net/address';

const quad = (b: number[]) => b.join('.');

test('every address prints as its dotted quad, whatever the cache holds', () => {
  // Deterministic pseudo-random addresses, many more than the cache has slots, twice over.
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const addrs: number[][] = [];
  for (let i = 0; i < 20000; i++) addrs.push([next(), next(), next(), next()]);
  addrs.push([0, 0, 0, 0], [255, 255, 255, 255], [127, 0, 0, 1], [128, 0, 0, 0], [10, 0, 0, 1]);
  for (let round = 0; round < 2; round++) {
    for (const a of addrs) {
      const d = new Uint8Array([9, 9, ...a, 9]);
      assert.equal(formatIpv4(d, 2), quad(a));
    }
  }
});

test('a repeated address is the same string, and its neighbours do not leak in', () => {
  const d = new Uint8Array([192, 168, 1, 20, 192, 168, 1, 21]);
  const a = formatIpv4(d, 0);
  assert.equal(a, '192.168.1.20');
  assert.equal(formatIpv4(d, 4), '192.168.1.21');
  assert.equal(formatIpv4(new Uint8Array([0, 192, 168, 1, 20]), 1), a);
});

/** RFC 5952 text by the WHATWG URL parser (which compresses the same way), for addresses without an IPv4 tail. */
function referenceIpv6(b: number[]): string {
  const groups = [];
  for (let g = 0; g < 8; g++) groups.push(((b[2 * g] << 8) | b[2 * g + 1]).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

test('every IPv6 address prints as its RFC 5952 text, whatever the cache holds', () => {
  let x = 777;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const addrs: number[][] = [];
  for (let i = 0; i < 6000; i++) {
    const a = Array.from({ length: 16 }, next);
    // Zero runs of every length and place, as real addresses have (2001:db8::1, fe80::…).
    const from = next() % 16;
    const len = next() % 12;
    for (let k = from; k < Math.min(16, from + len); k++) a[k] = 0;
    if (a.slice(0, 12).every((v) => v === 0) || (a.slice(0, 10).every((v) => v === 0) && a[10] === 0xff && a[11] === 0xff)) a[0] = 0x20;
    addrs.push(a);
  }
  for (let round = 0; round < 2; round++) {
    for (const a of addrs) assert.equal(formatIpv6(new Uint8Array([7, ...a, 7]), 1), referenceIpv6(a));
  }
  // Addresses with an IPv4 tail, also through the cache.
  const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1];
  for (let round = 0; round < 2; round++) assert.equal(formatIpv6(new Uint8Array(mapped), 0), '::ffff:192.0.2.1');
});
