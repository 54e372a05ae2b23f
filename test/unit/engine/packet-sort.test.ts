/**
 * Sorting the packet list (engine side) on real captures: by a number column and a text column,
 * ascending and descending, stable (equal keys keep capture order), within the display filter,
 * IPv4 addresses by value, and back to capture order; and Decode As, which re-reads the capture.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { validateParams } from '../../../electron/shared/validate-params';
import { FIXTURES } from '../../helpers/fixtures';

async function withCapture(path: string, f: (e: Engine, id: string) => Promise<void>): Promise<void> {
  const e = new Engine({});
  try {
    const s = await e.openAndWait(path);
    await f(e, s.info.id);
  } finally {
    await e.close();
  }
}

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');

test('by length, both ways, stable; then back to capture order', async () => {
  await withCapture(LESSON, async (e, id) => {
    const all = await e.getPackets(id, 0, 1000);
    assert.equal((await e.setSort(id, 'length', true)).displayed, all.length);
    const desc = await e.getPackets(id, 0, 1000);
    const want = [...all].sort((a, b) => b.length - a.length || a.no - b.no);
    assert.deepEqual(desc.map((r) => r.no), want.map((r) => r.no));
    await e.setSort(id, 'length', false);
    const asc = await e.getPackets(id, 0, 1000);
    assert.deepEqual(asc.map((r) => r.no), [...all].sort((a, b) => a.length - b.length || a.no - b.no).map((r) => r.no));
    // rowOfFrame finds a frame in the sorted view.
    const sorted = await e.getPackets(id, 0, 1000);
    assert.equal(await e.rowOfFrame(id, sorted[40].no), 40);
    await e.setSort(id, null, false);
    assert.deepEqual((await e.getPackets(id, 0, 1000)).map((r) => r.no), all.map((r) => r.no));
    assert.equal(await e.rowOfFrame(id, 30), 29);
    await e.setFilter(id, 'tcp.port == 1110');
    const filtered = await e.getPackets(id, 0, 1000);
    assert.equal(await e.rowOfFrame(id, filtered[5].no), 5);
    assert.equal(await e.rowOfFrame(id, 1), -1, 'frame 1 (SMTP) is not in the POP3 view');
    assert.equal(await e.rowOfFrame(id, 100000), -1);
  });
});

test('by protocol and info within a display filter; the filter keeps the sort', async () => {
  await withCapture(LESSON, async (e, id) => {
    await e.setSort(id, 'info', false);
    const f = await e.setFilter(id, 'tcp.port == 1110 && tcp.len > 0');
    const rows = await e.getPackets(id, 0, 1000);
    assert.equal(rows.length, f.displayed);
    assert.ok(rows.every((r) => r.connection === 1));
    const infos = rows.map((r) => r.info);
    assert.deepEqual(infos, [...infos].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    await e.setSort(id, 'protocol', true);
    const byProto = await e.getPackets(id, 0, 1000);
    assert.equal(byProto.length, f.displayed, 'the sort stays within the filter');
    assert.deepEqual(byProto.map((r) => r.protocol), [...byProto.map((r) => r.protocol)].sort().reverse());
  });
});

test('IPv4 addresses sort by value, not as text', async () => {
  const file = join(FIXTURES, 'corpus', 'chrissanders-packets', 'http_google.pcapng');
  await withCapture(file, async (e, id) => {
    await e.setSort(id, 'source', false);
    const rows = await e.getPackets(id, 0, 10000);
    const v4 = rows.map((r) => r.source).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
    const num = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    for (let i = 1; i < v4.length; i++) assert.ok(num(v4[i - 1]) <= num(v4[i]), `${v4[i - 1]} before ${v4[i]}`);
    assert.ok(new Set(v4).size > 1);
  });
});

test('the renderer may only ask for known columns', () => {
  assert.equal(validateParams('setSort', ['c1', 'length', true]).ok, true);
  assert.equal(validateParams('setSort', ['c1', null, false]).ok, true);
  assert.equal(validateParams('setSort', ['c1', 'constructor', false]).ok, false);
  assert.equal(validateParams('setSort', ['c1', 'time', 'yes']).ok, false);
});

test('Decode As re-reads the capture with the port forced, keeps earlier rules, and is refused for bad rules', async () => {
  await withCapture(LESSON, async (e, id) => {
    const a = await e.decodeAs(id, [{ port: 1025, protocol: 'unknown' }]);
    await e.session(a.id).ready();
    const rows = await e.getConnections(a.id);
    assert.deepEqual(rows.map((r) => [r.protocol, r.protocolBy]), [['unknown', 'user'], ['pop3', 'port']]);
    assert.equal(a.name, 'smtp-pop3-lesson.pcap');
    const b = await e.decodeAs(a.id, [{ port: 1110, protocol: 'http' }]);
    await e.session(b.id).ready();
    assert.deepEqual((await e.getConnections(b.id)).map((r) => [r.protocol, r.protocolBy]), [['unknown', 'user'], ['http', 'user']]);
    assert.equal(validateParams('decodeAs', ['c1', [{ port: 70000, protocol: 'smtp' }]]).ok, false);
    assert.equal(validateParams('decodeAs', ['c1', [{ port: 25, protocol: 'gopher' }]]).ok, false);
    assert.equal(validateParams('decodeAs', ['c1', [{ port: 25, protocol: 'smtp', extra: 1 }]]).ok, false);
    assert.equal(validateParams('decodeAs', ['c1', [{ port: 25, protocol: 'smtp' }]]).ok, true);
  });
});

test('a filter cleared and a sort asked for at once (as a quick user does): both apply, in the order asked', async () => {
  await withCapture(LESSON, async (e, id) => {
    const all = await e.getPackets(id, 0, 1000);
    assert.equal((await e.setFilter(id, 'pop.request.command == "PASS" || smtp.req.command == "MAIL"')).displayed, 2);
    const [cleared, sorted] = await Promise.all([e.setFilter(id, ''), e.setSort(id, 'length', false)]);
    assert.equal(cleared.displayed, all.length);
    assert.equal(sorted.displayed, all.length);
    const rows = await e.getPackets(id, 0, 1000);
    assert.deepEqual(rows.map((r) => r.no), [...all].sort((a, b) => a.length - b.length || a.no - b.no).map((r) => r.no));
    // And the other way round: a sort, then a filter asked for before the sort answered.
    const [, filtered] = await Promise.all([e.setSort(id, 'length', true), e.setFilter(id, 'smtp')]);
    const smtp = await e.getPackets(id, 0, 1000);
    assert.equal(smtp.length, filtered.displayed);
    assert.ok(smtp.length > 2 && smtp.length < all.length);
    assert.deepEqual(smtp.map((r) => r.length), [...smtp.map((r) => r.length)].sort((a, b) => b - a));
  });
});
