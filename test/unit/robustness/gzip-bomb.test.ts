/**
 * Issue 21 item 5: a .gz capture that expands far beyond any real capture (a decompression bomb)
 * is stopped while it streams out of gunzip — at its ratio cap, with the limit's message — and
 * leaves nothing in Wirelens's temporary directory; a real .gz capture still opens from there.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { gzipCaptureCap, LIMITS } from '../../../dissectors/limits';
import { openSource } from '../../../electron/engine/file-source';
import { loadCapture } from '../../../electron/engine/load-capture';
import { runTempDir } from '../../../electron/shared/private-temp';
import { FIXTURES } from '../../helpers/fixtures';

const MiB = 1024 * 1024;

/** A pcap header, then gzip members of zeros: `members` × 16 MiB out of a file of about members × 16 KB. */
function bomb(members: number): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const zeros = gzipSync(Buffer.alloc(16 * MiB), { level: 9 });
  return Buffer.concat([gzipSync(header), ...Array.from({ length: members }, () => zeros)]);
}

test('a .gz capture expanding to 1 GiB from 1 MB is refused at its ratio cap, with the message, leaving no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-bomb-'));
  try {
    const path = join(dir, 'bomb.pcap.gz');
    const bytes = bomb(64);
    writeFileSync(path, bytes);
    const cap = gzipCaptureCap(bytes.length);
    assert.ok(cap < 64 * 16 * MiB, 'the cap is below what the file expands to');
    const before = new Set(readdirSync(runTempDir()));
    await assert.rejects(
      openSource(path),
      (e: Error) => e.message === `${path}: ${LIMITS.gzipCaptureRatio.message}`,
    );
    await assert.rejects(loadCapture(path), /expands to more than 100 times its size/);
    assert.deepEqual(
      readdirSync(runTempDir()).filter((n) => !before.has(n)),
      [],
      'the partial copy is removed',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the caps: at least 64 MiB, 100 × the compressed size, never above 8 GiB', () => {
  assert.equal(gzipCaptureCap(1000), 64 * MiB);
  assert.equal(gzipCaptureCap(10 * MiB), 1000 * MiB);
  assert.equal(gzipCaptureCap(1024 * MiB), LIMITS.gzipCaptureBytes.value);
  assert.equal(LIMITS.gzipCaptureBytes.value, 8 * 1024 * MiB);
  assert.match(LIMITS.gzipCaptureBytes.message, /^the compressed file expands to more than 8 GiB/);
});

test('a real .gz capture is decompressed inside the private temporary directory and removed on dispose', async () => {
  const src = await openSource(join(FIXTURES, 'recorded', 'smtp-pop3-lesson.pcap.gz'));
  try {
    assert.ok(src.gzip);
    assert.ok(src.path.startsWith(runTempDir()), src.path);
    assert.equal(statSync(src.path).size, src.size);
  } finally {
    await src.dispose();
  }
  assert.throws(() => statSync(src.path));
});
