/**
 * Issue 21, item 15 (CLI): Ctrl+C or `kill` must not leave the run's temporary directory behind. A
 * signal's default action skips 'exit' handlers; the CLI's handlers end the process with
 * process.exit instead. Checked in child processes that really receive the signals: alone, the
 * process exits at once (128 + signal number) and its run directory is gone; with a command's
 * graceful handler (as serve and capture have), the first signal is left to it and a second ends
 * the process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../helpers/fixtures';
import { waitForOutput } from '../../helpers/child-output';

const SCRIPT = `
import { exitOnSignals } from ${JSON.stringify(join(ROOT, 'electron/cli/signals.ts'))};
import { runTempDir } from ${JSON.stringify(join(ROOT, 'electron/shared/private-temp.ts'))};
import { writeFileSync } from 'node:fs';
exitOnSignals();
const dir = runTempDir();
writeFileSync(dir + '/decompressed.pcap', 'x');
if (process.argv.includes('graceful')) process.once('SIGINT', () => console.log('graceful stop'));
console.log('RUN ' + dir);
setInterval(() => undefined, 1000);
`;

function start(mode: string) {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, mode], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const exited = (c: ReturnType<typeof start>) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    c.on('exit', (code, signal) => r({ code, signal })),
  );

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`${signal}: the process exits with ${code} and its run directory is removed`, async () => {
    const child = start('plain');
    const dir = /RUN (\S+)/.exec(await waitForOutput(child, /RUN \S+/))![1];
    assert.ok(existsSync(join(dir, 'decompressed.pcap')));
    const end = exited(child);
    child.kill(signal);
    assert.deepEqual(await end, { code, signal: null });
    assert.equal(existsSync(dir), false, 'run directory removed');
  });
}

test('a command that stops gracefully gets the first signal; a second one ends the process and cleans up', async () => {
  const child = start('graceful');
  const dir = /RUN (\S+)/.exec(await waitForOutput(child, /RUN \S+/))![1];
  const stopped = waitForOutput(child, /graceful stop/);
  child.kill('SIGINT');
  await stopped;
  assert.ok(existsSync(dir), 'still running after the first signal');
  const end = exited(child);
  child.kill('SIGINT');
  assert.deepEqual(await end, { code: 130, signal: null });
  assert.equal(existsSync(dir), false);
});
