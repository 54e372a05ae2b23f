/**
 * `analyze --json` connections' `wire` counts — frames each side sent and their lengths on the
 * wire — equal tshark 4.0's `-z conv,tcp` (Wireshark's Statistics › Conversations) on the
 * Statistics captures (fixtures/golden/stats), while `streams` keeps the payload bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatEndpoint } from '../../../dissectors/analysis/endpoint';
import { wireCounts } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';
import { goldenPath, STATS_CAPTURES } from '../../../scripts/golden/stats';
import { FIXTURES } from '../../helpers/fixtures';
import { parseConversations } from '../../helpers/tshark-stats';

let compared = 0;
for (const name of STATS_CAPTURES) {
  test(`frames and wire bytes per connection equal tshark's conversations: ${name}`, async () => {
    const convs = parseConversations(readFileSync(goldenPath(name, 'conv-tcp'), 'utf8'));
    const loaded = await loadCapture(join(FIXTURES, name), { workers: 0 });
    const out = loaded.output;
    const wire = wireCounts(out);
    // tshark's rows by unordered endpoint pair (several connections on the same ports are summed).
    const ours = new Map<string, Map<string, { frames: number; bytes: number }>>();
    for (const m of out.models) {
      // (tshark writes an IPv6 endpoint without brackets: 2001:db8::1:80)
      const c = formatEndpoint(m.client).replace(/[[\]]/g, '');
      const s = formatEndpoint(m.server).replace(/[[\]]/g, '');
      const key = [c, s].sort().join(' ');
      const bySender = ours.get(key) ?? new Map<string, { frames: number; bytes: number }>();
      for (const [from, count] of [
        [c, wire[m.id].client],
        [s, wire[m.id].server],
      ] as const) {
        const had = bySender.get(from) ?? { frames: 0, bytes: 0 };
        bySender.set(from, { frames: had.frames + count.frames, bytes: had.bytes + count.bytes });
      }
      ours.set(key, bySender);
      assert.ok(
        wire[m.id].client.bytes >= (out.states[m.id]?.streams?.client.bytes ?? 0),
        'the wire carries at least the payload',
      );
    }
    for (const row of convs) {
      const bySender = ours.get([row.a, row.b].sort().join(' '));
      assert.ok(bySender, `${row.a} <-> ${row.b} is a connection`);
      assert.deepEqual(
        bySender.get(row.a),
        { frames: row.framesAtoB, bytes: row.bytesAtoB },
        `${row.a} -> ${row.b}`,
      );
      assert.deepEqual(
        bySender.get(row.b),
        { frames: row.framesBtoA, bytes: row.bytesBtoA },
        `${row.b} -> ${row.a}`,
      );
      compared++;
    }
    assert.equal(ours.size, convs.length);
  });
}

test('conversations were compared', () => {
  assert.ok(compared >= 10, `${compared} conversations`);
});
