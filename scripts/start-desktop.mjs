#!/usr/bin/env node
// `npm start [-- FILE] [-- --port N]`: launches the desktop app when Electron's binary and the built
// app are present. Until then (no Electron binary could be downloaded, or the desktop shell is not
// built yet) it says so and starts browser mode on the bundled sample lesson capture (or the FILE
// given), on port N (default 8717); a port already taken is said before anything starts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
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

/** FILE and --port N (or --port=N) from the command line; anything else is an error said plainly. */
function parseArgs(argv) {
  let file = null;
  let port = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--port(?:=(.*))?$/.exec(a);
    if (m) {
      const text = m[1] ?? argv[++i];
      if (!/^\d{1,5}$/.test(text ?? '') || Number(text) < 1 || Number(text) > 65535) fail(`--port needs a port number (1-65535), got '${text ?? ''}'`);
      port = Number(text);
    } else if (a.startsWith('-')) fail(`unknown option '${a}' (npm start takes a capture FILE and --port N)`);
    else if (file === null) file = a;
    else fail(`one capture FILE at a time (got '${file}' and '${a}')`);
  }
  return { file: file ?? sample, port };
}

function fail(message) {
  console.error(`wirelens: ${message}`);
  process.exit(2);
}

/** Whether 127.0.0.1:port can be listened on now. */
function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const binary = electronBinary();
const { file, port } = parseArgs(process.argv.slice(2));
if (binary && existsSync(mainJs)) {
  if (port !== null) console.log('wirelens: --port is for browser mode; the desktop window needs no port.');
  const r = spawnSync(binary, [mainJs, file], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const why = !binary
  ? "Electron's binary is not installed (npm could not download it here; `npx electron --version` retries)"
  : 'the desktop shell is not built in this version yet';
const servePort = port ?? 8717;
if (!(await portFree(servePort))) fail(`port ${servePort} is already in use by another program (another Wirelens?): stop it, or start on another port with \`npm start -- --port N\``);
console.log(`wirelens: the desktop window cannot open: ${why}.`);
console.log('wirelens: starting browser mode instead: the same app at the URL below (Ctrl+C to stop).\n');
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const b = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'serve', file, '--port', String(servePort)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
