/**
 * Handshake facts against tshark (fixtures/golden/tcp/*.json): the SYN and SYN/ACK frames' initial
 * sequence numbers and options (MSS, window scale, SACK-permitted, timestamps) equal tshark's
 * tcp.options.* fields, and the handshake RTT equals tcp.analysis.initial_rtt.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { HandshakeStep } from '../../../dissectors/tcp/types';
import { captureFixtures, fixtureName, goldenPath } from '../../helpers/fixtures';
import { runTcp } from '../../helpers/tcp-run';

interface GoldenFrame {
  frame: number;
  stream: number;
  rawSeq: number;
  initialRtt: number | null;
  mss: number | null;
  windowScale: number | null;
  sackPermitted: boolean;
  timestamps: boolean;
}

/** Where we knowingly differ from tshark 4.0's initial_rtt, per fixture, and why. */
const KNOWN_RTT_DIFFERENCES: Record<string, string> = {
  'corpus/suricata-verify/tests/issue-3341-tcphdr-01/urgent11_cve_2019_12260.pcap':
    'the client answers the SYN/ACK with a RST; tshark still takes a later stray ACK as the end of the handshake, we call the handshake reset',
  'corpus/suricata-verify/tests/smtp-extract-url-schemes/input.pcap':
    'the ACK has the same timestamp as the SYN: tshark keeps 0 as "not set yet" and takes the next frame, we report an RTT of 0',
  'corpus/tcpdump/tests/timestamp_invalid_micro.pcap':
    'invalid sub-second fields (≥ 10^6 µs): we carry the excess into seconds, tshark wraps it',
  'corpus/tcpdump/tests/timestamp_invalid_nano.pcap':
    'invalid sub-second fields (≥ 10^9 ns): we carry the excess into seconds, tshark wraps it',
};

const totals = { handshakes: 0, steps: 0, rtts: 0, resets: 0 };

for (const file of captureFixtures()) {
  const gp = goldenPath('tcp', file, '.json');
  if (!existsSync(gp)) continue;
  const golden = JSON.parse(readFileSync(gp, 'utf8')) as { frames: GoldenFrame[] };
  if (!golden.frames.some((f) => f.mss !== null || f.initialRtt !== null)) continue;
  test(`handshake options and RTT match tshark: ${fixtureName(file)}`, () => {
    const run = runTcp(readFileSync(file));
    const byFrame = new Map(golden.frames.map((f) => [f.frame, f]));
    const problems: string[] = [];
    for (const m of run.models) {
      const h = m.handshake;
      if (!h.syn) continue;
      totals.handshakes++;
      const steps: Array<[string, HandshakeStep | null]> = [['SYN', h.syn], ['SYN/ACK', h.synAck]];
      for (const [name, step] of steps) {
        if (!step) continue;
        const g = byFrame.get(step.frame);
        if (!g) {
          problems.push(`conn ${m.id} ${name} frame ${step.frame}: not in tshark's TCP frames`);
          continue;
        }
        totals.steps++;
        const want = { seq: g.rawSeq, mss: g.mss, windowScale: g.windowScale, sackPermitted: g.sackPermitted, timestamps: g.timestamps };
        const got = { seq: step.seq, ...step.options };
        if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`conn ${m.id} ${name} frame ${step.frame}: ${JSON.stringify(got)}, tshark ${JSON.stringify(want)}`);
      }
      const rttFrame = golden.frames.find((f) => f.stream === m.id && f.initialRtt !== null);
      if (KNOWN_RTT_DIFFERENCES[fixtureName(file)]) continue;
      if (h.outcome === 'reset' && h.reset && rttFrame) {
        // A refused connection: tshark's initial_rtt is the SYN → RST/ACK time.
        totals.resets++;
        const ours = h.reset.time - h.syn.time;
        if (!(Math.abs(ours - (rttFrame.initialRtt as number)) < 2e-6)) problems.push(`conn ${m.id}: SYN→RST ${ours}s, tshark ${rttFrame.initialRtt}s`);
      } else if (h.complete && rttFrame) {
        totals.rtts++;
        const ours = (h.rttMs ?? NaN) / 1000;
        if (!(Math.abs(ours - (rttFrame.initialRtt as number)) < 2e-6)) problems.push(`conn ${m.id}: RTT ${ours}s, tshark ${rttFrame.initialRtt}s`);
      } else if (h.complete !== Boolean(rttFrame)) {
        problems.push(`conn ${m.id}: complete=${h.complete} but tshark ${rttFrame ? 'has' : 'has no'} initial_rtt`);
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} differences from tshark`);
  });
}

test('handshake comparison covered real handshakes', () => {
  // Runs after the per-fixture tests in this file (node:test runs a file's tests in order).
  assert.ok(totals.handshakes > 100 && totals.steps > 200 && totals.rtts > 50, JSON.stringify(totals));
});
