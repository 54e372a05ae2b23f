/**
 * Regenerates every golden file under fixtures/golden/ from tshark/capinfos by running each
 * generator in scripts/golden/ (`npm run golden`, or `npm run golden -- net tcp` for some).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('./golden/', import.meta.url).pathname;
const wanted = new Set(process.argv.slice(2));
const generators = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => wanted.size === 0 || wanted.has(f.replace(/\.ts$/, '')))
  .sort();

if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('tshark is not installed: run `bash scripts/install-system-deps.sh` (Debian) first.');
  process.exit(1);
}
let failed = 0;
for (const g of generators) {
  console.log(`== ${g}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, g)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${g} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
