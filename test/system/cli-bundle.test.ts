/**
 * The `wirelens` command runs its bundle (dist/cli/, made by `npm run build`, which this tier runs
 * first) when it is newer than the sources, and the TypeScript sources otherwise: both give the same
 * answers — one thread and two worker threads (whose code the bundle finds beside it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../helpers/fixtures';

const ROOT = join(FIXTURES, '..');
const BIN = join(ROOT, 'bin', 'wirelens.mjs');

function wirelens(args: string[], env: Record<string, string> = {}): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, WIRELENS_SHOW_ENTRY: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

test('the bundled command and the sources give the same analysis, with one thread and with worker threads', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'cli.mjs')), 'npm run build made dist/cli/cli.mjs');
  for (const file of [join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'), join(FIXTURES, 'bench-small', 'bench-eth-s6.pcap')]) {
    for (const extra of [[], ['--workers', '2']]) {
      const bundled = wirelens(['analyze', '--json', ...extra, file]);
      const sources = wirelens(['analyze', '--json', ...extra, file], { WIRELENS_FROM_SOURCE: '1' });
      assert.equal(bundled.status, 0, bundled.err);
      assert.equal(sources.status, 0, sources.err);
      assert.match(bundled.err, /running the bundle dist\/cli\/cli\.mjs/);
      assert.match(sources.err, /running the TypeScript sources/);
      assert.ok(JSON.parse(bundled.out).connections.length > 0);
      assert.equal(bundled.out, sources.out, `${file} ${extra.join(' ')}`);
    }
  }
});
