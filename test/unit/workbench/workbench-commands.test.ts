/**
 * The workbench from the command line and in the engine: `wirelens export-objects` saves inside its
 * folder only, under safe names, never over an existing file, within its size bound; `export` and
 * `merge` refuse bad options with a clear message; Expert Information groups TCP analysis items as
 * tshark does (counts from `tshark -q -z expert` on the same capture) and links each to its frame;
 * marks and comments; the page's zip of objects and Follow's raw bytes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { bitsToAnalysis } from '../../../dissectors/analysis/packet-index';
import { main } from '../../../electron/cli/main';
import { Engine } from '../../../electron/engine/engine';
import { followRawBytes } from '../../../renderer/src/views/workbench/follow-raw';
import { crc32, zipStore } from '../../../renderer/src/views/workbench/zip-store';
import { ipv4TcpPacket, writePcap } from '../../helpers/capture-writer';
import { FIXTURES } from '../../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wl-wb-cli-'));
const engine = new Engine({ batch: true });
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({ write: (c, _e, done) => (add(String(c)), done()) });
  const code = await main(
    argv,
    sink((s) => (out += s)) as unknown as typeof process.stdout,
    sink((s) => (err += s)) as unknown as typeof process.stderr,
  );
  return { code, out, err };
}

/** An HTTP connection on port 80 whose two requests name hostile files. */
function hostileHttpCapture(): string {
  const enc = (s: string) => new TextEncoder().encode(s);
  const c = 0x0a000001;
  const s = 0x0a000002;
  const turns: Array<[boolean, string]> = [
    [true, 'GET /a/..%2F..%2Fevil%E2%80%AEtxt.exe HTTP/1.1\r\nHost: x\r\n\r\n'],
    [false, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
    [true, 'GET /CON HTTP/1.1\r\nHost: x\r\n\r\n'],
    [false, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld'],
  ];
  let cseq = 1000;
  let sseq = 5000;
  const recs: Uint8Array[] = [];
  const pkt = (fromClient: boolean, flags: number, payload: string) => {
    const p = ipv4TcpPacket({
      src: fromClient ? c : s,
      dst: fromClient ? s : c,
      sport: fromClient ? 40000 : 80,
      dport: fromClient ? 80 : 40000,
      seq: fromClient ? cseq : sseq,
      ack: fromClient ? sseq : cseq,
      flags,
      payload: enc(payload),
    });
    const n = enc(payload).length + (flags & 0x03 ? 1 : 0);
    if (fromClient) cseq += n;
    else sseq += n;
    recs.push(p);
  };
  // The handshake (SYN, SYN+ACK, ACK), then the turns, each acknowledged.
  pkt(true, 0x02, '');
  pkt(false, 0x12, '');
  pkt(true, 0x10, '');
  for (const [fromClient, text] of turns) {
    pkt(fromClient, 0x18, text);
    pkt(!fromClient, 0x10, '');
  }
  const { bytes } = writePcap({
    little: true,
    nanos: false,
    linkType: 101,
    snapLen: 65535,
    records: recs.map((data, i) => ({ tsSec: 1700000000, tsFrac: i * 1000, data, origLen: data.length })),
  });
  const path = join(dir, 'hostile-names.pcap');
  writeFileSync(path, bytes);
  return path;
}

test('export-objects: hostile names are saved inside the folder, safe; an existing file is never replaced', async () => {
  const file = hostileHttpCapture();
  const out = join(dir, 'objects');
  const r = await cli('export-objects', file, '--protocol', 'http', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), ['_.._eviltxt.exe', '_CON']);
  assert.equal(readFileSync(join(out, '_CON'), 'utf8'), 'world');
  assert.ok(
    !existsSync(join(dir, 'evil')) && !r.out.includes('\u202e'),
    'nothing outside, no direction mark printed',
  );
  // Again into the same folder: refused per file, the first run's files kept.
  writeFileSync(join(out, '_CON'), 'mine');
  const again = await cli('export-objects', file, '--protocol', 'http', '--out', out);
  assert.equal(again.code, 1);
  assert.match(again.err, /_CON not saved: a file of that name is already in /);
  assert.equal(readFileSync(join(out, '_CON'), 'utf8'), 'mine');
});

test('export-objects: --max-mb bounds the total; mail messages and attachments; bad protocol refused', async () => {
  const lesson = join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap');
  const small = await cli(
    'export-objects',
    lesson,
    '--protocol',
    'imf',
    '--out',
    join(dir, 'mail-small'),
    '--max-mb',
    '0.0001',
  );
  assert.equal(small.code, 1);
  assert.match(
    small.err,
    /stopped before .*: the objects saved would pass 0\.0001 MiB \(--max-mb raises the limit\)/,
  );
  const mail = await cli('export-objects', lesson, '--protocol', 'imf', '--out', join(dir, 'mail'));
  assert.equal(mail.code, 0, mail.err);
  const names = readdirSync(join(dir, 'mail')).sort();
  assert.ok(names.some((n) => n.endsWith('.eml')) && names.length >= 2, names.join(', '));
  const bad = await cli('export-objects', lesson, '--protocol', 'smb', '--out', join(dir, 'x'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--protocol must be one of http, imf, ftp-data, got 'smb'/);
});

test('export --range and --filter together; bad options say what to do', async () => {
  const lesson = join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap');
  const out = join(dir, 'range.pcap');
  const r = await cli('export', lesson, '--filter', 'tcp.port == 1025', '--range', '1-10', '-w', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^wrote \d+ of 72 packets .* as pcap\n$/);
  const s = await engine.openAndWait(out);
  assert.ok(s.analyzer.index.count > 0 && s.analyzer.index.count <= 10);
  assert.match(
    (await cli('export', lesson, '-w', join(dir, 'x.pcap'), '--format', 'erf')).err,
    /--format must be pcap or pcapng, got 'erf'/,
  );
  assert.match(
    (await cli('export', lesson, '--range', '9-3', '-w', join(dir, 'y.pcap'))).err,
    /LAST is not before FIRST/,
  );
  assert.match(
    (await cli('export', lesson, '--filter', 'tcp.port ==', '-w', join(dir, 'z.pcap'))).err,
    /--filter: /,
  );
  assert.match((await cli('merge', lesson)).err, /merge: usage: wirelens merge FILE FILE… -w OUT/);
  // A file that is not a capture is named; a missing folder is named, and nothing is left behind.
  const text = join(dir, 'notes.pcap');
  writeFileSync(text, 'hello, not a capture');
  const m = await cli('merge', lesson, text, '-w', join(dir, 'm.pcapng'));
  assert.equal(m.code, 1);
  assert.ok(m.err.includes(`${text}: not a capture file`), m.err);
  assert.ok(!existsSync(join(dir, 'm.pcapng')) && !readdirSync(dir).some((f) => f.endsWith('.partial')));
  assert.match(
    (await cli('export', lesson, '-w', join(dir, 'no-such-folder', 'o.pcap'))).err,
    /cannot write .*o\.pcap: the folder .*no-such-folder does not exist/,
  );
});

test("Expert Information: tcp_dupack's TCP items as tshark -z expert counts them, each item on a frame carrying that flag", async () => {
  const s = await engine.openAndWait(join(FIXTURES, 'corpus/chrissanders-packets/tcp_dupack.pcapng'));
  const info = await engine.getExpertInfo(s.info.id);
  const count = (summary: string) => info.entries.find((e) => e.summary === summary)?.count ?? 0;
  // tshark 4.0 -q -z expert on this file: Duplicate ACK (#1, #2, #3) 1 each, fast retransmission 1, retransmission 1.
  assert.equal(count('Duplicate ACK'), 3);
  assert.equal(count('This frame is a (suspected) fast retransmission'), 1);
  assert.equal(count('This frame is a (suspected) retransmission'), 1);
  const idx = s.analyzer.index;
  for (const e of info.entries.filter((x) => x.code.startsWith('tcp.analysis.')))
    for (const it of e.items)
      assert.ok(
        bitsToAnalysis(idx.analysis[it.frame! - 1]).includes(e.code),
        `${e.code} on frame ${it.frame}`,
      );
  // Severities in Wireshark's order, totals the sum of the counts.
  const order = ['error', 'warn', 'note', 'chat'];
  const sev = info.entries.map((e) => order.indexOf(e.severity));
  assert.deepEqual(
    sev,
    [...sev].sort((a, b) => a - b),
  );
  for (const k of order)
    assert.equal(
      info.totals[k as 'note'],
      info.entries.filter((e) => e.severity === k).reduce((a, e) => a + e.count, 0),
    );
});

test('wirelens expert: the sections and lines tshark -q -z expert prints, --frames and --json', async () => {
  const file = join(FIXTURES, 'corpus/chrissanders-packets/tcp_dupack.pcapng');
  const r = await cli('expert', file, '--frames');
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /\nNotes \(5\)\n=============\n {3}Frequency {6}Group {11}Protocol {2}Summary\n {11}3 {3}Sequence {16}TCP {2}Duplicate ACK\n {14}frames 3, 5, 7\n/,
  );
  const json = JSON.parse((await cli('expert', file, '--json')).out) as {
    entries: unknown[];
    totals: Record<string, number>;
  };
  assert.equal(json.totals.note, 5);
  assert.ok(json.entries.length >= 3);
});

test('marks and comments: bounded, per frame, removed with an empty text', async () => {
  const s = await engine.openAndWait(join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap'));
  const id = s.info.id;
  assert.deepEqual(await engine.setMarked(id, [3, 1, 99999, 2], true), [1, 2, 3]);
  assert.deepEqual(await engine.setMarked(id, [2], false), [1, 3]);
  assert.equal(await engine.setPacketComment(id, 4, 'x'.repeat(20000)), 'x'.repeat(16000));
  assert.equal(await engine.setPacketComment(id, 4, '   '), null);
  await assert.rejects(engine.setPacketComment(id, 73, 'no such frame'), /no frame 73/);
  await engine.setPacketComment(id, 2, 'the SYN+ACK');
  assert.deepEqual(await engine.getPacketComments(id), [{ frame: 2, comment: 'the SYN+ACK' }]);
  const rows = await engine.getPackets(id, 0, 3);
  assert.deepEqual(
    rows.map((r) => [r.marked ?? false, r.comment ?? null]),
    [
      [true, null],
      [false, 'the SYN+ACK'],
      [true, null],
    ],
  );
  const detail = await engine.getPacketDetail(id, 2);
  assert.equal(detail.comment, 'the SYN+ACK');
  assert.equal(detail.layers[0].name, 'Packet comments');
  // The connection's view carries the comments of its frames, for the ladder's steps.
  assert.deepEqual((await engine.getConnection(id, 0)).comments, [{ frame: 2, comment: 'the SYN+ACK' }]);
});

test('time reference: later packets are timed from the last reference before them, earlier ones unchanged', async () => {
  const s = await engine.openAndWait(join(FIXTURES, 'recorded/pop3-numbers-and-errors.pcap'));
  const id = s.info.id;
  const before = await engine.getPackets(id, 0, 12);
  assert.deepEqual(await engine.setTimeReference(id, 8, true), [8]);
  assert.deepEqual(await engine.setTimeReference(id, 4, true), [4, 8]);
  const rows = await engine.getPackets(id, 0, 12);
  for (const r of rows) {
    const ref = r.no >= 8 ? 8 : r.no >= 4 ? 4 : 0;
    const want = ref ? before[r.no - 1].time - before[ref - 1].time : before[r.no - 1].time;
    assert.ok(Math.abs(r.time - want) < 1e-9, `frame ${r.no}: ${r.time} vs ${want}`);
    assert.equal(r.timeRef ?? false, r.no === 4 || r.no === 8);
  }
  assert.deepEqual(await engine.setTimeReference(id, 4, false), [8]);
  assert.equal((await engine.getPackets(id, 3, 1))[0].time, before[3].time);
  await assert.rejects(engine.setTimeReference(id, 0, true), /no frame 0/);
});

test("the page's zip of objects: stored entries with their CRC-32, readable back; Follow's raw bytes are the streams", async () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  const entries = [
    { name: 'http/a.txt', bytes: new TextEncoder().encode('hello') },
    { name: 'imf/é.eml', bytes: new Uint8Array(1000).fill(7) },
  ];
  const zip = Buffer.from(zipStore(entries));
  assert.equal(zip.readUInt32LE(0), 0x04034b50);
  const end = zip.length - 22;
  assert.equal(zip.readUInt32LE(end), 0x06054b50);
  assert.equal(zip.readUInt16LE(end + 10), 2);
  // Second local header: after the first's 30-byte header, name and data.
  const second = 30 + 'http/a.txt'.length + 5;
  assert.equal(zip.readUInt32LE(second), 0x04034b50);
  assert.equal(zip.readUInt32LE(second + 14), crc32(entries[1].bytes));
  assert.equal(
    zip.subarray(second + 30, second + 30 + Buffer.byteLength('imf/é.eml')).toString('utf8'),
    'imf/é.eml',
  );

  const s = await engine.openAndWait(join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap'));
  const view = await engine.getConnection(s.info.id, 0);
  const f = await engine.follow(s.info.id, 0);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  assert.equal(sha(followRawBytes(f, 'client')), view.streams.client.sha256);
  assert.equal(sha(followRawBytes(f, 'server')), view.streams.server.sha256);
  assert.equal(followRawBytes(f).length, view.streams.client.bytes + view.streams.server.bytes);
});
