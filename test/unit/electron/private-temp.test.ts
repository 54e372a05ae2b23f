/**
 * Wirelens's private temporary directory: made 0700, refused when it is a link or open to others,
 * and the run directories of processes that are gone (a crash, a kill) removed at the next start,
 * while a live process's run and anything else in the directory are left alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensurePrivateRoot, privateTempRoot, removeStaleRuns } from '../../../electron/shared/private-temp';

const base = mkdtempSync(join(tmpdir(), 'wirelens-private-temp-test-'));
after(() => rmSync(base, { recursive: true, force: true }));
const uid = process.getuid?.();

test('the root is made private (0700) under the given base, named by user', () => {
  const root = privateTempRoot(base, 1234);
  assert.equal(root, join(base, 'wirelens-tmp-1234'));
  ensurePrivateRoot(join(base, 'fresh'), uid);
  assert.equal(statSync(join(base, 'fresh')).mode & 0o777, 0o700);
});

test('a root open to other users, or a link planted in its place, is refused with what to do', () => {
  const open = join(base, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  assert.throws(
    () => ensurePrivateRoot(open, uid),
    /can be read or written by other users \(mode 777\).*set TMPDIR/,
  );
  const link = join(base, 'link');
  symlinkSync(base, link);
  assert.throws(() => ensurePrivateRoot(link, uid), /is not a directory \(a link or a file\)/);
});

test("a gone process's run directory is removed; this process's, a live one's and other names are kept", () => {
  const root = join(base, 'runs');
  ensurePrivateRoot(root, uid);
  // A pid that existed and ended: a child that has exited.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  const stale = join(root, `run-${gone}-abcd1234`);
  const mine = join(root, `run-${process.pid}-abcd1234`);
  const parent = join(root, `run-${process.ppid}-abcd1234`);
  const other = join(root, 'uploads-not-a-run');
  for (const d of [stale, mine, parent, other]) mkdirSync(d);
  assert.equal(removeStaleRuns(root), 1);
  assert.equal(existsSync(stale), false);
  for (const d of [mine, parent, other]) assert.ok(existsSync(d), d);
});
