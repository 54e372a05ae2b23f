#!/usr/bin/env node
// Test tiers: `unit` (npm test: needs only `npm install`) and `all` (npm run test:all: installs the
// system parts — tshark, Chromium, servers, libpcap — then adds system, end-to-end and live tests).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const tier = process.argv[2] ?? 'unit';
const root = new URL('..', import.meta.url).pathname;

function files(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'helpers') out.push(...files(join(dir, name)));
    } else if (name.endsWith('.test.ts')) out.push(join(dir, name));
  }
  return out.sort();
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const unit = [...files('test/unit'), ...files('test/lint')];
let list = unit;
if (tier === 'all') {
  if (run('bash', ['scripts/install-system-deps.sh']) !== 0) {
    console.error('run-tests: installing system dependencies failed');
    process.exit(1);
  }
  const e2e = files('test/e2e');
  // The renderer bundle is only needed by the end-to-end tests that drive it in Chromium.
  if (e2e.length && run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);
  list = [...unit, ...files('test/system'), ...e2e];
} else if (tier !== 'unit') {
  console.error(`run-tests: unknown tier '${tier}' (unit | all)`);
  process.exit(2);
}
const concurrency = String(Math.max(2, (await import('node:os')).availableParallelism()));
const status = run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec',
  ...list,
]);
process.exit(status);
