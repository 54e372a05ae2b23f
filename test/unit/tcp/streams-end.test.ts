/**
 * A connection's consumer is told its streams ended exactly once: as soon as both directions were
 * delivered up to their FIN (so the dissectors' state can go), else at the end of the capture — and
 * nothing reaches it afterwards. Segments after that moment are still counted and classified (a
 * retransmission is still flagged as one), and the streams are what they were.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { decodePacket } from '../../../dissectors/net/decode';
import { writePcap } from '../../helpers/capture-writer';
import { captureFixtures, FIXTURES, fixtureName } from '../../helpers/fixtures';
import { runTcp, sha256 } from '../../helpers/tcp-run';

test('every connection of every fixture is ended once, and nothing reaches it after', () => {
  let early = 0;
  let atEnd = 0;
  for (const file of captureFixtures()) {
    const raw = readFileSync(file);
    const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
    let run;
    try {
      run = runTcp(bytes);
    } catch {
      continue; // a fixture that is deliberately not a readable capture
    }
    run.streams.forEach((s, id) => {
      assert.equal(s.ended, 1, `${fixtureName(file)} connection ${id}: told once`);
      assert.equal(s.events.length, s.eventsWhenEnded, `${fixtureName(file)} connection ${id}: nothing after the end`);
      const m = run.models[id];
      if (s.endedAtFrame > 0) {
        early++;
        // Ended during the pass: both directions had a FIN, at or before that frame — or a new
        // connection on the same endpoints began at that frame (a new SYN replaces a closed one).
        const fins = m.teardown.clientFin && m.teardown.serverFin && m.teardown.clientFin.frame <= s.endedAtFrame && m.teardown.serverFin.frame <= s.endedAtFrame;
        const same = (a: typeof m, b: typeof m) => [a.client.ip, a.client.port, a.server.ip, a.server.port].sort().join() === [b.client.ip, b.client.port, b.server.ip, b.server.port].sort().join();
        const replaced = run.models.some((n) => n.id > id && n.firstFrame === s.endedAtFrame && same(n, m));
        assert.ok(fins || replaced, `${fixtureName(file)} connection ${id}: ended at frame ${s.endedAtFrame} without both FINs or a new connection`);
      } else atEnd++;
    });
  }
  assert.ok(early > 100 && atEnd > 100, `${early} connections ended at their close, ${atEnd} at the end of the capture`);
});

test('a retransmission after both FINs is still flagged, and the streams stay as they were', () => {
  const lesson = readFileSync(join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'));
  const before = runTcp(lesson);
  assert.ok(before.streams.every((s) => s.endedAtFrame > 0), 'the lesson\'s connections close with FINs both ways');
  const { records } = readCaptureBytes(lesson);
  // The SMTP client's first data segment, sent again after the capture's last packet.
  const first = records.find((r) => {
    const p = decodePacket(r.linkType, r.data, r.frame);
    return p.tcp && p.tcp.dstPort === 1025 && p.tcp.payloadLength > 0;
  })!;
  const last = records[records.length - 1];
  const again = { tsSec: last.tsSec + 1, tsFrac: 0, origLen: first.origLen, data: first.data };
  const all = [...records.map((r) => ({ tsSec: r.tsSec, tsFrac: Math.floor(r.tsNsec / 1000), origLen: r.origLen, data: r.data })), again];
  const after = runTcp(writePcap({ little: true, nanos: false, linkType: records[0].linkType, snapLen: 262144, records: all }).bytes);
  const frame = all.length;
  assert.ok(after.verdicts.get(frame)?.analysis.includes('tcp.analysis.retransmission'), JSON.stringify(after.verdicts.get(frame)));
  const id = after.verdicts.get(frame)!.connectionId;
  assert.equal(after.models[id].packets, before.models[id].packets + 1, 'the late segment is counted');
  for (const dir of ['client', 'server'] as const) assert.equal(sha256(after.streams[id][dir]), sha256(before.streams[id][dir]), `${dir} stream unchanged`);
  assert.equal(after.streams[id].ended, 1);
});
