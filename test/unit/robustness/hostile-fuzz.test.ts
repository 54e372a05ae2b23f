/**
 * The hostile part of `npm run fuzz` (test/fuzz/hostile.ts), short: each decompression bomb and
 * the connection flood stops at its limit with the limit's message, and mutants of them (corrupted,
 * cut, spliced) end with a report or a clear refusal within the campaign's time budget.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCampaign } from '../../fuzz/campaign';
import { hostileSources, runHostileCases } from '../../fuzz/hostile';

test('bombs and floods run whole stop at their limits, with their messages', async () => {
  const outcomes = await runHostileCases();
  assert.equal(outcomes.length, 4);
  assert.deepEqual(
    outcomes.filter((o) => o.failure).map((o) => `${o.name}: ${o.failure}`),
    [],
  );
});

test('40 mutants of the bombs and the flood: every run ends with a report or a clear refusal, in time', async () => {
  const res = await runCampaign(hostileSources(), { seed: 2121, runs: 40 });
  assert.deepEqual(
    res.failures.map((f) => `${f.source} ${f.kind} seed ${f.seed}: ${f.error.split('\n')[0]}`),
    [],
  );
  assert.equal(res.runs, 40);
  assert.ok(res.reports > 20, `${res.reports} reports`);
});
