#!/usr/bin/env node
// `npm run lab [-- OPTIONS]`: `wirelens lab` from a checkout — builds the app's page first when it is
// not built yet, then runs the lab with the options given (see `wirelens lab --help`). Ctrl+C reaches
// the lab, which stops its servers and saves the capture; this script waits for it to finish.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  console.log("wirelens: building the app's page first (once)…");
  const b = spawnSync('npm', ['run', '--silent', 'build:renderer'], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const lab = spawn(process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'lab', ...process.argv.slice(2)], { stdio: 'inherit' });
// The terminal sends Ctrl+C to both processes: the lab handles it, this one only waits.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => lab.kill('SIGTERM'));
lab.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
