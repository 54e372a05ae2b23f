#!/usr/bin/env node
// `npm run build` / `npm run web`: builds the renderer with Vite once the UI exists in this checkout;
// until then it says so plainly instead of failing inside Vite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const config = join(root, 'renderer', 'vite.config.ts');
if (!existsSync(config)) {
  console.error('wirelens: the user interface (renderer/) is not in this version yet, so there is nothing to build or serve.');
  console.error("wirelens: use 'npx wirelens analyze FILE' or 'npx wirelens follow FILE ID' meanwhile.");
  process.exit(1);
}
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const r = spawnSync(process.execPath, [vite, 'build', '--config', config], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
