#!/usr/bin/env node
// Bundles the benchmark's entries (bench/analyze-file.ts: the same engine `wirelens analyze` runs;
// bench/framing-loop.ts) into plain JavaScript, so `npm run bench` measures the engine, not
// TypeScript compilation at start-up (tsx). Output: dist/bench/*.mjs.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
// The analysis worker is bundled beside them (parallel loads start it from there).
const entries = { 'analyze-file': 'bench/analyze-file.ts', 'framing-loop': 'bench/framing-loop.ts', 'analysis-worker': 'electron/engine/parallel/analysis-worker.ts' };
for (const [name, entry] of Object.entries(entries))
await build({
  entryPoints: [`${root}${entry}`],
  outfile: `${root}dist/bench/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['cap'],
  banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
