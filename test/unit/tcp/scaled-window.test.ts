/**
 * The TCP window as the connection uses it: `Win=` in the packet list's Info is the raw 16-bit
 * field shifted by the sender's window scale once both SYNs carried the option (65,536 where the
 * field says 64), the raw field on the SYNs themselves — the value tshark 4.0 prints in the same
 * column (fixtures/golden/net/*.tsv, `_ws.col.Info`), compared row by row on real loopback captures.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import {
  handshakeStepNumbers,
  newHandshake,
  scaledWindow,
  windowShift,
} from '../../../dissectors/tcp/handshake';
import { loadCapture } from '../../../electron/engine/load-capture';
import { layoutHandshake } from '../../../renderer/src/layout/handshake-layout';
import { FIXTURES, goldenPath, readGoldenTsv } from '../../helpers/fixtures';

const CAPTURES = [
  join(FIXTURES, 'recorded', 'pop3-numbers-and-errors.pcap'),
  join(FIXTURES, 'recorded', 'ftp-transfers-and-mistakes.pcap'),
  join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'),
  join(FIXTURES, 'corpus', 'chrissanders-packets', 'tcp_handshake.pcapng'),
  join(FIXTURES, 'corpus', 'chrissanders-packets', 'http_espn.pcapng'),
  join(FIXTURES, 'bench-small', 'bench-eth-s6.pcap'),
];

const win = (info: string): number | null => {
  const m = / Win=(\d+) /.exec(info);
  return m ? Number(m[1]) : null;
};

for (const capture of CAPTURES) {
  test(`Win= in Info equals tshark's: ${capture.slice(FIXTURES.length + 1)}`, async () => {
    const golden = readGoldenTsv(goldenPath('net', capture, '.tsv'));
    assert.ok(golden, 'tshark golden present');
    const e = new Engine({});
    try {
      const s = await e.openAndWait(capture);
      const rows = await e.getPackets(s.info.id, 0, 100000);
      assert.equal(rows.length, golden.length);
      let compared = 0;
      let scaled = 0;
      for (const [i, row] of rows.entries()) {
        const ours = win(row.info);
        const theirs = win(golden[i]['_ws.col.Info']);
        if (ours === null || theirs === null) continue;
        compared++;
        if (theirs !== Number(golden[i]['tcp.window_size_value'])) scaled++;
        assert.equal(ours, theirs, `frame ${row.no}: ours ${row.info} — tshark ${golden[i]['_ws.col.Info']}`);
      }
      assert.ok(compared >= 3, `${compared} rows compared`);
      if (!capture.includes('tcp_handshake'))
        assert.ok(scaled > 0, 'the loopback captures use window scaling');
    } finally {
      await e.close();
    }
  });
}

test('the window shift: each side its own once both SYNs offered it, none on SYNs, none when a side did not offer it, unknown without a handshake', () => {
  const h = newHandshake();
  const step = (windowScale: number | null) => ({
    frame: 1,
    time: 0,
    sinceSyn: 0,
    seq: 1,
    window: 65535,
    options: { mss: 1460, windowScale, sackPermitted: true, timestamps: true },
  });
  assert.equal(windowShift(h, 'client'), null);
  assert.equal(scaledWindow(h, 'client', 64, 0x10), 64, 'no handshake seen: the raw field');
  h.syn = step(7);
  h.synAck = step(10);
  assert.equal(windowShift(h, 'client'), 7);
  assert.equal(windowShift(h, 'server'), 10);
  assert.equal(scaledWindow(h, 'client', 512, 0x10), 65536);
  assert.equal(scaledWindow(h, 'server', 64, 0x18), 65536);
  assert.equal(scaledWindow(h, 'server', 65483, 0x12), 65483, 'a SYN/ACK is never scaled');
  h.synAck = step(null);
  assert.equal(windowShift(h, 'client'), 0, 'one side did not offer it: nobody scales');
  assert.equal(scaledWindow(h, 'client', 512, 0x10), 512);
  h.synAck = step(15);
  assert.equal(windowShift(h, 'server'), 14, 'RFC 7323 caps the shift at 14');
});

test('the handshake diagram writes relative sequence numbers and the ACK window the connection uses, as tshark computes it', async () => {
  const capture = join(FIXTURES, 'recorded', 'pop3-numbers-and-errors.pcap');
  const golden = readGoldenTsv(goldenPath('net', capture, '.tsv'))!;
  const loaded = await loadCapture(capture);
  const m = loaded.output.models[0];
  await loaded.source.dispose();
  const lay = layoutHandshake(m, 460);
  const details = lay.arrows
    .filter((a) => ['syn', 'synack', 'ack'].includes(a.key))
    .map((a) => /^seq \d+ · win \d+/.exec(a.detail)?.[0]);
  const tsharkWindow = (frame: number) => {
    const g = golden[frame - 1];
    const factor = Number(g['tcp.window_size_scalefactor']);
    return Number(g['tcp.window_size_value']) * (factor > 0 ? factor : 1);
  };
  assert.deepEqual(details, [
    `seq ${golden[m.handshake.syn!.frame - 1]['tcp.seq']} · win ${tsharkWindow(m.handshake.syn!.frame)}`,
    `seq ${golden[m.handshake.synAck!.frame - 1]['tcp.seq']} · win ${tsharkWindow(m.handshake.synAck!.frame)}`,
    `seq ${golden[m.handshake.ack!.frame - 1]['tcp.seq']} · win ${tsharkWindow(m.handshake.ack!.frame)}`,
  ]);
  assert.deepEqual(details, ['seq 0 · win 65495', 'seq 0 · win 65483', 'seq 1 · win 65536']);
  assert.equal(
    handshakeStepNumbers(m.handshake, 'ack')!.rawSeq,
    Number(golden[m.handshake.ack!.frame - 1]['tcp.seq_raw']),
    'the raw number stays available',
  );
});

test("the packet's details add tshark's relative numbers and calculated window beside the raw fields", async () => {
  const capture = join(FIXTURES, 'recorded', 'pop3-numbers-and-errors.pcap');
  const golden = readGoldenTsv(goldenPath('net', capture, '.tsv'))!;
  const e = new Engine({});
  try {
    const s = await e.openAndWait(capture);
    for (const frame of [1, 2, 3, 8]) {
      const d = await e.getPacketDetail(s.info.id, frame);
      const tcp = d.layers.find((l) => l.id === 'tcp')!;
      const field = (name: string) => tcp.fields.find((f) => f.name === name)?.label;
      const g = golden[frame - 1];
      assert.equal(field('tcp.seq'), `Sequence Number: ${g['tcp.seq']} (relative sequence number)`);
      assert.equal(field('tcp.seq_raw'), `Sequence Number (raw): ${g['tcp.seq_raw']}`);
      if (parseInt(g['tcp.flags'], 16) & 0x10)
        assert.equal(field('tcp.ack'), `Acknowledgment Number: ${g['tcp.ack']} (relative ack number)`);
      const factor = g['tcp.window_size_scalefactor'];
      const window = Number(g['tcp.window_size_value']) * (Number(factor) > 0 ? Number(factor) : 1);
      assert.equal(field('tcp.window_size'), `[Calculated window size: ${window}]`);
      if (factor === '')
        assert.equal(field('tcp.window_size_scalefactor'), undefined, `frame ${frame}: a SYN has no factor`);
      else assert.equal(field('tcp.window_size_scalefactor'), `[Window size scaling factor: ${factor}]`);
    }
  } finally {
    await e.close();
  }
});

test('SACK edges in Info are relative like the ack number (SLE=5473, not the raw sequence number), as tshark prints them', async () => {
  for (const capture of [join(FIXTURES, 'corpus', 'chrissanders-packets', 'tcp_dupack.pcapng')]) {
    const golden = readGoldenTsv(goldenPath('net', capture, '.tsv'))!;
    const e = new Engine({});
    try {
      const s = await e.openAndWait(capture);
      const rows = await e.getPackets(s.info.id, 0, 100000);
      const edges = (info: string) => [...info.matchAll(/ (SLE|SRE)=(\d+)/g)].map((m) => `${m[1]}=${m[2]}`);
      let compared = 0;
      for (const [i, row] of rows.entries()) {
        const theirs = edges(golden[i]['_ws.col.Info']);
        if (!theirs.length || !/ Win=/.test(row.info)) continue;
        compared++;
        assert.deepEqual(edges(row.info), theirs, `frame ${row.no}`);
      }
      assert.ok(compared >= 3, `${compared} rows with SACK compared`);
    } finally {
      await e.close();
    }
  }
});
