/**
 * The live capture's pacer: under load the first packet of each wakeup waits so the kernel ring
 * gathers a batch; at a lesson's packet rate nothing ever waits.
 */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { BATCH_ABOVE_PPS, BatchPacer } from '../../../electron/capture/batch-pacer';

function pacer(): { p: BatchPacer; naps: number[]; feed: (packets: number, gapMs: number) => Promise<void> } {
  let now = 1000;
  const naps: number[] = [];
  const p = new BatchPacer((ms) => naps.push(ms), () => now);
  /** `packets` packets `gapMs` apart, each in its own wakeup (the event loop runs between them). */
  const feed = async (packets: number, gapMs: number) => {
    for (let i = 0; i < packets; i++) {
      now += gapMs;
      p.beforePacket();
      await tick();
    }
  };
  return { p, naps, feed };
}

test('at a lesson\'s rate no packet waits', async () => {
  const { naps, feed } = pacer();
  await feed(2000, 5); // 200 packets/s
  assert.deepEqual(naps, []);
});

test('under load the first packet of each wakeup waits 1 ms, the rest of the batch does not', async () => {
  const { p, naps, feed } = pacer();
  // 100k packets/s delivered one per wakeup: the rate is learnt over 50 ms windows...
  await feed(10000, 0.01);
  assert.ok(100_000 > BATCH_ABOVE_PPS);
  const learnt = naps.length;
  assert.ok(learnt > 0, 'the pacer noticed the load');
  // ...then each wakeup (a batch of 100 packets taken in one go) waits once.
  for (let batch = 0; batch < 20; batch++) {
    for (let i = 0; i < 100; i++) p.beforePacket();
    await tick();
  }
  assert.equal(naps.length - learnt, 20);
  assert.ok(naps.every((ms) => ms === 1));
  assert.equal(p.naps, naps.length);
});

test('when the load stops, the pacer stops waiting', async () => {
  const { naps, feed } = pacer();
  await feed(10000, 0.01);
  assert.ok(naps.length > 0);
  // The rate falls to 1,000 packets/s; after the next measured window nothing waits.
  await feed(600, 1);
  const settled = naps.length;
  await feed(300, 1);
  assert.equal(naps.length, settled);
});
