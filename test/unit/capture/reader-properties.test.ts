/**
 * Property tests of the capture readers on files written independently (test/helpers/capture-writer):
 * every record comes back with its bytes, lengths, timestamp, interface and file offset, whatever the
 * byte order, timestamp resolution or chunking; hostile bytes give records or NotACaptureError, never
 * another exception.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { createCaptureReader, readCaptureBytes } from '../../../dissectors/capture/reader';
import { NotACaptureError, type CaptureRecord } from '../../../dissectors/capture/types';
import { concat, writePcap, writePcapngSection, type PcapngBlockSpec } from '../../helpers/capture-writer';

const bytesArb = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

function readChunked(bytes: Uint8Array, cuts: number[]): { records: CaptureRecord[]; truncated: boolean } {
  const records: CaptureRecord[] = [];
  const reader = createCaptureReader({ onRecord: (r) => records.push({ ...r, data: r.data.slice() }) });
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(bytes.length, c);
    if (to > at) reader.push(bytes.subarray(at, to));
    at = Math.max(at, to);
  }
  reader.push(bytes.subarray(at));
  const summary = reader.end();
  return { records, truncated: summary.truncated };
}

const pcapArb = fc.record({
  little: fc.boolean(),
  nanos: fc.boolean(),
  linkType: fc.constantFrom(1, 101, 113, 0, 228),
  snapLen: fc.integer({ min: 64, max: 262144 }),
  records: fc.array(
    fc.record({
      tsSec: fc.integer({ min: 0, max: 0xffffffff }),
      frac: fc.double({ min: 0, max: 0.999999, noNaN: true }),
      extra: fc.integer({ min: 0, max: 2000 }),
      data: bytesArb(300),
    }),
    { maxLength: 30 },
  ),
});

test('classic pcap: every record round-trips (both byte orders, µs and ns, snaplen-cut lengths)', () => {
  fc.assert(
    fc.property(pcapArb, fc.array(fc.nat(20000), { maxLength: 8 }), (spec, cuts) => {
      const units = spec.nanos ? 1e9 : 1e6;
      const records = spec.records.map((r) => ({
        tsSec: r.tsSec,
        tsFrac: Math.floor(r.frac * units),
        origLen: r.data.length + r.extra,
        data: r.data,
      }));
      const { bytes, dataOffsets } = writePcap({ ...spec, records });
      const got = readChunked(bytes, cuts);
      assert.equal(got.truncated, false);
      assert.equal(got.records.length, records.length);
      got.records.forEach((g, i) => {
        const w = records[i];
        assert.equal(g.frame, i + 1);
        assert.equal(g.linkType, spec.linkType);
        assert.equal(g.capLen, w.data.length);
        assert.equal(g.origLen, w.origLen);
        assert.equal(g.tsSec, w.tsSec);
        assert.equal(g.tsNsec, spec.nanos ? w.tsFrac : w.tsFrac * 1000);
        assert.equal(g.fileOffset, dataOffsets[i]);
        assert.deepEqual(g.data, w.data);
        assert.deepEqual(bytes.subarray(g.fileOffset, g.fileOffset + g.capLen), w.data);
      });
    }),
    { numRuns: 300, seed: 20261129 },
  );
});

const tsresolArb = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 0, max: 9 }),
  fc.integer({ min: 0, max: 30 }).map((n) => 0x80 | n),
);

const sectionArb = fc
  .record({
    little: fc.boolean(),
    comment: fc.option(fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')), { nil: undefined }),
    interfaces: fc.array(
      fc.record({ linkType: fc.constantFrom(1, 101, 113, 276), snapLen: fc.constant(262144), tsresol: tsresolArb, tsoffset: fc.option(fc.integer({ min: 0, max: 100000 }), { nil: undefined }) }),
      { minLength: 1, maxLength: 3 },
    ),
    blocks: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('epb' as const),
          iface: fc.nat(2),
          ts: fc.bigInt({ min: 0n, max: (1n << 62n) - 1n }),
          extra: fc.nat(100),
          data: bytesArb(200),
          comment: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\0')), { nil: undefined }),
        }),
        fc.record({ kind: fc.constant('spb' as const), data: bytesArb(200) }),
        fc.record({ kind: fc.constant('pb' as const), iface: fc.nat(2), ts: fc.bigInt({ min: 0n, max: (1n << 62n) - 1n }), data: bytesArb(200) }),
        fc.record({ kind: fc.constant('unknown' as const), type: fc.constantFrom(0x0bad, 0x40000001, 5, 4), body: bytesArb(40) }),
      ),
      { maxLength: 20 },
    ),
  })
  .map((s) => ({
    ...s,
    blocks: s.blocks.map((b): PcapngBlockSpec => {
      if (b.kind === 'epb') return { kind: 'epb', iface: b.iface % s.interfaces.length, ts: b.ts, origLen: b.data.length + b.extra, data: b.data, comment: b.comment };
      if (b.kind === 'spb') return { kind: 'spb', origLen: b.data.length, data: b.data };
      if (b.kind === 'pb') return { kind: 'pb', iface: b.iface % s.interfaces.length, ts: b.ts, origLen: b.data.length, data: b.data };
      return b;
    }),
  }));

function unitsOf(tsresol: number | undefined): bigint {
  if (tsresol === undefined) return 1_000_000n;
  return tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
}

test('pcapng: several sections of either byte order, interfaces with their own tsresol and tsoffset; EPB, SPB and obsolete PB kept, unknown blocks skipped, comments kept', () => {
  fc.assert(
    fc.property(fc.array(sectionArb, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(8000), { maxLength: 6 }), (sections, cuts) => {
      const file = concat(sections.map((s) => writePcapngSection(s)));
      const got = readChunked(file, cuts);
      const whole = readCaptureBytes(file);
      assert.equal(got.truncated, false);
      // Interface ids are global over the file (as tshark's frame.interface_id): section k's
      // interfaces follow those of the sections before it.
      const firstIface = sections.map((_, k) => sections.slice(0, k).reduce((a, s) => a + s.interfaces.length, 0));
      const expected = sections.flatMap((s, k) =>
        s.blocks
          .filter((b) => b.kind !== 'unknown')
          .map((b) => {
            const local = b.kind === 'epb' || b.kind === 'pb' ? b.iface : 0;
            return { b, iface: s.interfaces[local], ifIndex: firstIface[k] + local };
          }),
      );
      assert.equal(got.records.length, expected.length);
      assert.deepEqual(
        whole.summary.comments,
        sections.filter((s) => s.comment).map((s) => s.comment),
      );
      got.records.forEach((g, i) => {
        const { b, iface, ifIndex } = expected[i];
        assert.equal(g.frame, i + 1);
        assert.equal(g.linkType, iface.linkType);
        assert.equal(g.interfaceId, ifIndex);
        if (b.kind === 'epb' || b.kind === 'pb') {
          const u = unitsOf(iface.tsresol);
          assert.equal(g.tsSec, Number(b.ts / u) + (iface.tsoffset ?? 0), `frame ${i + 1} seconds`);
          assert.equal(g.tsNsec, Number(((b.ts % u) * 1_000_000_000n) / u), `frame ${i + 1} nanoseconds`);
          assert.equal(g.origLen, b.origLen);
          if (b.kind === 'epb') assert.equal(g.comment, b.comment);
        } else if (b.kind === 'spb') {
          assert.equal(g.origLen, b.origLen);
        }
        assert.deepEqual(g.data, b.data);
        assert.deepEqual(file.subarray(g.fileOffset, g.fileOffset + g.capLen), b.data);
      });
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('a file cut anywhere gives the whole records before the cut and is marked truncated', () => {
  fc.assert(
    fc.property(pcapArb, fc.nat(), (spec, cutSeed) => {
      const records = spec.records.map((r) => ({ tsSec: r.tsSec, tsFrac: 0, origLen: r.data.length, data: r.data }));
      const { bytes, dataOffsets } = writePcap({ ...spec, records });
      if (bytes.length <= 24) return;
      const cut = 24 + (cutSeed % (bytes.length - 24));
      const got = readChunked(bytes.subarray(0, cut), []);
      const whole = dataOffsets.filter((off, i) => off + records[i].data.length <= cut).length;
      assert.equal(got.records.length, whole);
      const endsOnRecord = cut === 24 || dataOffsets.some((off, i) => off + records[i].data.length === cut);
      assert.equal(got.truncated, !endsOnRecord);
    }),
    { numRuns: 300, seed: 11 },
  );
});

function readOrReject(bytes: Uint8Array): void {
  try {
    const { records } = readCaptureBytes(bytes);
    for (const r of records) {
      assert.ok(r.capLen <= bytes.length, 'a record cannot be larger than the file');
      assert.ok(r.fileOffset + r.capLen <= bytes.length, 'a record lies inside the file');
    }
  } catch (e) {
    if (!(e instanceof NotACaptureError)) throw e;
  }
}

test('arbitrary bytes: records or NotACaptureError, never another exception', () => {
  fc.assert(fc.property(bytesArb(4096), readOrReject), { numRuns: 2000, seed: 3 });
});

test('corrupted valid files (bytes flipped, lengths spliced): records or NotACaptureError, never another exception', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        pcapArb.map((s) => writePcap({ ...s, records: s.records.map((r) => ({ tsSec: r.tsSec, tsFrac: 0, origLen: r.data.length, data: r.data })) }).bytes),
        sectionArb.map((s) => writePcapngSection(s)),
      ),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
      (file, flips) => {
        const bad = file.slice();
        for (const [at, v] of flips) if (bad.length) bad[at % bad.length] = v;
        readOrReject(bad);
      },
    ),
    { numRuns: 2000, seed: 5 },
  );
});
