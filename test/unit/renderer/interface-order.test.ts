/**
 * The capture form's interface order: loopback first, then up interfaces with addresses, the rest
 * (down, address-less, pseudo-devices) under "more" — on the list a Debian machine's dumpcap gives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InterfaceInfo } from '../../../api/engine-api';
import { interfaceLabel, orderInterfaces } from '../../../renderer/src/layout/interface-order';

const i = (name: string, o: Partial<InterfaceInfo> = {}): InterfaceInfo => ({
  name,
  description: '',
  addresses: [],
  loopback: false,
  up: true,
  ...o,
});
// As `wirelens` listed them on a Debian container (dumpcap -D -M), in that order.
const LISTED: InterfaceInfo[] = [
  i('eth0', { addresses: ['192.0.2.2', 'fd00::2', 'fe80::fc:ff:fe00:1'] }),
  i('any', { description: 'Pseudo-device that captures on all interfaces' }),
  i('lo', { addresses: ['127.0.0.1', '::1'], loopback: true }),
  i('ifb0', { up: false }),
  i('wlan0', { addresses: ['10.0.0.5'] }),
  i('eth1', { addresses: ['10.1.0.5'], up: false }),
  i('bluetooth-monitor', { description: 'Bluetooth Linux Monitor' }),
  i('nflog', { description: 'Linux netfilter log (NFLOG) interface' }),
  i('nfqueue', { description: 'Linux netfilter queue (NFQUEUE) interface' }),
  i('dbus-system', { description: 'D-Bus system bus' }),
  i('usbmon1', { description: 'Raw USB traffic, bus number 1' }),
];

test('loopback, then up interfaces with addresses; the rest under more, in the system order', () => {
  const { useful, more } = orderInterfaces(LISTED);
  assert.deepEqual(
    useful.map((x) => x.name),
    ['lo', 'eth0', 'wlan0'],
  );
  assert.deepEqual(
    more.map((x) => x.name),
    ['any', 'ifb0', 'eth1', 'bluetooth-monitor', 'nflog', 'nfqueue', 'dbus-system', 'usbmon1'],
  );
  assert.deepEqual(orderInterfaces([]), { useful: [], more: [] });
});

test('labels name loopback, down interfaces, addresses or the description', () => {
  assert.equal(interfaceLabel(LISTED[2]), 'lo (loopback) 127.0.0.1, ::1');
  assert.equal(interfaceLabel(LISTED[0]), 'eth0 192.0.2.2, fd00::2');
  assert.equal(interfaceLabel(LISTED[3]), 'ifb0 (down)');
  assert.equal(interfaceLabel(LISTED[7]), 'nflog — Linux netfilter log (NFLOG) interface');
});
