#!/usr/bin/env node
// Entry point of the `wirelens` command: runs the TypeScript CLI through tsx.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0); // output piped into head(1) and closed: not an error
  throw e;
});
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
