/**
 * Property tests of TCP reassembly through the real pipeline (pcap bytes → reader → decoder → tracker):
 * any segmentation, reordering within the window, duplication and overlapping retransmission of a
 * byte stream gives back exactly that stream, across sequence wrap-around; segments that never arrive
 * become gaps of exactly the missing byte count; buffering stays within its limits.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { ipv4TcpPacket, writePcap, type PcapRecordSpec } from '../../helpers/capture-writer';
import { runTcp } from '../../helpers/tcp-run';

const CLIENT = 0x7f000001;
const SERVER = 0x7f000002;
const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;

interface Seg {
  dir: 'c' | 's';
  start: number;
  end: number;
}

/** Cuts [0, len) into segments at the given cut points (sorted, deduplicated). */
function segments(dir: 'c' | 's', len: number, cuts: number[]): Seg[] {
  const points = [...new Set(cuts.map((c) => c % (len + 1)))].filter((c) => c > 0 && c < len).sort((a, b) => a - b);
  const out: Seg[] = [];
  let at = 0;
  for (const p of [...points, len]) {
    if (p > at) out.push({ dir, start: at, end: p });
    at = p;
  }
  return out;
}

interface Scenario {
  c2s: Uint8Array;
  s2c: Uint8Array;
  isnC: number;
  isnS: number;
  order: Seg[];
  handshake: boolean;
}

function buildCapture(sc: Scenario): Uint8Array {
  const records: PcapRecordSpec[] = [];
  let t = 0;
  const push = (dir: 'c' | 's', seq: number, ack: number, flags: number, payload: Uint8Array) => {
    const c = dir === 'c';
    const data = ipv4TcpPacket({
      src: c ? CLIENT : SERVER,
      dst: c ? SERVER : CLIENT,
      sport: c ? 40000 : 25,
      dport: c ? 25 : 40000,
      seq,
      ack,
      flags,
      payload,
    });
    t += 1;
    records.push({ tsSec: 1_700_000_000 + Math.floor(t / 1000), tsFrac: (t % 1000) * 1000, origLen: data.length, data });
  };
  const dataC = (sc.isnC + 1) >>> 0;
  const dataS = (sc.isnS + 1) >>> 0;
  if (sc.handshake) {
    push('c', sc.isnC, 0, SYN, new Uint8Array(0));
    push('s', sc.isnS, dataC, SYN | ACK, new Uint8Array(0));
    push('c', dataC, dataS, ACK, new Uint8Array(0));
  }
  // Data segments carry an ACK of the peer's stream start only, so no hole is declared "acknowledged".
  for (const g of sc.order) {
    const bytes = g.dir === 'c' ? sc.c2s : sc.s2c;
    const base = g.dir === 'c' ? dataC : dataS;
    const peer = g.dir === 'c' ? dataS : dataC;
    push(g.dir, (base + g.start) >>> 0, peer, ACK | PSH, bytes.subarray(g.start, g.end));
  }
  return writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes;
}

const isnArb = fc.oneof(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0xffffffff - 3000, max: 0xffffffff }));

/** A stream, its cut points, a permutation (window of reordering) and duplicated/overlapping resends. */
const scenarioArb = fc
  .record({
    c2s: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
    s2c: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
    cutsC: fc.array(fc.nat(), { maxLength: 25 }),
    cutsS: fc.array(fc.nat(), { maxLength: 25 }),
    isnC: isnArb,
    isnS: isnArb,
    keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
    resends: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 10 }),
    handshake: fc.boolean(),
  })
  .map((r) => {
    const segs = [...segments('c', r.c2s.length, r.cutsC), ...segments('s', r.s2c.length, r.cutsS)];
    // Reordering: each segment moves by up to a few places (keys jitter the natural order).
    const keyed = segs.map((g, i) => ({ g, k: i + r.keys[i % r.keys.length] * 4 }));
    keyed.sort((a, b) => a.k - b.k);
    const order = keyed.map((x) => x.g);
    for (const [a, b, where] of r.resends) {
      // Resend an arbitrary (possibly overlapping several segments) range of one direction.
      const dir = a % 2 ? 'c' : 's';
      const len = dir === 'c' ? r.c2s.length : r.s2c.length;
      const start = a % len;
      const end = Math.min(len, start + 1 + (b % 2000));
      order.splice(where % (order.length + 1), 0, { dir, start, end });
    }
    return { c2s: r.c2s, s2c: r.s2c, isnC: r.isnC, isnS: r.isnS, order, handshake: r.handshake } as Scenario;
  });

