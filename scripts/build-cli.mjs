#!/usr/bin/env node
// Bundles the `wirelens` command line (electron/cli/main.ts) and the engine's analysis worker beside
// it into plain JavaScript in dist/cli/, so the command starts without compiling TypeScript (tsx):
// bin/wirelens.mjs runs the bundle when it is newer than every source file, else the sources.
import { bundleForNode } from './bundle-node.mjs';

await bundleForNode({ cli: 'electron/cli/main.ts', 'analysis-worker': 'electron/engine/parallel/analysis-worker.ts' }, 'dist/cli');
console.log('built dist/cli/cli.mjs and dist/cli/analysis-worker.mjs');
