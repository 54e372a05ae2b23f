/**
 * A short seeded fuzz campaign over every fixture (test/fuzz): corrupted bytes, truncations, hostile
 * length fields and spliced headers through the whole engine. Every run ends with a report or
 * NotACaptureError, within a time budget proportional to its size. (`npm run fuzz` runs long ones.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCampaign } from '../../fuzz/campaign';
import { captureFixtures, fixtureName } from '../../helpers/fixtures';

test('1500 mutated captures: every run ends with a report or a clear refusal, in time', async () => {
  const sources = captureFixtures()
    .filter((p) => !p.endsWith('.gz'))
    .map((p) => ({ name: fixtureName(p), bytes: new Uint8Array(readFileSync(p)) }));
  const res = await runCampaign(sources, { seed: 424242, runs: 1500 });
  assert.deepEqual(res.failures.map((f) => `${f.source} ${f.kind} seed ${f.seed}: ${f.error.split('\n')[0]}`), []);
  assert.equal(res.runs, 1500);
  assert.ok(res.reports > 1000, `${res.reports} reports`);
});
