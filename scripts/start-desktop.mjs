#!/usr/bin/env node
// `npm start`: launches the desktop app when Electron's binary and the built app are present.
// Until then (no Electron binary could be downloaded, or the desktop shell is not built yet) it says so
// and starts browser mode on the bundled sample lesson capture (or the FILE given).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const sample = join(root, 'fixtures', 'lessons', 'smtp-pop3-lesson.pcap');
const mainJs = join(root, 'dist', 'electron', 'main', 'main.cjs');

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary's path, or throws if it was never downloaded
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const file = process.argv[2] ?? sample;
if (binary && existsSync(mainJs)) {
  const r = spawnSync(binary, [mainJs, file], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const why = !binary
  ? "Electron's binary is not installed (npm could not download it here; `npx electron --version` retries)"
  : 'the desktop shell is not built in this version yet';
console.log(`wirelens: the desktop window cannot open: ${why}.`);
console.log('wirelens: starting browser mode instead: the same app at the URL below (Ctrl+C to stop).\n');
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const b = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'serve', file], { stdio: 'inherit' });
process.exit(r.status ?? 1);
