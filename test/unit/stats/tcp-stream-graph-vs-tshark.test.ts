/**
 * The TCP stream graphs' series against tshark's TCP analysis of the same frames (golden files by
 * scripts/golden/stats.ts): relative sequence numbers and lengths (Stevens, tcptrace), the ACK line,
 * scaled window and SACK blocks (tcptrace), retransmissions (the red marks), round-trip times
 * (tcp.analysis.ack_rtt) and bytes in flight (tcp.analysis.bytes_in_flight).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { goldenPath, TCP_GRAPH_CAPTURES } from '../../../scripts/golden/stats';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');

interface Row {
  frame: number;
  stream: number;
  seq: number;
  len: number;
  ack: number;
  window: number;
  ackRtt: string;
  retransmission: boolean;
  inFlight: string;
  sack: Array<[number, number]>;
}

function rows(capture: string): Row[] {
  const [head, ...lines] = readFileSync(goldenPath(capture, 'tcp-fields'), 'utf8').trimEnd().split('\n');
  const names = head.split('\t');
  return lines.map((line) => {
    const v = Object.fromEntries(line.split('\t').map((x, k) => [names[k], x]));
    const le = v['tcp.options.sack_le'] ? v['tcp.options.sack_le'].split('|').map(Number) : [];
    const re = v['tcp.options.sack_re'] ? v['tcp.options.sack_re'].split('|').map(Number) : [];
    return {
      frame: +v['frame.number'],
      stream: +v['tcp.stream'],
      seq: +v['tcp.seq'],
      len: +v['tcp.len'],
      ack: +v['tcp.ack'],
      window: +v['tcp.window_size'],
      ackRtt: v['tcp.analysis.ack_rtt'],
      retransmission: v['tcp.analysis.retransmission'] !== '',
      inFlight: v['tcp.analysis.bytes_in_flight'],
      sack: le.map((l, k) => [l, re[k]] as [number, number]),
    };
  });
}

describe('TCP stream graphs agree with tshark', () => {
  const engine = new Engine({ batch: true });
  after(() => engine.close());

  for (const rel of TCP_GRAPH_CAPTURES) {
    it(rel.split('/').pop()!, async () => {
      const capture = join(FIXTURES, rel);
      const s = await engine.openAndWait(capture);
      const all = rows(capture);
      const streams = [...new Set(all.map((r) => r.stream))];
      let retransmissions = 0;
      let rtts = 0;
      let sacks = 0;
      for (const stream of streams) {
        const theirs = new Map(all.filter((r) => r.stream === stream).map((r) => [r.frame, r]));
        const client = await engine.getTcpStreamGraph(s.info.id, stream, 'client');
        const server = await engine.getTcpStreamGraph(s.info.id, stream, 'server');
        // Every frame of the connection is a segment of exactly one direction.
        const frames = [...client.segments, ...server.segments].map((g) => g.frame).sort((a, b) => a - b);
        assert.deepEqual(frames, [...theirs.keys()]);
        for (const g of [client, server]) {
          for (const seg of g.segments) {
            const t = theirs.get(seg.frame)!;
            assert.deepEqual(
              { seq: seg.seq, len: seg.len },
              { seq: t.seq, len: t.len },
              `frame ${seg.frame}`,
            );
            // The red marks are data segments (tshark also flags some bare ACKs after a FIN, which carry no data to draw).
            if (seg.len > 0)
              assert.equal(seg.retransmission, t.retransmission, `retransmission at ${seg.frame}`);
            if (seg.retransmission) retransmissions++;
          }
          const peer = g === client ? server : client;
          const peerFrames = new Set(peer.segments.map((x) => x.frame));
          for (const a of g.acks) {
            const t = theirs.get(a.frame)!;
            assert.ok(peerFrames.has(a.frame), `ACK ${a.frame} comes from the other side`);
            assert.deepEqual(
              { ack: a.ack, window: a.window, sack: a.sack },
              { ack: t.ack, window: t.window, sack: t.sack },
              `ACK frame ${a.frame}`,
            );
            sacks += a.sack.length;
          }
          // tshark's ack_rtt of an ACK: the newest segment it is the first to cover.
          for (const a of g.acks) {
            const t = theirs.get(a.frame)!;
            const mine = g.rtt.filter((r) => r.ackFrame === a.frame).sort((x, y) => y.seq - x.seq)[0];
            if (t.ackRtt === '' || !mine) continue;
            assert.equal(mine.rtt.toFixed(9), Number(t.ackRtt).toFixed(9), `RTT at ACK ${a.frame}`);
            rtts++;
          }
          g.segments.forEach((seg, k) => {
            const t = theirs.get(seg.frame)!;
            // tshark counts a retransmission's flight from the segment resent; the graph shows the highest sent.
            if (seg.len > 0 && !seg.retransmission && t.inFlight !== '')
              assert.equal(g.inFlight[k].bytes, Number(t.inFlight), `bytes in flight at ${seg.frame}`);
          });
        }
      }
      // tcp_dupack's only ack_rtt times a retransmitted segment, which the RTT graph leaves out (Karn's rule: which copy was acknowledged is unknown).
      if (rel.includes('lesson')) assert.ok(rtts >= 20, `round-trip times compared: ${rtts}`);
      if (rel.includes('retransmissions')) assert.ok(retransmissions >= 5);
      if (rel.includes('dupack')) assert.ok(sacks > 0);
    });
  }
});
