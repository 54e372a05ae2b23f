/**
 * TCP analysis as tshark 4.0 computes it, row by row on every fixture (fixtures/golden/tcp-analysis,
 * made by scripts/golden/tcp-analysis.ts): tcp.stream equals the connection id, every tcp.analysis.*
 * flag tshark sets (and no other), duplicate_ack_num and duplicate_ack_frame, ack_rtt and
 * bytes_in_flight. The few frames that cannot agree are named with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { captureFixtures, fixtureName, goldenPath, readGoldenTsv } from '../../helpers/fixtures';
import { runTcp } from '../../helpers/tcp-run';

/** fixture → frames (and which column) that differ from tshark, and why. */
const KNOWN: Record<
  string,
  { frames: number[]; column: 'bytes_in_flight' | 'ack_rtt' | 'all'; why: string }
> = {
  'corpus/tcpdump/tests/arcnet-rfc1201-arp-icmp-http.pcap': {
    frames: [],
    column: 'all',
    why: 'ARCNET link type: Wirelens does not decode it, so it sees no TCP',
  },
  'corpus/tcpdump/tests/beep-oobr.pcap': {
    frames: [2],
    column: 'bytes_in_flight',
    why: 'a crafted header whose data offset runs past the capture: tshark stops dissecting before its analysis',
  },
  'corpus/tcpdump/tests/heapoverflow-tcp_print.pcap': {
    frames: [1],
    column: 'bytes_in_flight',
    why: 'a crafted header whose data offset runs past the capture: tshark stops dissecting before its analysis',
  },
  'corpus/tcpdump/tests/tcp-auth-heapoverflow.pcap': {
    frames: [1],
    column: 'bytes_in_flight',
    why: 'a crafted header whose data offset runs past the capture: tshark stops dissecting before its analysis',
  },
  'corpus/tcpdump/tests/timestamp_invalid_micro.pcap': {
    frames: [3],
    column: 'ack_rtt',
    why: 'the record times are invalid (sub-second field out of range): tshark and Wirelens normalise them differently',
  },
  'corpus/tcpdump/tests/timestamp_invalid_nano.pcap': {
    frames: [3],
    column: 'ack_rtt',
    why: 'the record times are invalid (sub-second field out of range): tshark and Wirelens normalise them differently',
  },
};

const totals = {
  frames: 0,
  flags: 0,
  dupAcks: 0,
  ackedUnseen: 0,
  reused: 0,
  windowFull: 0,
  rtts: 0,
  inFlight: 0,
};

function num(s: string): number | null {
  return s === '' ? null : Number(s);
}

for (const file of captureFixtures()) {
  const rows = readGoldenTsv(goldenPath('tcp-analysis', file, '.tsv'));
  if (!rows) continue;
  const name = fixtureName(file);
  const known = KNOWN[name];
  if (known?.column === 'all') continue;
  test(`TCP analysis and tcp.stream equal tshark's on every frame: ${name}`, () => {
    const run = runTcp(readFileSync(file));
    const problems: string[] = [];
    for (const r of rows) {
      const frame = Number(r.frame);
      // tshark also tracks the TCP header quoted inside an ICMP error; Wirelens does not.
      if (run.icmpFrames.has(frame)) continue;
      const v = run.verdicts.get(frame);
      if (!v) {
        problems.push(`frame ${frame}: not tracked (tshark: stream ${r.stream})`);
        continue;
      }
      totals.frames++;
      const skip = known?.frames.includes(frame) ? known.column : null;
      const say = (what: string, ours: unknown, theirs: unknown): void => {
        problems.push(`frame ${frame} ${what}: ours ${String(ours)}, tshark ${String(theirs)}`);
      };
      if (v.connectionId !== Number(r.stream)) say('tcp.stream', v.connectionId, r.stream);
      const want = r.flags ? r.flags.split(' ').sort() : [];
      const got = [...v.analysis].sort();
      totals.flags += want.length;
      if (want.join(' ') !== got.join(' ')) say('flags', got.join(' '), want.join(' '));
      const dupNum = num(r.duplicate_ack_num);
      if ((v.dupAckNum || null) !== dupNum) say('duplicate_ack_num', v.dupAckNum, dupNum);
      if ((v.dupAckFrame || null) !== num(r.duplicate_ack_frame))
        say('duplicate_ack_frame', v.dupAckFrame, r.duplicate_ack_frame);
      if (dupNum) totals.dupAcks++;
      if (want.includes('tcp.analysis.ack_lost_segment')) totals.ackedUnseen++;
      if (want.includes('tcp.analysis.reused_ports')) totals.reused++;
      if (want.includes('tcp.analysis.window_full')) totals.windowFull++;
      if (skip !== 'ack_rtt') {
        const rtt = num(r.ack_rtt);
        const ours = v.ackedFrame > 0 && v.ackRtt !== 0 ? v.ackRtt : null;
        // tshark prints nanoseconds; the capture's times are microseconds or nanoseconds.
        if ((ours === null) !== (rtt === null) || (ours !== null && Math.abs(ours - rtt!) > 1e-6))
          say('ack_rtt', ours, rtt);
        if (rtt !== null) totals.rtts++;
      }
      if (skip !== 'bytes_in_flight') {
        const bif = num(r.bytes_in_flight);
        if ((v.bytesInFlight || null) !== bif) say('bytes_in_flight', v.bytesInFlight, bif);
        if (bif !== null) totals.inFlight++;
      }
    }
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} frames differ from tshark`);
  });
}

test('the comparison covered every kind of tshark analysis the fixtures hold', () => {
  // Counts from the committed goldens: a golden regenerated without these events would weaken the test.
  assert.ok(totals.frames > 9000, JSON.stringify(totals));
  assert.ok(totals.dupAcks >= 500, JSON.stringify(totals));
  assert.ok(totals.ackedUnseen >= 12, JSON.stringify(totals));
  assert.ok(totals.reused >= 1 && totals.windowFull >= 1, JSON.stringify(totals));
  assert.ok(totals.rtts > 4000 && totals.inFlight > 4000, JSON.stringify(totals));
});