test('any segmentation, reordering, duplication and overlap gives back exactly the bytes sent, across wrap-around', () => {
  fc.assert(
    fc.property(
      scenarioArb.filter((sc) => sc.handshake || (sc.order[0]?.start === 0 && sc.order.find((g) => g.dir !== sc.order[0].dir)?.start === 0)),
      (sc) => {
        const run = runTcp(buildCapture(sc));
        assert.equal(run.models.length, 1, 'one connection');
        const s = run.streams[0];
        assert.deepEqual(s.gaps, [], 'no gaps');
        assert.deepEqual(Buffer.concat(s.client), Buffer.from(sc.c2s));
        assert.deepEqual(Buffer.concat(s.server), Buffer.from(sc.s2c));
        // Every delivered byte is traced to a frame that carried it.
        for (const span of s.spans) assert.ok(span.frame >= 1 && span.length > 0);
      },
    ),
    { numRuns: 400, seed: 42 },
  );
});

test('segments that never arrive become gaps of exactly the missing byte count, and the stream goes on', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 10, maxLength: 4000 }),
      fc.array(fc.nat(), { minLength: 2, maxLength: 30 }),
      fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      isnArb,
      (bytes, cuts, dropMask, isn) => {
        const segs = segments('c', bytes.length, cuts);
        const kept = segs.filter((_, i) => i === 0 || i === segs.length - 1 || !dropMask[i % dropMask.length]);
        const sc: Scenario = { c2s: bytes, s2c: Uint8Array.of(1), isnC: isn, isnS: 1000, order: [...kept, { dir: 's', start: 0, end: 1 }], handshake: true };
        const run = runTcp(buildCapture(sc));
        const s = run.streams[0];
        const missing = bytes.length - kept.reduce((a, g) => a + g.end - g.start, 0);
        const gapBytes = s.gaps.filter((g) => g.dir === 'client').reduce((a, g) => a + g.length, 0);
        assert.equal(gapBytes, missing);
        // Holes next to each other merge into one gap; every gap sits where the dropped bytes were.
        let at = 0;
        const got = Buffer.concat(s.client);
        let gi = 0;
        for (const g of kept) {
          if (g.start > at) {
            const gap = s.gaps.filter((x) => x.dir === 'client')[gi++];
            assert.equal(gap.offset, at);
            assert.equal(gap.length, g.start - at);
          }
          at = g.end;
        }
        const delivered = Buffer.concat(kept.map((g) => Buffer.from(bytes.subarray(g.start, g.end))));
        assert.deepEqual(got, delivered);
      },
    ),
    { numRuns: 300, seed: 9 },
  );
});

test('buffering is capped: past the per-connection limit the stream skips ahead with a buffer-limit gap', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2000, max: 20000 }), fc.integer({ min: 100, max: 1400 }), (total, mss) => {
      const bytes = new Uint8Array(total).map((_, i) => i & 0xff);
      const segs = segments('c', total, Array.from({ length: Math.ceil(total / mss) }, (_, i) => i * mss));
      // The first segment is lost for good; everything after it arrives and must be buffered.
      const sc: Scenario = { c2s: bytes, s2c: Uint8Array.of(1), isnC: 5, isnS: 9, order: segs.slice(1), handshake: true };
      const limit = 1024;
      fc.pre(total - segs[0].end > limit);
      const run = runTcp(buildCapture(sc), { maxBufferedBytesPerConnection: limit });
      const s = run.streams[0];
      const client = s.gaps.filter((g) => g.dir === 'client');
      assert.ok(client.length >= 1);
      assert.equal(client[0].offset, 0);
      assert.equal(client[0].length, segs[0].end);
      assert.equal(Buffer.concat(s.client).length + client.reduce((a, g) => a + g.length, 0), total);
      // More than `limit` bytes wait behind the hole, so the hole is skipped because of the cap.
      assert.equal(client[0].reason, 'buffer-limit');
      assert.ok(run.models[0].diagnostics.some((d) => d.code === 'tcp.reassembly.buffer_limit'));
    }),
    { numRuns: 100, seed: 1 },
  );
});

