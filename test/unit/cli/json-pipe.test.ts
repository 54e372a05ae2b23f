/**
 * `wirelens analyze FILE --json` and `packets FILE --json` as a user pipes them (`| jq`, a script):
 * the real command in a child process, its stdout a pipe read by a slow reader. The output must be
 * complete and identical — to the report's JSON.stringify, and to what the command writes when
 * nobody makes it wait.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { FIXTURES, ROOT } from '../../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
// The fixture with the biggest report (~430 KB of JSON, ~200 KB of packet rows): several times a pipe's 64 KiB buffer.
const CAPTURE = join(FIXTURES, 'corpus', 'chrissanders-packets', 'http_espn.pcapng');

/** Runs the command with a reader that stops for 15 ms after every chunk it gets (at most 64 KiB). */
function readSlowly(
  args: string[],
): Promise<{ code: number | null; out: Buffer; err: string; pauses: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    let pauses = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.stdout.on('data', (b: Buffer) => {
      chunks.push(b);
      pauses++;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 15);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks), err, pauses }));
  });
}

test('analyze --json piped into a slow reader: complete, and the same bytes as JSON.stringify of the report', async () => {
  const engine = new Engine({ batch: true });
  let expected: string;
  try {
    const report = (await engine.openAndWait(CAPTURE)).fullReport();
    expected =
      JSON.stringify(report, (_k, v: unknown) => (v instanceof Uint8Array ? undefined : v), 2) + '\n';
  } finally {
    await engine.close();
  }
  const r = await readSlowly(['analyze', CAPTURE, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.length > 400_000, `${r.out.length} bytes`);
  assert.ok(r.pauses > 5, `the reader made the command wait (${r.pauses} pauses)`);
  assert.equal(r.out.toString('utf8'), expected);
});

test('packets --json piped into a slow reader: the same bytes as written without waiting', async () => {
  const quick = spawnSync(process.execPath, [BIN, 'packets', CAPTURE, '--json'], { maxBuffer: 256 << 20 });
  assert.equal(quick.status, 0, String(quick.stderr));
  const rows = JSON.parse(String(quick.stdout)) as Array<{ no: number }>;
  assert.ok(rows.length > 900, `${rows.length} rows`);
  assert.deepEqual(
    rows.map((x) => x.no),
    Array.from({ length: rows.length }, (_, i) => i + 1),
  );
  const r = await readSlowly(['packets', CAPTURE, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.ok(r.pauses > 2, `the reader made the command wait (${r.pauses} pauses)`);
  assert.ok(r.out.equals(quick.stdout), 'identical output');
});
