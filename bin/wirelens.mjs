#!/usr/bin/env node
// Entry point of the `wirelens` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
