/**
 * TCP analysis flags against tshark's tcp.analysis.* fields on every fixture (fixtures/golden/tcp):
 * retransmission, fast and spurious retransmission, out-of-order, duplicate ACK, keep-alive, lost
 * segment, zero window, window update, zero-window probe. Known differences are named.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { captureFixtures, fixtureName, goldenPath } from '../../helpers/fixtures';
import { runTcp } from '../../helpers/tcp-run';

const FLAGS = [
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.keep_alive',
  'tcp.analysis.lost_segment',
  'tcp.analysis.zero_window',
  'tcp.analysis.window_update',
  'tcp.analysis.zero_window_probe',
];

/** fixture → frames whose flags differ from tshark's, and why. */
const KNOWN: Record<string, { frames: number[]; why: string }> = {};

const totals = { frames: 0, flags: 0 };

for (const file of captureFixtures()) {
  const gp = goldenPath('tcp', file, '.json');
  if (!existsSync(gp)) continue;
  const name = fixtureName(file);
  test(`TCP analysis flags match tshark: ${name}`, () => {
    const golden = JSON.parse(readFileSync(gp, 'utf8')) as {
      frames: Array<{ frame: number; analysis: string[] }>;
    };
    const run = runTcp(readFileSync(file));
    const skip = new Set(KNOWN[name]?.frames ?? []);
    const problems: string[] = [];
    for (const g of golden.frames) {
      const v = run.verdicts.get(g.frame);
      if (!v || skip.has(g.frame)) continue;
      totals.frames++;
      const want = g.analysis.filter((a) => FLAGS.includes(a)).sort();
      const got = v.analysis.filter((a) => FLAGS.includes(a)).sort();
      totals.flags += want.length;
      if (JSON.stringify(want) !== JSON.stringify(got))
        problems.push(`frame ${g.frame}: ours [${got.join(' ')}], tshark [${want.join(' ')}]`);
    }
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} frames differ`);
  });
}

test('analysis flags were compared on real retransmissions and reordering', () => {
  assert.ok(totals.flags > 800, JSON.stringify(totals));
});
