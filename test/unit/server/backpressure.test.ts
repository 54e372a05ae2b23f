/**
 * Issue 21, item 9: a page that never reads its answers must not grow the server without bound
 * (the server stops reading its calls, then drops it), and one page's flood of calls must not make
 * another page wait for all of them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PacketRow } from '../../../api/engine-api';
import {
  clientFrame,
  pageClient,
  rawWebSocket,
  serveSample,
  stillServes,
  waitClosed,
  type Served,
} from './attack-client';

const HIGH = 256 * 1024;
const STALL_MS = 1500;
let s: Served;
before(async () => {
  s = await serveSample({ limits: { pendingHighBytes: HIGH, stallMs: STALL_MS } });
});
after(async () => {
  await s.close();
});

async function until(ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a page that sends calls and never reads the answers is stopped at the bound, then dropped; others keep being served', async () => {
  const probe = await pageClient(s);
  const answerBytes = JSON.stringify({
    id: 1,
    result: await probe.call<PacketRow[]>('getPackets', 'c1', 0, 100),
  }).length;
  const ws = await rawWebSocket(
    s.server.port,
    { Host: s.host, Origin: s.origin },
    `/engine?token=${s.server.token}`,
  );
  assert.equal(ws.status, 101);
  ws.socket.pause(); // reads nothing from now on
  const CALLS = 6000; // 6000 answers of ~11 kB: 66 MB if the server kept them all
  const frames: Buffer[] = [];
  for (let i = 1; i <= CALLS; i++)
    frames.push(
      clientFrame(0x81, Buffer.from(JSON.stringify({ id: i, method: 'getPackets', params: ['c1', 0, 100] }))),
    );
  ws.socket.write(Buffer.concat(frames));
  await until(() => s.server.clientStats().some((c) => c.readingPaused && c.pendingBytes > HIGH));
  const [stuck] = s.server.clientStats().filter((c) => c.readingPaused);
  // Bounded: the threshold plus the answers that were already being computed.
  assert.ok(stuck.pendingBytes <= HIGH + 8 * answerBytes, `pending ${stuck.pendingBytes}`);
  assert.ok(stuck.queued < CALLS, `queued ${stuck.queued}`);
  // Another page is answered meanwhile.
  assert.equal((await probe.call<PacketRow[]>('getPackets', 'c1', 0, 3)).length, 3);
  assert.ok(await stillServes(s));
  // After STALL_MS without catching up, the page is dropped and what it held is released.
  await until(() => s.server.clientStats().length === 1, STALL_MS + 5000);
  ws.socket.resume();
  assert.ok(await waitClosed(ws.socket), 'the server closed the stalled connection');
  assert.equal((await probe.call<PacketRow[]>('getPackets', 'c1', 0, 3)).length, 3);
  probe.close();
});

test("one page's burst of calls does not make another page wait for all of them", async () => {
  const flood = await pageClient(s);
  const other = await pageClient(s);
  const BURST = 400;
  let floodAnswered = 0;
  const floodDone = Promise.all(
    Array.from({ length: BURST }, () =>
      flood.call('setSort', 'c1', 'info', false).then(() => {
        floodAnswered++;
      }),
    ),
  );
  const t0 = Date.now();
  await other.call('getPackets', 'c1', 0, 1);
  const seenAtAnswer = floodAnswered;
  await floodDone;
  assert.ok(
    seenAtAnswer < BURST / 2,
    `the other page was answered after ${seenAtAnswer} of ${BURST} flood calls (${Date.now() - t0} ms)`,
  );
  flood.close();
  other.close();
});
