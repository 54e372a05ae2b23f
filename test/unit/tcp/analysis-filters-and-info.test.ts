/**
 * Every tcp.analysis.* display-filter field the filter accepts selects the frames tshark 4.0 marks
 * (fixtures/golden/tcp-analysis), through the engine as the app uses it; numeric comparisons on
 * duplicate_ack_num, ack_rtt and bytes_in_flight match tshark's values; an unknown tcp.analysis.*
 * name is an error naming the closest known fields; and the Info column's analysis brackets —
 * `[TCP Dup ACK 53#2]`, `[TCP ACKed unseen segment]`, `[TCP Port numbers reused]`, … — equal
 * tshark's `_ws.col.Info` (fixtures/golden/net) on every row, in front of an application's summary too.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { TCP_ANALYSIS_FIELDS } from '../../../dissectors/filter/fields';
import { Engine } from '../../../electron/engine/engine';
import { FIXTURES, goldenPath, readGoldenTsv } from '../../helpers/fixtures';

const CAPTURES = [
  'corpus/chrissanders-packets/tcp_dupack.pcapng',
  'corpus/chrissanders-packets/tcp_retransmissions.pcapng',
  'corpus/chrissanders-packets/tcp_zerowindowrecovery.pcapng',
  'corpus/chrissanders-packets/http_espn.pcapng',
  'corpus/suricata-verify/tests/bug-3616-smtp/input.pcap',
  'corpus/suricata-verify/tests/issue-3341-tcphdr-01/urgent11_cve_2019_12260.pcap',
  'bench-small/bench-eth-s6.pcap',
  'bench-small/bench-eth-s17.pcapng',
  'recorded/tcp-keepalive-zero-window.pcap',
];

type Row = Record<string, string>;

/** The frames tshark gives a value of the field (a flag set, or a number). */
function tsharkFrames(rows: Row[], field: string, test: (v: number) => boolean = () => true): number[] {
  const short = field.slice('tcp.analysis.'.length);
  return rows
    .filter((r) => {
      if (short === 'flags') return r.flags !== '';
      if (short in r) return r[short] !== '' && test(Number(r[short]));
      return r.flags.split(' ').includes(field);
    })
    .map((r) => Number(r.frame));
}

/** The analysis brackets of an Info (not tshark's reassembly note `[TCP segment of a reassembled PDU]`). */
const brackets = (info: string): string[] => (info.match(/\[TCP [^\]]*\]/g) ?? []).filter((b) => !b.startsWith('[TCP segment of'));

const seen = { fields: new Set<string>(), dupAckInfo: 0, otherInfo: 0 };

for (const name of CAPTURES) {
  test(`tcp.analysis filters and Info equal tshark's: ${name}`, async () => {
    const file = join(FIXTURES, name);
    const golden = readGoldenTsv(goldenPath('tcp-analysis', file, '.tsv'));
    assert.ok(golden, 'tshark golden present');
    const e = new Engine({});
    try {
      const s = await e.openAndWait(file);
      const id = s.info.id;
      const framesOf = async (filter: string): Promise<number[]> => {
        const r = await e.setFilter(id, filter);
        assert.ok(r.ok, `${filter}: ${r.error}`);
        return (await e.getPackets(id, 0, 1_000_000)).map((p) => p.no);
      };
      for (const field of TCP_ANALYSIS_FIELDS) {
        if (field === 'tcp.analysis.acks_frame') continue; // (not in the golden; checked below)
        const want = tsharkFrames(golden, field);
        if (want.length) seen.fields.add(field);
        assert.deepEqual(await framesOf(field), want, field);
      }
      // acks_frame is on every ACK that acknowledges a segment exactly, ack_rtt on those with a non-zero time.
      const acks = new Set(await framesOf('tcp.analysis.acks_frame'));
      for (const f of tsharkFrames(golden, 'tcp.analysis.ack_rtt'))
        assert.ok(acks.has(f), `frame ${f} has acks_frame`);
      // Values, not only presence.
      assert.deepEqual(
        await framesOf('tcp.analysis.duplicate_ack_num >= 2'),
        tsharkFrames(golden, 'tcp.analysis.duplicate_ack_num', (v) => v >= 2),
      );
      assert.deepEqual(
        await framesOf('tcp.analysis.bytes_in_flight > 2000'),
        tsharkFrames(golden, 'tcp.analysis.bytes_in_flight', (v) => v > 2000),
      );
      assert.deepEqual(
        await framesOf('tcp.analysis.ack_rtt > 0.01'),
        tsharkFrames(golden, 'tcp.analysis.ack_rtt', (v) => v > 0.01),
      );

      // Info: the analysis brackets tshark prints, on every row (application rows too).
      const net = readGoldenTsv(goldenPath('net', file, '.tsv'));
      if (!net) return;
      await e.setFilter(id, '');
      const rows = await e.getPackets(id, 0, 1_000_000);
      assert.equal(rows.length, net.length);
      for (const [i, row] of rows.entries()) {
        const theirs = brackets(net[i]['_ws.col.Info']);
        assert.deepEqual(
          brackets(row.info),
          theirs,
          `frame ${row.no}: ours ${row.info} — tshark ${net[i]['_ws.col.Info']}`,
        );
        for (const b of theirs)
          if (b.startsWith('[TCP Dup ACK ')) seen.dupAckInfo++;
          else seen.otherInfo++;
      }
    } finally {
      await e.close();
    }
  });
}

