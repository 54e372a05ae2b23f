/**
 * Incremental loading of a growing capture file (what live capture does with the file the capture
 * process writes): the bytes of real captures are appended in random pieces — cutting records and
 * blocks anywhere — with a poll after each; the packet index only grows, the connection snapshot
 * stays consistent with it, and the finished pass equals loading the complete file in one go.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Prng } from '../../../bench/generator/prng';
import { buildReport } from '../../../dissectors/analysis/report';
import { startLiveLoad } from '../../../electron/engine/live-load';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-live-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CASES = ['lessons/smtp-pop3-lesson.pcap', 'bench-small/bench-eth-s7.pcapng', 'bench-small/bench-sll-s16.pcapng'];

for (const [n, name] of CASES.entries()) {
  test(`${name}: appended in random pieces and polled, it indexes like a one-shot load`, async () => {
    const bytes = readFileSync(join(FIXTURES, name));
    const path = join(dir, `growing-${n}`);
    writeFileSync(path, new Uint8Array(0));
    const live = await startLiveLoad(path);
    const rng = new Prng(`live-load-${n}`);
    let at = 0;
    let lastCount = 0;
    let polls = 0;
    while (at < bytes.length) {
      const piece = Math.min(bytes.length - at, rng.int(1, rng.chance(0.3) ? 64 : Math.max(64, bytes.length >> 3)));
      appendFileSync(path, bytes.subarray(at, at + piece));
      at += piece;
      const got = await live.poll();
      polls++;
      assert.equal(got, piece, 'a poll reads exactly what was appended');
      const idx = live.handle.analyzer.index;
      assert.ok(idx.count >= lastCount, 'the index only grows');
      lastCount = idx.count;
      const snap = live.handle.analyzer.snapshot();
      assert.equal(snap.length, live.handle.analyzer.connectionCount);
      let tcpPackets = 0;
      for (let i = 0; i < idx.count; i++) if (idx.conn[i] >= 0) tcpPackets++;
      assert.equal(snap.reduce((a, c) => a + c.model.packets, 0), tcpPackets, 'every indexed TCP packet is in a connection of the snapshot');
    }
    assert.ok(polls > 3);
    const finished = await live.finish();
    const oneShot = await loadCapture(path);
    assert.equal(finished.output.index.count, oneShot.output.index.count);
    assert.ok(finished.output.index.count > 10);
    const a = buildReport(finished.summary, finished.output, bytes.length);
    const b = buildReport(oneShot.summary, oneShot.output, bytes.length);
    assert.deepEqual(a.connections, b.connections);
    assert.deepEqual(a.credentials, b.credentials);
  });
}

test('a snapshot does not disturb the pass: the live summary of a connection equals the final one once all its packets are in', async () => {
  const bytes = readFileSync(join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap'));
  const path = join(dir, 'snapshot');
  writeFileSync(path, bytes);
  const live = await startLiveLoad(path);
  await live.poll();
  const snap = live.handle.analyzer.snapshot();
  const finished = await live.finish();
  assert.deepEqual(
    snap.map((c) => [c.protocol, c.model.packets, c.model.handshake.outcome, c.model.teardown.close, c.bytes]),
    finished.output.models.map((m) => [finished.output.states[m.id].initial?.protocol, m.packets, m.handshake.outcome, m.teardown.close, finished.output.states[m.id].streams!.client.bytes + finished.output.states[m.id].streams!.server.bytes]),
  );
});
