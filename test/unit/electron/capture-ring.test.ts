/**
 * The kernel ring a live capture asks libpcap for: sized by the interface's MTU (libpcap's
 * immediate mode uses one MTU-sized frame per packet), within 128-256 MiB.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bufferMbForMtu, defaultBufferMb, interfaceMtu, MAX_AUTO_BUFFER_MB, DEFAULT_BUFFER_MB } from '../../../electron/capture/ring-size';

test('Ethernet-sized MTUs keep 128 MiB; the 64 KiB loopback MTU gets 256 MiB (4,000 frames)', () => {
  assert.equal(bufferMbForMtu(1500), DEFAULT_BUFFER_MB);
  assert.equal(bufferMbForMtu(9000), DEFAULT_BUFFER_MB);
  assert.equal(bufferMbForMtu(65536), MAX_AUTO_BUFFER_MB);
  assert.equal(MAX_AUTO_BUFFER_MB, 256);
  // 4,096 frames of a 40,000-byte MTU: between the bounds.
  const mid = bufferMbForMtu(40000);
  assert.ok(mid > DEFAULT_BUFFER_MB && mid < MAX_AUTO_BUFFER_MB, String(mid));
  assert.ok((mid * 1024 * 1024) / (40000 + 18) >= 4096);
});

test('an unknown MTU falls back to 128 MiB', () => {
  assert.equal(bufferMbForMtu(null), DEFAULT_BUFFER_MB);
  assert.equal(bufferMbForMtu(0), DEFAULT_BUFFER_MB);
  assert.equal(bufferMbForMtu(Number.NaN), DEFAULT_BUFFER_MB);
  assert.equal(interfaceMtu('no-such-interface0'), null);
  // Interface names never become paths outside /sys/class/net.
  assert.equal(interfaceMtu('../../../etc/hostname'), null);
  assert.equal(interfaceMtu(''), null);
});

test('the MTU is read from Linux for a real interface (lo)', () => {
  const mtu = Number(readFileSync('/sys/class/net/lo/mtu', 'utf8'));
  assert.equal(interfaceMtu('lo'), mtu);
  assert.equal(defaultBufferMb('lo'), bufferMbForMtu(mtu));
});
