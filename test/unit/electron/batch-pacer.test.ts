/**
 * The live capture's pacer: under load the first packet of each wakeup waits so the kernel ring
 * gathers a batch; at a lesson's packet rate nothing ever waits.
 */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { BATCH_ABOVE_PPS, BatchPacer } from '../../../electron/capture/live-capture';

function pacer(): { p: BatchPacer; naps: number[]; advance: (ms: number) => void } {
  let now = 1000;
  const naps: number[] = [];
  const p = new BatchPacer((ms) => naps.push(ms), () => now);
  return { p, naps, advance: (ms) => void (now += ms) };
}

test('at a lesson\'s rate no packet waits', async () => {
  const { p, naps, advance } = pacer();
  for (let i = 0; i < 2000; i++) {
    advance(5); // 200 packets/s, one per wakeup
    p.beforePacket();
    await tick();
  }
  assert.deepEqual(naps, []);
});

test('under load the first packet of each wakeup waits 1 ms, the rest of the batch does not', async () => {
  const { p, naps, advance } = pacer();
  // 100k packets/s delivered one per wakeup: the rate is learnt over 50 ms windows...
  for (let i = 0; i < 10000; i++) {
    advance(0.01);
    p.beforePacket();
    await tick();
  }
  assert.ok(100_000 > BATCH_ABOVE_PPS);
  const learnt = naps.length;
  assert.ok(learnt > 0, 'the pacer noticed the load');
  // ...then each wakeup (a batch of 100 packets taken in one go) waits once.
  for (let batch = 0; batch < 20; batch++) {
    for (let i = 0; i < 100; i++) {
      advance(0.001);
      p.beforePacket();
    }
    await tick();
  }
  assert.equal(naps.length - learnt, 20);
  assert.ok(naps.every((ms) => ms === 1));
  assert.equal(p.naps, naps.length);
});

test('when the load stops, the pacer stops waiting', async () => {
  const { p, naps, advance } = pacer();
  for (let i = 0; i < 10000; i++) {
    advance(0.01);
    p.beforePacket();
    await tick();
  }
  assert.ok(naps.length > 0);
  // The rate falls to 1,000 packets/s; after the next measured window nothing waits.
  for (let i = 0; i < 600; i++) {
    advance(1);
    p.beforePacket();
    await tick();
  }
  const settled = naps.length;
  for (let i = 0; i < 300; i++) {
    advance(1);
    p.beforePacket();
    await tick();
  }
  assert.equal(naps.length, settled);
});
