/**
 * 200,000 tiny segments of one connection arriving in reverse order (the first one last): the
 * reassembler keeps at most MAX_PIECES_PER_DIRECTION pieces, skips ahead with buffer-limit gaps
 * when it must, and still accounts for every byte (delivered + gap = sent).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PIECES_PER_DIRECTION } from '../../../dissectors/tcp/reassembler';
import { ipv4TcpPacket, writePcap, type PcapRecordSpec } from '../../helpers/capture-writer';
import { runTcp } from '../../helpers/tcp-run';

test('200,000 segments in reverse order: bounded buffering, every byte accounted for', () => {
  const n = 200_000;
  const seg = 3;
  const records: PcapRecordSpec[] = [];
  const pkt = (seq: number, ack: number, flags: number, payload: Uint8Array, fromClient = true) => {
    const data = ipv4TcpPacket({ src: fromClient ? 0x7f000001 : 0x7f000002, dst: fromClient ? 0x7f000002 : 0x7f000001, sport: fromClient ? 40000 : 80, dport: fromClient ? 80 : 40000, seq, ack, flags, payload });
    records.push({ tsSec: 1_800_000_000, tsFrac: records.length % 1_000_000, origLen: data.length, data });
  };
  pkt(100, 0, 0x02, new Uint8Array(0));
  pkt(900, 101, 0x12, new Uint8Array(0), false);
  pkt(101, 901, 0x10, new Uint8Array(0));
  const payload = Uint8Array.of(65, 66, 67);
  for (let i = n - 1; i >= 0; i--) pkt(101 + i * seg, 901, 0x18, payload);
  const run = runTcp(writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes);
  const s = run.streams[0];
  const delivered = s.client.reduce((a, b) => a + b.length, 0);
  const gaps = s.gaps.filter((g) => g.dir === 'client');
  const gapBytes = gaps.reduce((a, g) => a + g.length, 0);
  assert.equal(delivered + gapBytes, n * seg, 'delivered + gaps = bytes sent');
  assert.ok(gaps.some((g) => g.reason === 'buffer-limit'), 'the piece limit forced a skip');
  assert.ok(delivered >= MAX_PIECES_PER_DIRECTION * seg, `${delivered} bytes delivered`);
  assert.ok(run.models[0].diagnostics.some((d) => d.code === 'tcp.reassembly.buffer_limit'));
});
