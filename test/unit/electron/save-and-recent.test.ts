/**
 * File → Save As and Open Recent without Electron: saving copies through a temporary file and a
 * rename (an existing file is replaced only whole; a failed save leaves no partial file and the old
 * file intact), the proposed name is safe, and the recent list survives a restart and damage.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadRecent, rememberRecent, saveRecent } from '../../../electron/main/recent-files';
import { saveBytesAtomically, saveCopyAtomically, suggestedSaveName } from '../../../electron/main/save-copy';
import { FIXTURES } from '../../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-save-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('Save As copies the capture byte for byte and replaces an existing file whole', async () => {
  const src = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
  const dest = join(dir, 'lesson.pcap');
  writeFileSync(dest, 'an older file');
  const n = await saveCopyAtomically(src, dest);
  assert.equal(n, readFileSync(src).length);
  assert.deepEqual(readFileSync(dest), readFileSync(src));
  assert.deepEqual(readdirSync(dir), ['lesson.pcap'], 'no temporary file left behind');
});

test('a failed save leaves the old file as it was and no partial file', async () => {
  const dest = join(dir, 'keep.pcapng');
  writeFileSync(dest, 'keep me');
  await assert.rejects(saveCopyAtomically(join(dir, 'does-not-exist.pcapng'), dest));
  assert.equal(readFileSync(dest, 'utf8'), 'keep me');
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.part')));
  await assert.rejects(saveCopyAtomically(join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'), join(dir, 'no-such-folder', 'x.pcap')));
});

test('saved bytes (an attachment) are written whole under the chosen name, replacing an old file', async () => {
  const dest = join(dir, 'homework.txt');
  writeFileSync(dest, 'old');
  await saveBytesAtomically(dest, new TextEncoder().encode('Homework 3\n'));
  assert.equal(readFileSync(dest, 'utf8'), 'Homework 3\n');
  await assert.rejects(saveBytesAtomically(join(dir, 'missing-folder', 'a.txt'), new Uint8Array(1)));
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.part')));
});

test('the proposed file name comes from the capture name, made safe', () => {
  assert.equal(suggestedSaveName('live: lo (tcp port 1025)', '/tmp/wirelens-captures/c1-lo.pcapng'), 'live-lo_tcp_port_1025_.pcapng');
  assert.equal(suggestedSaveName('lesson.pcap.gz', '/tmp/x/lesson.pcap'), 'lesson.pcap');
  assert.equal(suggestedSaveName('../../etc/passwd', '/tmp/x.pcap'), 'etc_passwd.pcap');
});

test('Open Recent: newest first, no duplicates, at most ten, kept across runs, damage tolerated', async () => {
  let list: string[] = [];
  for (let i = 0; i < 12; i++) list = rememberRecent(list, `/captures/${i}.pcap`);
  list = rememberRecent(list, '/captures/5.pcap');
  assert.equal(list.length, 10);
  assert.deepEqual(list.slice(0, 3), ['/captures/5.pcap', '/captures/11.pcap', '/captures/10.pcap']);
  const file = join(dir, 'state', 'recent-files.json');
  await saveRecent(file, list);
  assert.deepEqual(await loadRecent(file), list);
  writeFileSync(file, '{"not": "a list"');
  assert.deepEqual(await loadRecent(file), []);
  writeFileSync(file, JSON.stringify(['relative/path.pcap', 42, '/ok.pcap']));
  assert.deepEqual(await loadRecent(file), ['/ok.pcap']);
  assert.deepEqual(await loadRecent(join(dir, 'missing.json')), []);
  assert.ok(existsSync(file));
});
