/**
 * TcpTracker.add with one reused verdict (what the bulk pass does) gives, packet by packet, the
 * verdict a fresh one gets, and the same connections at the end: every fixture, through two
 * trackers side by side.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { decodePacket } from '../../../dissectors/net/decode';
import { createTcpTracker, newSegmentVerdict } from '../../../dissectors/tcp/tracker';
import { captureFixtures, fixtureName } from '../../helpers/fixtures';

test('a reused verdict equals a fresh one for every TCP packet of every fixture', () => {
  let segments = 0;
  let flagged = 0;
  for (const file of captureFixtures()) {
    const raw = readFileSync(file);
    let records;
    try {
      records = readCaptureBytes(file.endsWith('.gz') ? gunzipSync(raw) : raw).records;
    } catch {
      continue;
    }
    const fresh = createTcpTracker();
    const reusing = createTcpTracker();
    const verdict = newSegmentVerdict();
    const base = records.length ? records[0].tsSec + records[0].tsNsec / 1e9 : 0;
    for (const r of records) {
      const p = decodePacket(r.linkType, r.data, r.frame);
      if (!p.tcp || p.src === undefined || p.dst === undefined) continue;
      const seg = { frame: r.frame, time: r.tsSec + r.tsNsec / 1e9 - base, src: p.src, dst: p.dst, tcp: p.tcp, payload: p.data.subarray(p.tcp.payloadOffset, p.tcp.payloadOffset + p.tcp.payloadLength) };
      const a = fresh.add(seg);
      const b = reusing.add(seg, verdict);
      assert.equal(b, verdict, 'the verdict given is the one filled');
      assert.deepEqual({ ...b, analysis: b.analysis.slice() }, a, `${fixtureName(file)} frame ${r.frame}`);
      segments++;
      if (a.analysis.length) flagged++;
    }
    assert.deepEqual(reusing.finish(), fresh.finish(), fixtureName(file));
  }
  assert.ok(segments > 5000, `${segments} segments`);
  // Flags set on one packet must not stay on the next: many packets carry some.
  assert.ok(flagged > 100, `${flagged} segments with analysis flags`);
});
