/**
 * Each malformed shape named in the foundation issue, on files written byte by byte: what is kept,
 * what is reported (stable diagnostic codes), and that nothing throws except NotACaptureError for
 * files that are not captures at all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { NotACaptureError } from '../../../dissectors/capture/types';
import { decodePacket } from '../../../dissectors/net/decode';
import { concat, ipv4TcpPacket, writePcap, writePcapngSection } from '../../helpers/capture-writer';

const pkt = (n: number) => ipv4TcpPacket({ src: 0x7f000001, dst: 0x7f000001, sport: 1000 + n, dport: 25, seq: n, ack: 0, flags: 0x02, payload: new Uint8Array(n) });
const records = [1, 2, 3].map((n) => ({ tsSec: 1_800_000_000 + n, tsFrac: 0, origLen: pkt(n).length, data: pkt(n) }));
const codes = (s: { diagnostics: Array<{ code: string }> }) => s.diagnostics.map((d) => d.code);

test('truncated file: a record cut in the middle is dropped, the ones before it are kept, truncation is reported', () => {
  const { bytes } = writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records });
  const { records: got, summary } = readCaptureBytes(bytes.subarray(0, bytes.length - 5));
  assert.equal(got.length, 2);
  assert.equal(summary.truncated, true);
  assert.deepEqual(codes(summary), ['capture.file.truncated']);
  assert.match(summary.diagnostics[0].message, /every complete packet before it was read/);
});

test('truncated record header: the file ends inside the 16-byte record header', () => {
  const { bytes, dataOffsets } = writePcap({ little: false, nanos: true, linkType: 101, snapLen: 65535, records });
  const { records: got, summary } = readCaptureBytes(bytes.subarray(0, dataOffsets[2] - 9));
  assert.equal(got.length, 2);
  assert.equal(summary.truncated, true);
});

test('empty and non-capture files are refused with what was found; a cut file header is a truncated capture', () => {
  const { bytes } = writePcap({ little: true, nanos: false, linkType: 1, snapLen: 65535, records: [] });
  assert.throws(() => readCaptureBytes(new Uint8Array(0)), /empty file/);
  const cut = readCaptureBytes(bytes.subarray(0, 10));
  assert.equal(cut.records.length, 0);
  assert.equal(cut.summary.truncated, true);
  assert.throws(() => readCaptureBytes(new TextEncoder().encode('220 mail ESMTP\r\n')), /starts with the text '220 '/);
  assert.throws(() => readCaptureBytes(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0)), NotACaptureError);
});

test('lying length: a record claiming 4 GB is reported, the records before it kept, nothing allocated for it', () => {
  const { bytes, dataOffsets } = writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records });
  const bad = bytes.slice();
  new DataView(bad.buffer).setUint32(dataOffsets[1] - 8, 0xfffffff0, true); // record 2 caplen
  const { records: got, summary } = readCaptureBytes(bad);
  assert.equal(got.length, 1);
  assert.equal(summary.truncated, true);
  assert.ok(codes(summary).includes('pcap.record.length_invalid'));
});

test('lying length: captured length larger than the original length is kept and flagged', () => {
  const recs = records.map((r, i) => (i === 1 ? { ...r, origLen: 10 } : r));
  const { bytes } = writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records: recs });
  const { records: got, summary } = readCaptureBytes(bytes);
  assert.equal(got.length, 3);
  assert.equal(got[1].origLen, 10);
  assert.ok(codes(summary).includes('pcap.record.caplen_exceeds_len'));
});

test('lying length: a pcapng block length pointing past the end of the file', () => {
  const file = writePcapngSection({
    little: true,
    interfaces: [{ linkType: 101, snapLen: 65535 }],
    blocks: records.map((r) => ({ kind: 'epb' as const, iface: 0, ts: 1n, origLen: r.origLen, data: r.data })),
  });
  const bad = file.slice();
  // The last EPB's total length: make it claim 1 MiB.
  const lastStart = file.length - (32 + ((records[2].data.length + 3) & ~3));
  new DataView(bad.buffer).setUint32(lastStart + 4, 1 << 20, true);
  const { records: got, summary } = readCaptureBytes(bad);
  assert.equal(got.length, 2);
  assert.equal(summary.truncated, true);
});

test('lying length: a pcapng block length that is not a multiple of 4 or below 12 is reported, never looped on', () => {
  const file = writePcapngSection({ little: false, interfaces: [{ linkType: 101, snapLen: 65535 }], blocks: [{ kind: 'epb', iface: 0, ts: 1n, origLen: records[0].origLen, data: records[0].data }] });
  for (const len of [0, 4, 13]) {
    const bad = concat([file, Uint8Array.of(0, 0, 0, 6, 0, 0, 0, len, 0, 0, 0, 0)]);
    const { records: got, summary } = readCaptureBytes(bad);
    assert.equal(got.length, 1);
    assert.ok(summary.diagnostics.length > 0, `length ${len} reported`);
  }
});

test('pcapng: a packet on an interface that was never described is kept (undecodable link type) and reported', () => {
  const file = writePcapngSection({
    little: true,
    interfaces: [{ linkType: 101, snapLen: 65535 }],
    blocks: [
      { kind: 'epb', iface: 0, ts: 5n, origLen: records[0].origLen, data: records[0].data },
      { kind: 'epb', iface: 3, ts: 6n, origLen: records[1].origLen, data: records[1].data },
    ],
  });
  const { records: got, summary } = readCaptureBytes(file);
  assert.equal(got.length, 2);
  assert.deepEqual(summary.diagnostics.map((d) => [d.code, d.frame]), [['pcapng.packet.interface_unknown', 2]]);
});

test('unknown blocks are skipped; zero-length packets are kept and decode to a marked, empty packet', () => {
  const file = writePcapngSection({
    little: true,
    comment: 'lesson 4',
    interfaces: [{ linkType: 1, snapLen: 65535 }],
    blocks: [
      { kind: 'unknown', type: 0x0badf00d, body: new Uint8Array(20) },
      { kind: 'epb', iface: 0, ts: 1n, origLen: 0, data: new Uint8Array(0) },
      { kind: 'unknown', type: 0x00000bad, body: new Uint8Array(3) },
      { kind: 'epb', iface: 0, ts: 2n, origLen: 60, data: new Uint8Array(0), comment: 'cut to nothing' },
    ],
  });
  const { records: got, summary } = readCaptureBytes(file);
  assert.equal(got.length, 2);
  assert.deepEqual(summary.comments, ['lesson 4']);
  assert.equal(got[1].comment, 'cut to nothing');
  for (const r of got) {
    assert.equal(r.capLen, 0);
    const p = decodePacket(r.linkType, r.data, r.frame);
    assert.ok(p.diagnostics.length > 0, 'an empty Ethernet frame is marked');
  }
});
