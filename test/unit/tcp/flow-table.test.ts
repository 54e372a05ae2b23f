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
