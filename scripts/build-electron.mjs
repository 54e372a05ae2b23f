#!/usr/bin/env node
// Bundles the Electron main process, the preload and the engine's process (TypeScript → CommonJS, as Electron's sandboxed
// preload requires) into dist/electron/. `electron` and the native `cap` stay external.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron', 'cap'],
  // Code shared with the ESM CLI uses import.meta.url; give the CommonJS bundle an equivalent.
  define: { 'import.meta.url': '__wirelensImportMetaUrl' },
  banner: { js: "const __wirelensImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};
await build({ ...common, entryPoints: [`${root}electron/main/main.ts`], outfile: `${root}dist/electron/main/main.cjs` });
await build({ ...common, entryPoints: [`${root}electron/preload/preload.ts`], outfile: `${root}dist/electron/preload/preload.cjs` });
await build({ ...common, entryPoints: [`${root}electron/engine-host/engine-process.ts`], outfile: `${root}dist/electron/engine-host/engine-process.cjs` });
// The engine's analysis workers (parallel loads of big files), beside the engine process that starts them.
await build({ ...common, entryPoints: [`${root}electron/engine/parallel/analysis-worker.ts`], outfile: `${root}dist/electron/engine-host/analysis-worker.cjs` });
console.log('built dist/electron/main/main.cjs, dist/electron/preload/preload.cjs dist/electron/engine-host/engine-process.cjs and its analysis-worker.cjs');
