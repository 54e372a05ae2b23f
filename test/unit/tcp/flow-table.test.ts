/**
 * The connection table: both directions of a 4-tuple find one entry; tuples that differ only in
 * which side holds which port, or in one address, stay apart; IPv6 and IPv4 alike; a new value for
 * a tuple replaces the old one (port reuse).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowTable } from '../../../dissectors/tcp/flow-table';

test('both directions of a connection find the same entry, and near-identical tuples stay apart', () => {
  const t = new FlowTable<string>();
  t.set('10.0.0.1', 40000, '10.0.0.2', 25, 'smtp');
  assert.equal(t.get('10.0.0.1', 40000, '10.0.0.2', 25), 'smtp');
  assert.equal(t.get('10.0.0.2', 25, '10.0.0.1', 40000), 'smtp');
  // The same ports on the other sides, another address, another port: other connections.
  assert.equal(t.get('10.0.0.1', 25, '10.0.0.2', 40000), undefined);
  assert.equal(t.get('10.0.0.3', 40000, '10.0.0.2', 25), undefined);
  assert.equal(t.get('10.0.0.1', 40001, '10.0.0.2', 25), undefined);
  t.set('10.0.0.2', 25, '10.0.0.1', 40000, 'reused');
  assert.equal(t.get('10.0.0.1', 40000, '10.0.0.2', 25), 'reused');
});

test('one host talking to itself (loopback): ports alone tell the ends apart', () => {
  const t = new FlowTable<number>();
  t.set('127.0.0.1', 1025, '127.0.0.1', 50000, 1);
  t.set('127.0.0.1', 65535, '127.0.0.1', 0, 2);
  assert.equal(t.get('127.0.0.1', 50000, '127.0.0.1', 1025), 1);
  assert.equal(t.get('127.0.0.1', 1025, '127.0.0.1', 50000), 1);
  assert.equal(t.get('127.0.0.1', 0, '127.0.0.1', 65535), 2);
  assert.equal(t.get('127.0.0.1', 1025, '127.0.0.1', 1025), undefined);
});

test('IPv6 endpoints, and every port pair a distinct key', () => {
  const t = new FlowTable<string>();
  t.set('::1', 110, '2001:db8::1', 51000, 'pop3');
  assert.equal(t.get('2001:db8::1', 51000, '::1', 110), 'pop3');
  for (const [a, b] of [[0, 65535], [65535, 0], [1, 0], [0, 1], [256, 1], [1, 256]]) t.set('a', a, 'b', b, `${a}-${b}`);
  for (const [a, b] of [[0, 65535], [65535, 0], [1, 0], [0, 1], [256, 1], [1, 256]]) assert.equal(t.get('b', b, 'a', a), `${a}-${b}`);
  t.clear();
  assert.equal(t.get('::1', 110, '2001:db8::1', 51000), undefined);
});

test('thousands of tuples, many sharing their ports or their addresses, each find their own value in either direction', () => {
  const t = new FlowTable<number>();
  const want = new Map<string, number>();
  const canonical = (a: string, pa: number, b: string, pb: number) => (a + ' ' + pa < b + ' ' + pb ? `${a} ${pa}|${b} ${pb}` : `${b} ${pb}|${a} ${pa}`);
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(seed / 65536) % n; // the high bits: the low ones of this generator repeat quickly
  };
  const hosts = ['10.0.0.1', '10.0.0.2', '10.0.0.10', '192.168.1.1', '::1', '2001:db8::1', 'fe80::1'];
  // Fresh strings as well as shared ones: equal addresses must match whether or not they are the same object.
  const host = () => (rand(2) ? hosts[rand(hosts.length)] : [...hosts[rand(hosts.length)]].join(''));
  const port = () => [25, 110, 80, 443, 0, 65535, 32768, 40000 + rand(20)][rand(8)];
  for (let i = 0; i < 20000; i++) {
    const [a, pa, b, pb] = [host(), port(), host(), port()];
    if (rand(3) === 0) {
      t.set(a, pa, b, pb, i);
      want.set(canonical(a, pa, b, pb), i);
    } else {
      const expected = want.get(canonical(a, pa, b, pb));
      assert.equal(t.get(a, pa, b, pb), expected, `${a} ${pa} ${b} ${pb}`);
      assert.equal(t.get(b, pb, a, pa), expected, `${b} ${pb} ${a} ${pa}`);
    }
  }
  assert.ok(want.size > 1000, `${want.size} distinct tuples`);
});
