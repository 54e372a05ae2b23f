/**
 * tshark's exported HTTP objects (`--export-objects http`: bodies de-chunked and decompressed) for the
 * fixtures with HTTP, as size + sha256 per object: fixtures/golden/http-objects/<name>.json.
 * The test compares them with Wirelens's HTTP bodies (decoded when Content-Encoding says so).
 *
 * Run: node --import tsx scripts/golden/http-objects.ts   (needs tshark)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goldenNameFor, listCaptures } from './net';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'fixtures', 'golden', 'http-objects');

function main(): void {
  mkdirSync(OUT, { recursive: true });
  let n = 0;
  for (const capture of listCaptures(join(ROOT, 'fixtures'))) {
    const app = join(ROOT, 'fixtures', 'golden', 'app', goldenNameFor(capture));
    if (!existsSync(app) || !/\thttp|HTTP|\tGET\t|\tPOST\t/.test(readFileSync(app, 'utf8'))) continue;
    const dir = mkdtempSync(join(tmpdir(), 'wirelens-eo-'));
    spawnSync('tshark', ['-n', '-r', capture, '-q', '--export-objects', `http,${dir}`], { stdio: 'ignore' });
    const objects = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)))
      .map((b) => ({ size: b.length, sha256: createHash('sha256').update(b).digest('hex') }))
      .sort((a, b) => a.sha256.localeCompare(b.sha256));
    rmSync(dir, { recursive: true, force: true });
    if (!objects.length) continue;
    writeFileSync(join(OUT, goldenNameFor(capture).replace(/\.tsv$/, '.json')), JSON.stringify(objects, null, 1) + '\n');
    n++;
  }
  console.log(`wrote ${n} HTTP object lists to fixtures/golden/http-objects`);
}

main();
