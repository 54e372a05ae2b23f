/**
 * pcapng Interface Statistics Blocks — what the capturing program counted, above all the packets
 * the kernel dropped — on real files (dumpcap on lo with and without drops, a Windows capture from
 * the corpus) and on damaged or hostile blocks spliced into a real file: counts are read into the
 * capture facts, drops become a warning in `analyze`'s report, nothing else changes and nothing throws.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { loadCapture } from '../../../electron/engine/load-capture';
import { ROOT } from '../../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-isb-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** `wirelens analyze` of these bytes, as the engine loads a file. */
async function analyzeCaptureBytes(bytes: Uint8Array) {
  const path = join(dir, `c${n++}.pcapng`);
  writeFileSync(path, bytes);
  const loaded = await loadCapture(path);
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return report;
}

const file = (p: string) => new Uint8Array(readFileSync(join(ROOT, 'fixtures', p)));
const DUMPCAP = 'recorded/dumpcap/dumpcap-lo.pcapng';

/** The file's blocks as [type, offset, length] (little-endian files). */
function blocks(bytes: Uint8Array): Array<[number, number, number]> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Array<[number, number, number]> = [];
  for (let at = 0; at + 12 <= bytes.length; ) {
    const len = dv.getUint32(at + 4, true);
    out.push([dv.getUint32(at, true), at, len]);
    at += len;
  }
  return out;
}

/** An ISB (little-endian) for interface `id` with these options ([code, value bytes]). */
function isb(id: number, options: Array<[number, Uint8Array]>): Uint8Array {
  const body: number[] = [];
  const u32 = (v: number) => body.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  const u16 = (v: number) => body.push(v & 255, v >>> 8);
  u32(id);
  u32(0);
  u32(0);
  for (const [code, value] of options) {
    u16(code);
    u16(value.length);
    body.push(...value, ...new Array((4 - (value.length % 4)) % 4).fill(0));
  }
  u16(0);
  u16(0);
  const len = 12 + body.length;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 5, true);
  dv.setUint32(4, len, true);
  out.set(body, 8);
  dv.setUint32(len - 4, len, true);
  return out;
}

const u64 = (n: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
};

/** The real dumpcap file with its own ISB replaced by `tail`. */
function withStatistics(tail: Uint8Array): Uint8Array {
  const bytes = file(DUMPCAP);
  const last = blocks(bytes).at(-1)!;
  assert.equal(last[0], 5, 'dumpcap ends its file with an ISB');
  const out = new Uint8Array(last[1] + tail.length);
  out.set(bytes.subarray(0, last[1]));
  out.set(tail, last[1]);
  return out;
}

test('real files: dumpcap on lo (no drops, and 33,104 dropped) and a Windows capture', () => {
  const clean = readCaptureBytes(file(DUMPCAP)).summary.interfaces;
  assert.deepEqual(clean.map((i) => [i.name, i.stats]), [['lo', { received: 3, dropped: 0, osDropped: null, filterAccepted: null, delivered: null }]]);
  const dropped = readCaptureBytes(file('recorded/dumpcap/dropped-burst.pcapng'));
  assert.deepEqual(dropped.summary.interfaces[0].stats, { received: 3448, dropped: 33104, osDropped: null, filterAccepted: null, delivered: null });
  assert.equal(dropped.records.length, 3448);
  // dumpcap said the same on stderr when it stopped.
  assert.match(readFileSync(join(ROOT, 'fixtures/recorded/dumpcap/dropped-burst.stderr.txt'), 'utf8'), /: 3448\/33104 /);
  const windows = readCaptureBytes(file('corpus/chrissanders-packets/mail_sender_client_1.pcapng')).summary.interfaces;
  assert.equal(windows[0].stats?.received, 122);
  assert.equal(windows[0].stats?.dropped, 0);
  // A capture without statistics (most files) has none.
  assert.equal(readCaptureBytes(file('corpus/chrissanders-packets/tcp_teardown.pcapng')).summary.interfaces.some((i) => i.stats), false);
});

test('analyze: the statistics in the capture facts, and a warning only when packets were dropped', async () => {
  const lost = (await analyzeCaptureBytes(file('recorded/dumpcap/dropped-burst.pcapng'))).capture;
  assert.deepEqual(lost.interfaceStatistics, [{ interface: 0, name: 'lo', received: 3448, dropped: 33104, osDropped: null, filterAccepted: null, delivered: null }]);
  const warning = lost.diagnostics.filter((d) => d.code === 'capture.packets_dropped');
  assert.equal(warning.length, 1);
  assert.equal(warning[0].severity, 'warn');
  assert.match(warning[0].message, /recorded 33104 packets dropped on lo \(it received 3448\): they are not in this file/);
  const clean = (await analyzeCaptureBytes(file(DUMPCAP))).capture;
  assert.equal(clean.interfaceStatistics[0].dropped, 0);
  assert.equal(clean.diagnostics.length, 0);
  assert.deepEqual((await analyzeCaptureBytes(file('lessons/smtp-pop3-lesson.pcap'))).capture.interfaceStatistics, [], 'pcap files have none');
  // The OS's drops count too.
  const os = (await analyzeCaptureBytes(withStatistics(isb(0, [[7, u64(5n)]])))).capture;
  assert.match(os.diagnostics.find((d) => d.code === 'capture.packets_dropped')!.message, /recorded 5 packets dropped on lo: /);
});

test('damaged statistics blocks are reported and skipped: too short, unknown interface, odd option sizes, impossible counters', () => {
  const short = new Uint8Array(20);
  const dv = new DataView(short.buffer);
  dv.setUint32(0, 5, true);
  dv.setUint32(4, 20, true);
  dv.setUint32(16, 20, true);
  for (const [tail, code] of [
    [short, 'pcapng.statistics.truncated'],
    [isb(3, [[5, u64(1n)]]), 'pcapng.statistics.interface_unknown'],
  ] as const) {
    const r = readCaptureBytes(withStatistics(tail));
    assert.deepEqual(r.summary.diagnostics.map((d) => d.code), [code]);
    assert.equal(r.records.length, 3, 'the packets are all there');
    assert.equal(r.summary.interfaces[0].stats, undefined);
  }
  // A 4-byte "counter" is not a counter; one past 2^53 is not a packet count: both unknown, not guessed.
  const odd = readCaptureBytes(withStatistics(isb(0, [[4, Uint8Array.of(1, 0, 0, 0)], [5, u64(2n ** 60n)], [8, u64(42n)]])));
  assert.deepEqual(odd.summary.interfaces[0].stats, { received: null, dropped: null, osDropped: null, filterAccepted: null, delivered: 42 });
  assert.deepEqual(odd.summary.diagnostics, []);
  // An option running past its block is reported like any other pcapng option.
  const past = isb(0, [[5, u64(9n)]]);
  new DataView(past.buffer).setUint16(22, 200, true);
  const r = readCaptureBytes(withStatistics(past));
  assert.deepEqual(r.summary.diagnostics.map((d) => d.code), ['pcapng.option.length_invalid']);
  assert.equal(r.summary.interfaces[0].stats?.dropped, null);
});
