/**
 * For every TCP connection in every fixture: both reassembled directions are byte-identical to
 * `tshark -q -z follow,tcp,raw,N` (where tshark writes "[N bytes missing in capture file]" and a
 * NUL for a hole, the test puts the same text at our gap), and every frame's stream number and relative seq/ack match
 * tshark's (fixtures/golden/tcp/*.json, made by scripts/golden/tcp.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatEndpoint } from '../../../dissectors/analysis/endpoint';
import { captureFixtures, fixtureName, goldenPath } from '../../helpers/fixtures';
import { runTcp, sha256 } from '../../helpers/tcp-run';

interface GoldenFrame { frame: number; stream: number; relSeq: number; relAck: number; flags: number }
interface GoldenNode { endpoint: string; length: number; sha256: string }
interface Golden { frames: GoldenFrame[]; streams: Array<{ stream: number; nodes: GoldenNode[] }> }

/**
 * Where we knowingly differ from tshark 4.0, per fixture, and why. Anything not listed must match.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'corpus/tcpdump/tests/arcnet-rfc1201-arp-icmp-http.pcap': 'ARCNET (link type 129) is not a supported link layer: its packets are listed as undecoded',
  'corpus/tcpdump/tests/beep-oobr.pcap': 'fuzzed header: tshark marks the packet malformed and its follow output names no endpoints (":0")',
  'corpus/tcpdump/tests/heapoverflow-tcp_print.pcap': 'fuzzed header: tshark marks the packet malformed and its follow output names no endpoints (":0")',
  'corpus/tcpdump/tests/tcp-auth-heapoverflow.pcap': 'fuzzed header: tshark marks the packet malformed and its follow output names no endpoints (":0")',
};

const totals = { fixtures: 0, streams: 0, directionsCompared: 0, framesCompared: 0, bytes: 0, icmpQuoted: 0 };

for (const file of captureFixtures()) {
  const gp = goldenPath('tcp', file, '.json');
  if (!existsSync(gp)) continue;
  const name = fixtureName(file);
  test(`tcp streams match tshark follow: ${name}`, () => {
    const golden = JSON.parse(readFileSync(gp, 'utf8')) as Golden;
    const run = runTcp(readFileSync(file));
    const problems: string[] = [];
    totals.fixtures++;
    for (const g of golden.frames) {
      const v = run.verdicts.get(g.frame);
      if (!v && run.icmpFrames.has(g.frame)) {
        // tshark dissects the TCP header quoted inside an ICMP error as part of the connection; for
        // us it is an ICMP packet about the connection, not a segment of it.
        totals.icmpQuoted++;
        continue;
      }
      if (!v) {
        problems.push(`frame ${g.frame}: not tracked`);
        continue;
      }
      totals.framesCompared++;
      if (v.connectionId !== g.stream) problems.push(`frame ${g.frame}: stream ${v.connectionId}, tshark ${g.stream}`);
      else if (v.relSeq !== g.relSeq || v.relAck !== g.relAck) problems.push(`frame ${g.frame}: seq/ack ${v.relSeq}/${v.relAck}, tshark ${g.relSeq}/${g.relAck}`);
    }
    for (const gs of golden.streams) {
      const m = run.models[gs.stream];
      const s = run.streams[gs.stream];
      if (!m || !s) {
        problems.push(`stream ${gs.stream}: missing`);
        continue;
      }
      totals.streams++;
      const ours = new Map([
        [formatEndpoint(m.client), s.followView.client],
        [formatEndpoint(m.server), s.followView.server],
      ]);
      for (const node of gs.nodes) {
        const mine = ours.get(node.endpoint);
        if (!mine) {
          problems.push(`stream ${gs.stream}: tshark endpoint ${node.endpoint} is neither ${[...ours.keys()].join(' nor ')}`);
          continue;
        }
        totals.directionsCompared++;
        totals.bytes += node.length;
        const len = mine.reduce((n, b) => n + b.length, 0);
        if (len !== node.length || sha256(mine) !== node.sha256) problems.push(`stream ${gs.stream} ${node.endpoint}: ${len} bytes, tshark ${node.length}`);
      }
    }
    const known = KNOWN_DIFFERENCES[name];
    if (known) assert.ok(problems.length > 0, `${name} is listed as differing (${known}) but now matches: remove it from the list`);
    else assert.deepEqual(problems.slice(0, 15), [], `${problems.length} differences from tshark`);
  });
}

test('tcp golden comparison covered the corpus', () => {
  console.log(`tcp: ${JSON.stringify(totals)}`);
  assert.ok(totals.streams >= 200 && totals.directionsCompared >= 400, JSON.stringify(totals));
});
