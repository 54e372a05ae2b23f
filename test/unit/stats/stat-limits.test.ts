/** The Statistics tables stay bounded on hostile input: row caps, interval counts, interval boundaries in nanoseconds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationTable, MAX_STAT_ROWS } from '../../../dissectors/stats/tables';
import { intervalOf, ioInterval, MAX_IO_INTERVALS } from '../../../dissectors/stats/io-graph';

describe('statistics limits', () => {
  it('a conversation table stops at MAX_STAT_ROWS and says so, still counting known rows', () => {
    const t = new ConversationTable();
    for (let k = 0; k < MAX_STAT_ROWS + 10; k++)
      t.add(`10.${k >> 16}.${(k >> 8) & 255}.${k & 255}`, '192.0.2.1', 60, 0, k, k + 1);
    assert.equal(t.list().length, MAX_STAT_ROWS);
    assert.equal(t.truncated, true);
    t.add('192.0.2.1', '10.0.0.0', 100, 40, 5, 9);
    const r = t.list()[0];
    assert.deepEqual(
      [r.framesAtoB, r.framesBtoA, r.bytesBtoA, r.payloadBtoA, r.duration],
      [1, 1, 100, 40, 5],
    );
  });

  it('an interval too short for the capture grows tenfold until it fits', () => {
    const day = 86400;
    const i = ioInterval(0.001, day);
    assert.ok(day / i < MAX_IO_INTERVALS);
    assert.equal(ioInterval(-3, 10), 1);
    assert.equal(ioInterval(Number.NaN, 10), 1);
  });

  it('a packet at exactly 2 s falls in interval 2, whatever the float error', () => {
    assert.equal(intervalOf(0.1 + 0.2 + 1.7, 1), 2);
    assert.equal(intervalOf(1.999999999, 1), 1);
    assert.equal(intervalOf(0.3, 0.1), 3);
  });
});

describe('statistics pass', () => {
  it('two requests at once share one pass, and the engine answers rows meanwhile', async () => {
    const { Engine } = await import('../../../electron/engine/engine');
    const { join } = await import('node:path');
    const engine = new Engine({ batch: true });
    try {
      const s = await engine.openAndWait(
        join(import.meta.dirname, '..', '..', '..', 'fixtures', 'lessons', 'smtp-pop3-lesson.pcap'),
      );
      const a = engine.getStatistics(s.info.id);
      const b = engine.getStatistics(s.info.id);
      const rows = await engine.getPackets(s.info.id, 0, 5);
      assert.equal(rows.length, 5);
      assert.equal(await a, await b);
    } finally {
      await engine.close();
    }
  });
});
