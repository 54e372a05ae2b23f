#!/usr/bin/env node
// Bundles the benchmark's entries (bench/analyze-file.ts: the same engine `wirelens analyze` runs;
// bench/framing-loop.ts) into plain JavaScript, so `npm run bench` measures the engine, not
// TypeScript compilation at start-up (tsx). Output: dist/bench/*.mjs.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
for (const name of ['analyze-file', 'framing-loop'])
await build({
  entryPoints: [`${root}bench/${name}.ts`],
  outfile: `${root}dist/bench/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['cap'],
  banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