test('the captures exercised the analysis tshark names', () => {
  for (const f of [
    'tcp.analysis.duplicate_ack_num',
    'tcp.analysis.ack_lost_segment',
    'tcp.analysis.lost_segment',
    'tcp.analysis.window_full',
    'tcp.analysis.reused_ports',
    'tcp.analysis.fast_retransmission',
    'tcp.analysis.spurious_retransmission',
    'tcp.analysis.out_of_order',
    'tcp.analysis.zero_window',
    'tcp.analysis.keep_alive',
    'tcp.analysis.keep_alive_ack',
    'tcp.analysis.window_update',
    'tcp.analysis.ack_rtt',
    'tcp.analysis.bytes_in_flight',
  ])
    assert.ok(seen.fields.has(f), `no fixture frame has ${f}`);
  assert.ok(
    seen.dupAckInfo > 100 && seen.otherInfo >= 10,
    JSON.stringify({ ...seen, fields: seen.fields.size }),
  );
});

test('an unknown tcp.analysis field is an error naming the closest known ones', async () => {
  const e = new Engine({});
  try {
    const s = await e.openAndWait(join(FIXTURES, CAPTURES[0]));
    const r = await e.setFilter(s.info.id, 'tcp.analysis.dup_ack_num == 1');
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /tcp\.analysis\.dup_ack_num.*closest.*tcp\.analysis\.duplicate_ack_num/);
    const r2 = await e.setFilter(s.info.id, 'tcp.analysis.ack_lost');
    assert.match(r2.error ?? '', /tcp\.analysis\.ack_lost_segment/);
  } finally {
    await e.close();
  }
});

test("packet details' [SEQ/ACK analysis] gives tshark's numbers on every frame", async () => {
  let checked = 0;
  for (const name of ['corpus/chrissanders-packets/tcp_dupack.pcapng', 'bench-small/bench-eth-s17.pcapng']) {
    const file = join(FIXTURES, name);
    const golden = readGoldenTsv(goldenPath('tcp-analysis', file, '.tsv'))!;
    const e = new Engine({});
    try {
      const s = await e.openAndWait(file);
      for (const r of golden) {
        const d = await e.getPacketDetail(s.info.id, Number(r.frame));
        const tcp = d.layers.find((l) => l.id === 'tcp')!;
        const analysis = tcp.fields.find((f) => f.name === 'tcp.analysis');
        const labels = (analysis?.children ?? []).map((c) => c.label);
        const has = (label: string): boolean => labels.includes(label);
        const want: string[] = [];
        if (r.ack_rtt) want.push(`[The RTT to ACK the segment was: ${r.ack_rtt} seconds]`);
        if (r.bytes_in_flight) want.push(`[Bytes in flight: ${r.bytes_in_flight}]`);
        if (r.duplicate_ack_num)
          want.push(
            `[Duplicate ACK #: ${r.duplicate_ack_num}]`,
            `[Duplicate to the ACK in frame: ${r.duplicate_ack_frame}]`,
          );
        for (const w of want) assert.ok(has(w), `frame ${r.frame}: ${w} in ${JSON.stringify(labels)}`);
        const numbers = labels.filter((l) => /^\[(The RTT|Bytes in flight|Duplicate)/.test(l));
        assert.equal(numbers.length, want.length, `frame ${r.frame}: ${JSON.stringify(labels)}`);
        checked += want.length;
      }
    } finally {
      await e.close();
    }
  }
  assert.ok(checked > 100, `${checked} values checked`);
});
