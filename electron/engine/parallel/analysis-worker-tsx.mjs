// Starts the analysis worker from its TypeScript source (development, tests, `wirelens` run through
// tsx): worker threads do not inherit the parent's tsx loader, so register it here first. Built
// bundles start their own bundled analysis-worker instead.
import { register } from 'tsx/esm/api';

register();
await import('./analysis-worker.ts');
