/**
 * Issue 21, item 15 (CLI): `wirelens serve` on a gzip-compressed capture keeps the decompressed
 * copy in its private run directory ($TMPDIR/wirelens-tmp-UID/run-PID-…); Ctrl+C (SIGINT) or
 * `kill` (SIGTERM) stops the server and the directory is removed. (Needs the built renderer:
 * the system tier runs `npm run build` first.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { privateTempRoot } from '../../electron/shared/private-temp';
import { FIXTURES, ROOT } from '../helpers/fixtures';
import { waitForOutput } from '../helpers/child-output';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const GZ = join(FIXTURES, 'recorded', 'smtp-pop3-lesson.pcap.gz');

function runDirsOf(pid: number): string[] {
  const root = privateTempRoot();
  return existsSync(root)
    ? readdirSync(root)
        .filter((n) => n.startsWith(`run-${pid}-`))
        .map((n) => join(root, n))
    : [];
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`serve FILE.gz, then ${signal}: the server stops and the decompressed copy's run directory is gone`, async () => {
    const child = spawn(process.execPath, [BIN, 'serve', GZ, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForOutput(child, /Wirelens is serving .* at http:\/\/127\.0\.0\.1:\d+\//);
    const dirs = runDirsOf(child.pid!);
    assert.equal(dirs.length, 1, 'one run directory');
    const copies = readdirSync(dirs[0], { recursive: true }).map(String);
    assert.ok(
      copies.some((f) => f.endsWith('smtp-pop3-lesson.pcap')),
      `decompressed copy in ${dirs[0]}: ${copies.join(', ')}`,
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('exit', (code, sig) => r({ code, signal: sig })),
    );
    child.kill(signal);
    const end = await exited;
    assert.equal(end.signal, null, 'ended through process exit, not the signal default');
    assert.equal(existsSync(dirs[0]), false, 'run directory removed');
  });
}
