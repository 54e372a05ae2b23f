#!/usr/bin/env node
// `npm start`: launches the desktop app when Electron's binary and the built app are present.
// Until then (no Electron binary could be downloaded, or the app is not built yet) it says so and shows
// the bundled sample lesson capture through the CLI, so `npm start` always shows something true.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const sample = join(root, 'fixtures', 'lessons', 'smtp-pop3-lesson.pcap');
const mainJs = join(root, 'dist', 'electron', 'main', 'main.js');

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
  ? "Electron's binary is not installed (npm could not download it here)"
  : 'the desktop app is not built in this version yet';
console.log(`wirelens: the desktop window cannot open: ${why}.`);
console.log(`wirelens: showing ${file} with the command line instead (npx wirelens --help for more).\n`);
const r = spawnSync(process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'analyze', file], { stdio: 'inherit' });
process.exit(r.status ?? 1);
