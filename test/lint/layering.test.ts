/** The layering rule bites: forbidden imports at virtual paths are errors, allowed ones pass. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = new URL('../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function errors(code: string, path: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: root + path });
  return r.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

const FORBIDDEN: Array<[string, string]> = [
  ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'dissectors/net/x.ts'],
  ["import { join } from 'path';\nexport const x = join;\n", 'dissectors/net/x.ts'],
  ["import { Engine } from '../../electron/engine/engine';\nexport const x = Engine;\n", 'dissectors/net/x.ts'],
  ["import { app } from 'electron';\nexport const x = app;\n", 'dissectors/net/x.ts'],
  ["import * as d3 from 'd3';\nexport const x = d3;\n", 'dissectors/app/x.ts'],
  ["import { app } from 'electron';\nexport const x = app;\n", 'electron/engine/x.ts'],
  ["import { app } from 'electron';\nexport const x = app;\n", 'electron/cli/x.ts'],
  ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'renderer/src/x.tsx'],
  ["import { Engine } from '../../electron/engine/engine';\nexport const x = Engine;\n", 'renderer/src/x.tsx'],
  ["export const X = (p: { html: string }) => <div dangerouslySetInnerHTML={{ __html: p.html }} />;\n", 'renderer/src/x.tsx'],
];

const ALLOWED: Array<[string, string]> = [
  ["import { app } from 'electron';\nexport const x = app;\n", 'electron/main/x.ts'],
  ["import { contextBridge } from 'electron';\nexport const x = contextBridge;\n", 'electron/preload/x.ts'],
  ["import { diag } from '../model/diagnostic';\nexport const x = diag;\n", 'dissectors/app/x.ts'],
  ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'electron/engine/x.ts'],
  ["import type { EngineApi } from '../../api/engine-api';\nexport type X = EngineApi;\n", 'renderer/src/x.tsx'],
];

for (const [code, path] of FORBIDDEN) {
  test(`layering rule rejects ${code.split('\n')[0].slice(0, 60)} in ${path}`, async () => {
    const errs = await errors(code, path);
    assert.ok(errs.some((e) => /no-restricted-(imports|syntax)/.test(e)), `expected a layering error, got ${JSON.stringify(errs)}`);
  });
}

for (const [code, path] of ALLOWED) {
  test(`layering rule allows ${code.split('\n')[0].slice(0, 60)} in ${path}`, async () => {
    assert.deepEqual(await errors(code, path), []);
  });
}
