/**
 * Every fixture's ladders equal their reviewed snapshot (fixtures/golden/ladders/*.txt, written by
 * scripts/golden/ladders.ts): a change in what a learner sees is a reviewed change, never an accident.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ladderTextOf } from '../../../scripts/golden/ladders';
import { captureFixtures, fixtureName, goldenPath } from '../../helpers/fixtures';

let compared = 0;
for (const file of captureFixtures()) {
  const gp = goldenPath('ladders', file, '.txt');
  if (!existsSync(gp)) continue;
  test(`ladders equal the reviewed snapshot: ${fixtureName(file)}`, async () => {
    const text = await ladderTextOf(file);
    assert.equal(text, readFileSync(gp, 'utf8'), 'regenerate with `node --import tsx scripts/golden/ladders.ts` and review the diff');
    compared++;
  });
}

test('ladder snapshots exist for the dissected fixtures', () => {
  assert.ok(compared > 100, `${compared} snapshots compared`);
});
