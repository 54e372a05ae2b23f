/**
 * IPv4 dotted quads come from a small cache of recent addresses: every address still prints as
 * itself (also addresses that share a cache slot, and after the slot was taken by another), a
 * repeated address gives the same string, and the bytes around the address never matter.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv4 } from '../../../dissectors/net/address';

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
