#!/usr/bin/env node
// Bundles the benchmark's entries (bench/analyze-file.ts: the same engine `wirelens analyze` runs;
// bench/framing-loop.ts) into plain JavaScript, so `npm run bench` measures the engine, not
// TypeScript compilation at start-up (tsx). Output: dist/bench/*.mjs.
import { bundleForNode } from './bundle-node.mjs';

// The analysis worker is bundled beside them (parallel loads start it from there).
await bundleForNode(
  { 'analyze-file': 'bench/analyze-file.ts', 'framing-loop': 'bench/framing-loop.ts', 'analysis-worker': 'electron/engine/parallel/analysis-worker.ts' },
  'dist/bench',
);
