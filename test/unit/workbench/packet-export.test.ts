/**
 * Export Specified Packets and Merge, read back by the project's own reader: every written packet
 * has the source's bytes, lengths and timestamp (to the nanosecond), comments are written and read
 * back, a merge is in time order and holds every packet of its inputs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import type { CaptureRecord } from '../../../dissectors/capture/types';
import { exportPackets, mergeCaptures, readPacketComments } from '../../../electron/engine/packet-export';
import { FIXTURES } from '../../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wl-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NG = join(FIXTURES, 'bench-small/bench-eth-s7.pcapng');
const PCAP = join(FIXTURES, 'bench-small/bench-eth-s6.pcap');
const NULL_LINK = join(FIXTURES, 'bench-small/bench-null-s11.pcap');

const read = (p: string) => readCaptureBytes(readFileSync(p)).records;
const same = (a: CaptureRecord, b: CaptureRecord) => {
  assert.equal(a.tsSec, b.tsSec, `frame ${b.frame} seconds`);
  assert.equal(a.tsNsec, b.tsNsec, `frame ${b.frame} nanoseconds`);
  assert.equal(a.origLen, b.origLen);
  assert.equal(a.linkType, b.linkType);
  assert.deepEqual(Buffer.from(a.data), Buffer.from(b.data));
};

for (const format of ['pcapng', 'pcap'] as const) {
  test(`every packet exported as ${format} reads back equal (bytes, lengths, timestamps)`, async () => {
    const src = read(NG);
    const out = join(dir, `all.${format}`);
    const r = await exportPackets(NG, out, { format, include: () => true });
    assert.equal(r.packets, src.length);
    const back = readCaptureBytes(readFileSync(out));
    assert.equal(back.summary.format, format);
    assert.equal(back.records.length, src.length);
    back.records.forEach((b, i) => same(b, src[i]));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.partial')),
      [],
      'no temporary file left',
    );
  });
}

test('a chosen set of packets, with comments added, replaced and removed, round-trips', async () => {
  const out = join(dir, 'chosen.pcapng');
  const chosen = new Set([2, 3, 5, 8]);
  const edits = new Map<number, string | null>([
    [2, 'teacher: the SYN'],
    [3, 'naïve ✓ comment'],
    [5, null],
  ]);
  await exportPackets(PCAP, out, {
    format: 'pcapng',
    include: (f) => chosen.has(f),
    commentFor: (f) => edits.get(f),
  });
  const src = read(PCAP);
  const back = read(out);
  assert.equal(back.length, 4);
  back.forEach((b, k) => same(b, src[[2, 3, 5, 8][k] - 1]));
  const comments = await readPacketComments(out);
  assert.deepEqual(
    [...comments],
    [
      [1, 'teacher: the SYN'],
      [2, 'naïve ✓ comment'],
    ],
  );
  // Exported again with no edit, the comments stay.
  const again = join(dir, 'again.pcapng');
  await exportPackets(out, again, { format: 'pcapng', include: () => true });
  assert.deepEqual(
    [...(await readPacketComments(again))],
    [
      [1, 'teacher: the SYN'],
      [2, 'naïve ✓ comment'],
    ],
  );
});

test('merge: every packet of both files, in time order, each input keeping its own order', async () => {
  const out = join(dir, 'merged.pcapng');
  const a = read(PCAP);
  const b = read(NG);
  const r = await mergeCaptures([PCAP, NG], out, 'pcapng');
  const m = read(out);
  assert.equal(r.packets, a.length + b.length);
  assert.equal(m.length, a.length + b.length);
  const key = (x: CaptureRecord) =>
    `${x.tsSec}.${String(x.tsNsec).padStart(9, '0')}:${Buffer.from(x.data).toString('hex')}`;
  assert.deepEqual(m.map(key).sort(), [...a, ...b].map(key).sort());
  for (let i = 1; i < m.length; i++) {
    const earlier =
      m[i - 1].tsSec < m[i].tsSec || (m[i - 1].tsSec === m[i].tsSec && m[i - 1].tsNsec <= m[i].tsNsec);
    // Only where an input is itself out of order may time go back.
    if (!earlier)
      assert.ok(
        b.some(
          (x, k) =>
            k > 0 && (x.tsSec < b[k - 1].tsSec || (x.tsSec === b[k - 1].tsSec && x.tsNsec < b[k - 1].tsNsec)),
        ),
        `frame ${i + 1} goes back in time`,
      );
  }
});

test('pcap holds one link type: merging Ethernet with BSD loopback as pcap is refused with the way out, and leaves no file', async () => {
  const out = join(dir, 'mixed.pcap');
  await assert.rejects(mergeCaptures([PCAP, NULL_LINK], out, 'pcap'), /one link type.*save as pcapng/);
  assert.equal(existsSync(out), false);
  const ng = join(dir, 'mixed.pcapng');
  await mergeCaptures([PCAP, NULL_LINK], ng, 'pcapng');
  assert.deepEqual([...new Set(read(ng).map((r) => r.linkType))].sort(), [0, 1]);
});
