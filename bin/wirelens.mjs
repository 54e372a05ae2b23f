#!/usr/bin/env node
// Entry point of the `wirelens` command: runs the bundled CLI (dist/cli/cli.mjs, made by `npm run
// build`) when it is newer than every source file it was built from, else the TypeScript sources
// through tsx (a checkout being worked on; WIRELENS_FROM_SOURCE=1 forces it).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0); // output piped into head(1) and closed: not an error
  throw e;
});

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'cli.mjs');

/** Newest modification time of the TypeScript sources the bundle is made of. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['api', 'dissectors', 'electron']) if (existsSync(join(root, d))) walk(join(root, d));
  return Math.max(newest, statSync(join(root, 'package-lock.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0);
}

const useBundle = process.env.WIRELENS_FROM_SOURCE !== '1' && existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource();
// WIRELENS_SHOW_ENTRY=1: say which (a slow start usually means the sources are being compiled).
if (process.env.WIRELENS_SHOW_ENTRY === '1') process.stderr.write(`wirelens: running ${useBundle ? 'the bundle dist/cli/cli.mjs' : 'the TypeScript sources (tsx)'}\n`);
let main;
if (useBundle) ({ main } = await import(pathToFileURL(bundle).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
process.exitCode = code;
