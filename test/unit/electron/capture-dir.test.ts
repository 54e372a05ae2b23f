/**
 * The live-capture directory under the shared temporary directory: one per user, private, and
 * refused (with what to do) when someone else made it, when it is a link, or when others may use it.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { captureDirPath, ensureCaptureDir } from '../../../electron/capture/capture-dir';

const base = mkdtempSync(join(tmpdir(), 'wirelens-capdir-'));
after(() => rmSync(base, { recursive: true, force: true }));
const uid = process.getuid!();

test('one directory per user, made private', async () => {
  assert.equal(captureDirPath('/tmp', 1000), join('/tmp', 'wirelens-captures-1000'));
  assert.notEqual(captureDirPath('/tmp', 1000), captureDirPath('/tmp', 1001));
  const dir = await ensureCaptureDir(captureDirPath(base, uid), uid);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(await ensureCaptureDir(dir, uid), dir, 'an existing private directory of ours is used again');
});

test('a planted link, a shared directory or another user\'s directory is refused with what to do', async () => {
  const target = join(base, 'elsewhere');
  mkdirSync(target, { mode: 0o700 });
  const link = join(base, 'wirelens-captures-link');
  symlinkSync(target, link);
  await assert.rejects(ensureCaptureDir(link, uid), /is not a directory \(a link or a file\).*Remove it \(or set TMPDIR/);
  const open = join(base, 'wirelens-captures-open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  await assert.rejects(ensureCaptureDir(open, uid), /can be read or written by other users \(mode 777\)/);
  const mine = await ensureCaptureDir(join(base, 'wirelens-captures-x'), uid);
  await assert.rejects(ensureCaptureDir(mine, uid + 1), new RegExp(`belongs to another user \\(uid ${uid}\\)`));
});
