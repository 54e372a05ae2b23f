#!/usr/bin/env node
// Bundles the `wirelens` command line (electron/cli/main.ts) and the engine's analysis worker beside
// it into plain JavaScript in dist/cli/, so the command starts without compiling TypeScript (tsx):
// bin/wirelens.mjs runs the bundle when it is newer than every source file, else the sources.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const entries = { cli: 'electron/cli/main.ts', 'analysis-worker': 'electron/engine/parallel/analysis-worker.ts' };
for (const [name, entry] of Object.entries(entries))
  await build({
    entryPoints: [`${root}${entry}`],
    outfile: `${root}dist/cli/${name}.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['cap'],
    banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
console.log('built dist/cli/cli.mjs and dist/cli/analysis-worker.mjs');
