/**
 * A sequential load whose streams, HTTP bodies, messages and FTP files are hashed and messages parsed
 * on a helper thread reports exactly what a load doing all of it in one thread reports (every sha256,
 * message MIME parts and attachment digests included), on real captures; the helper's batches carry any chunk size in
 * order; a stopped helper fails the load with a message instead of hanging it.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { helperDissects, loadCapture, offloadFor, OFFLOAD_MIN_BYTES, startLoad, type LoadedCapture } from '../../../electron/engine/load-capture';
import { initialChoice } from '../../../dissectors/app/selector';
import { OffloadClient } from '../../../electron/engine/offload/offload-client';
import { hashBatch } from '../../../electron/engine/offload/offload-worker';
import { FileWindow } from '../../../electron/engine/offload/file-window';
import { RANGE_FLAG, RANGE_RECORD } from '../../../electron/engine/offload/offload-messages';
import { analysisWorkerEntry } from '../../../electron/engine/parallel/parallel-analysis';
import { MESSAGE_STAGE_BYTES } from '../../../dissectors/app/mail/collector';
import { FIXTURES, fixtureName } from '../../helpers/fixtures';
import { indexColumns } from '../../helpers/index-columns';
import { joinBytes, type MailMessage } from '../../../dissectors/app/mail/message';
import { parseMime } from '../../../dissectors/app/mail/mime';
import { nodeHashes } from '../../../electron/engine/hashes';
import { ipv4TcpPacket, writePcap } from '../../helpers/capture-writer';

function reportOf(l: LoadedCapture): string {
  return JSON.stringify(buildReport(l.summary, l.output, l.source.size));
}

const CAPTURES = [
  'lessons/smtp-pop3-lesson.pcap',
  'corpus/suricata-verify/tests/smtp-attachment-md5/input.pcap',
  'corpus/suricata-verify/tests/ftp/ftp-download-passive/input.pcap',
  'synthetic/hostile-payloads.pcap',
  'bench-small/bench-eth-s6.pcap',
  'bench-small/bench-sll-s16.pcapng',
];

test('real captures: the helper thread gives the report one thread gives', async () => {
  for (const f of CAPTURES) {
    const path = join(FIXTURES, f);
    const alone = await loadCapture(path, { offload: false });
    const h = await startLoad(path, { offload: true });
    const helped = await h.done;
    assert.ok(h.helper && h.helper.batchesSent > 0, `${f}: the helper hashed the streams`);
    // Payload still in the chunk just read is named by its place in the file; the rest (records
    // across chunk ends, reordered bytes, short pieces) is copied — both happen on every capture.
    assert.ok(h.helper.rangesSent > 0 && h.helper.rangeBytes > 0, `${f}: ranges of the file were hashed by the helper`);
    assert.equal(reportOf(helped), reportOf(alone), f);
    // One digest per stream direction with bytes, and more for the messages, bodies or files.
    const report = buildReport(helped.summary, helped.output, helped.source.size);
    const directions = report.connections.reduce((n, c) => n + (c.streams.client.bytes > 0 ? 1 : 0) + (c.streams.server.bytes > 0 ? 1 : 0), 0);
    if (/smtp|ftp-download|bench-/.test(f)) assert.ok(h.helper.digestsReturned > directions, `${f}: the helper hashed messages, bodies or files (${h.helper.digestsReturned} digests, ${directions} stream directions)`);
    else assert.ok(h.helper.digestsReturned >= directions, `${f}: the helper hashed every stream`);
    await alone.source.dispose();
    await helped.source.dispose();
  }
});

test('HTTP connections are dissected on the helper thread, and every HTTP capture reports as in one thread', async () => {
  // HTTP captures with gaps, pipelining, evasions, chunked and compressed bodies, CONNECT into TLS,
  // IPv4 and IPv6, TSO-sized segments, and two of the mixed bench captures.
  const names = [
    'corpus/chrissanders-packets/http_espn.pcapng',
    'corpus/chrissanders-packets/http_ip4and6.pcapng',
    'corpus/suricata-verify/tests/http-chunked/input.pcap',
    'corpus/suricata-verify/tests/http-encoding-gzip-uncompressed/input.pcap',
    'corpus/suricata-verify/tests/http-evader/http-evader-029/input.pcap',
    'corpus/suricata-verify/tests/http-gap-simple/input.pcap',
    'corpus/suricata-verify/tests/http-pipeline-files-with-gap/input.pcap',
    'corpus/suricata-verify/tests/http-post-file/input.pcap',
    'corpus/suricata-verify/tests/http-connect/http-connect-tls/input.pcap',
    'corpus/tcpdump/tests/ipv4_tcp_http_xml_tso.pcap',
    'bench-small/bench-eth-s6.pcap',
    'bench-small/bench-sll-s16.pcapng',
  ];
  const chosen = names.map((n) => join(FIXTURES, n));
  let remote = 0;
  for (const path of chosen) {
    const alone = await loadCapture(path, { offload: false });
    const h = await startLoad(path, { offload: true });
    const helped = await h.done;
    assert.equal(reportOf(helped), reportOf(alone), fixtureName(path));
    // Exactly the connections whose server port says plain HTTP, and that carried bytes.
    const report = buildReport(alone.summary, alone.output, alone.source.size);
    const expected = report.connections.filter((c) => {
      const choice = initialChoice(Number(c.server.slice(c.server.lastIndexOf(':') + 1)));
      const carried = c.streams.client.bytes + c.streams.server.bytes + c.streams.client.gaps + c.streams.server.gaps > 0;
      return carried && choice.by === 'port' && helperDissects(choice.protocol, choice.implicitTls);
    }).length;
    assert.equal(h.helper!.remoteConnections, expected, `${fixtureName(path)}: connections dissected on the helper`);
    remote += expected;
    await alone.source.dispose();
    await helped.source.dispose();
  }
  assert.ok(remote >= 20, `${remote} connections dissected on the helper`);
});

test('the attachments of a real SMTP capture are parsed on the helper thread', async () => {
  const path = join(FIXTURES, 'corpus/suricata-verify/tests/smtp-attachment-md5/input.pcap');
  const l = await loadCapture(path, { offload: true });
  const report = buildReport(l.summary, l.output, l.source.size);
  const smtp = report.connections.map((c) => c.smtp as { messages?: Array<{ mime: { attachments: Array<{ sha256: string; size: number }> } | null }> } | undefined).find((s) => s?.messages?.length);
  const attachments = smtp?.messages?.flatMap((m) => m.mime?.attachments ?? []) ?? [];
  assert.ok(attachments.length > 0, 'attachments found');
  for (const a of attachments) assert.match(a.sha256, /^[0-9a-f]{64}$/);
  await l.source.dispose();
});

test('a message handed to the helper in pieces (some sharing one buffer) parses as the whole message does here', async () => {
  const path = join(FIXTURES, 'corpus/suricata-verify/tests/smtp-attachment-md5/input.pcap');
  const l = await loadCapture(path, { keepPayloads: true });
  const messages = l.output.apps.flatMap((a) => ((a?.summary.smtp as { messages?: MailMessage[] } | undefined)?.messages ?? []));
  await l.source.dispose();
  const raw = joinBytes(messages[0].rawPieces!);
  assert.ok(raw.length > 500);
  const expected = await parseMime(raw, nodeHashes, false);
  assert.ok(expected.mime?.attachments.length);
  const client = new OffloadClient(analysisWorkerEntry()!);
  // Three pieces: two views into one buffer (copied), one whole buffer (handed over).
  const first = raw.slice(0, 400);
  const pieces = [first.subarray(0, 150), first.subarray(150), raw.slice(400)];
  const got = await client.parseMime(pieces);
  client.close();
  assert.deepEqual(got, expected);
});

test('a message handed over in stages: the helper parses it and hands every stage back, whole, to gather the next message in', async () => {
  const attachment = randomBytes(250_000).toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = new Uint8Array(
    Buffer.from(
      'From: a@example.org\r\nTo: b@example.net\r\nSubject: stages\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
        '--b1\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--b1\r\nContent-Type: application/octet-stream; name="f.bin"\r\n' +
        'Content-Disposition: attachment; filename="f.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        attachment +
        '\r\n--b1--\r\n',
      'latin1',
    ),
  );
  const expected = await parseMime(raw, nodeHashes, false);
  assert.equal(expected.mime?.attachments.length, 1);
  const client = new OffloadClient(analysisWorkerEntry()!);
  // As the collector keeps them: whole stages, then the last one, partly filled, as the view of what it holds.
  const whole = Math.floor(raw.length / MESSAGE_STAGE_BYTES);
  const stage = (bytes: Uint8Array) => {
    const s = new Uint8Array(MESSAGE_STAGE_BYTES).fill(0xee);
    s.set(bytes);
    return s.subarray(0, bytes.length);
  };
  const pieces = Array.from({ length: whole }, (_, i) => stage(raw.subarray(i * MESSAGE_STAGE_BYTES, (i + 1) * MESSAGE_STAGE_BYTES)));
  pieces.push(stage(raw.subarray(whole * MESSAGE_STAGE_BYTES)));
  assert.ok(whole >= 4);
  assert.equal(client.messageStage(), null, 'no stage before the helper handed one back');
  const got = await client.parseMime(pieces);
  assert.deepEqual(got, expected);
  const takeAll = () => {
    const back: Uint8Array[] = [];
    for (let b = client.messageStage(); b; b = client.messageStage()) back.push(b);
    return back;
  };
  const back = takeAll();
  assert.equal(back.length, whole + 1, 'every stage came back, the last one too');
  for (const b of back) assert.equal(b.byteLength, MESSAGE_STAGE_BYTES, 'whole');
  // A message of one (partly filled) stage is parsed in it: the stage comes back once it was parsed.
  const small = new Uint8Array(Buffer.from('From: a@example.org\r\nSubject: one stage\r\n\r\nHello.\r\n', 'latin1'));
  assert.deepEqual(await client.parseMime([stage(small)]), await parseMime(small, nodeHashes, false));
  // (It is posted right after the answer: wait for it, up to a while.)
  let one: Uint8Array[] = [];
  for (let waited = 0; one.length === 0 && waited < 5000; waited += 10) {
    await new Promise((r) => setTimeout(r, 10));
    one = takeAll();
  }
  client.close();
  assert.deepEqual(one.map((b) => b.byteLength), [MESSAGE_STAGE_BYTES]);
});

test('stream bytes of any size, interleaved over streams, hash as node:crypto does', async () => {
  const entry = analysisWorkerEntry();
  assert.ok(entry);
  const client = new OffloadClient(entry);
  const expected = new Map<number, ReturnType<typeof createHash>>();
  const sizes = [1, 1460, 3 * 1024 * 1024 + 7, 0, 65536, 1024 * 1024 - 8, 1024 * 1024 - 9, 17];
  for (let i = 0; i < 40; i++) {
    const key = (i * 7) % 5 === 4 ? 0xfffffff0 + (i % 3) : (i * 7) % 5;
    const bytes = randomBytes(sizes[i % sizes.length]);
    client.update(key, bytes);
    if (bytes.length) (expected.get(key) ?? expected.set(key, createHash('sha256')).get(key)!).update(bytes);
    // As a load does: several updates (a chunk of the file), then wait while the helper is behind.
    if (i % 5 === 4) await client.drain();
  }
  const got = await client.digests();
  client.close();
  assert.equal(got.size, expected.size);
  for (const [key, h] of expected) assert.equal(got.get(key), h.digest('hex'), `stream ${key}`);
  assert.ok(client.batchesSent > 3, 'big chunks were split over several batches');
});

test('the batch buffers the helper hands back are reused: a big load allocates only what can be in flight', async () => {
  const client = new OffloadClient(analysisWorkerEntry()!);
  const expected = createHash('sha256');
  const bytes = randomBytes(1024 * 1024 - 100);
  // Twelve chunks of the file, each bringing 10 MiB of stream bytes, then a wait as a load does.
  for (let chunk = 0; chunk < 12; chunk++) {
    for (let k = 0; k < 10; k++) {
      client.update(7, bytes);
      expected.update(bytes);
    }
    await client.drain();
  }
  assert.equal((await client.digests()).get(7), expected.digest('hex'));
  client.close();
  assert.ok(client.batchesSent >= 110, `${client.batchesSent} batches`);
  // What can be in flight (16 MiB, and a chunk's 10 MiB past it) plus the one being filled.
  assert.ok(client.batchesMade <= 28, `${client.batchesMade} batch buffers made for ${client.batchesSent} batches`);
});

test('a helper that stopped: messages are noted unparsed, the load is told', async () => {
  const entry = analysisWorkerEntry()!;
  const client = new OffloadClient(entry);
  client.update(1, randomBytes(2 * 1024 * 1024));
  client.close();
  const outcome = await client.parseMime([new TextEncoder().encode('Subject: x\r\n\r\nhello\r\n')]);
  assert.equal(outcome.mime, null);
  assert.match(outcome.problem ?? '', /MIME not parsed: the load was stopped/);
  await assert.rejects(client.drain(), /the load was stopped/);
  await assert.rejects(client.digests(), /the load was stopped/);
});

/** A batch of records as OffloadClient writes them: byte records, and range records naming the file. */
function batchOf(records: Array<{ key: number; bytes?: Uint8Array; range?: [offset: number, length: number] }>): { b: Uint8Array; used: number } {
  const b = new Uint8Array(1 << 20);
  const dv = new DataView(b.buffer);
  let o = 0;
  for (const r of records) {
    dv.setUint32(o, r.key, true);
    if (r.range) {
      dv.setUint32(o + 4, (r.range[1] | RANGE_FLAG) >>> 0, true);
      dv.setUint32(o + 8, r.range[0] >>> 0, true);
      dv.setUint32(o + 12, Math.floor(r.range[0] / 2 ** 32), true);
      o += RANGE_RECORD;
    } else {
      dv.setUint32(o + 4, r.bytes!.length, true);
      b.set(r.bytes!, o + 8);
      o += 8 + r.bytes!.length;
    }
  }
  return { b, used: o };
}

test('range records hash the bytes of the file: forwards, backwards, larger than the read window, between byte records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-range-'));
  const path = join(dir, 'capture.bin');
  const content = randomBytes(11 * 1024 * 1024);
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  const file = new FileWindow(fd);
  try {
    const ranges: Array<[number, number]> = [[24, 1460], [1484, 900], [100, 64], [5 * 1024 * 1024, 5 * 1024 * 1024 + 3], [3, 1], [11 * 1024 * 1024 - 10, 10], [40, 4 * 1024 * 1024]];
    const extra = randomBytes(3000);
    const records: Array<{ key: number; bytes?: Uint8Array; range?: [number, number] }> = ranges.map((range, i) => ({ key: i % 3, range }));
    records.splice(2, 0, { key: 1, bytes: extra });
    const { b, used } = batchOf(records);
    const hashes = new Map<number, ReturnType<typeof createHash>>();
    hashBatch(hashes, b, used, file);
    const expected = new Map<number, ReturnType<typeof createHash>>();
    for (const r of records) {
      const h = expected.get(r.key) ?? expected.set(r.key, createHash('sha256')).get(r.key)!;
      h.update(r.range ? content.subarray(r.range[0], r.range[0] + r.range[1]) : r.bytes!);
    }
    for (const [key, h] of expected) assert.equal(hashes.get(key)!.digest('hex'), h.digest('hex'), `key ${key}`);
    // A range past the end of the file (the file changed since it was read) fails the load, clearly.
    const past = batchOf([{ key: 9, range: [content.length - 5, 10] }]);
    assert.throws(() => hashBatch(new Map(), past.b, past.used, file), /shorter than when it was read/);
    // A range record without a file is refused.
    assert.throws(() => hashBatch(new Map(), past.b, past.used), /no capture file was given/);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the client names bytes inside the announced chunk as file ranges and copies the others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-range-'));
  const path = join(dir, 'capture.bin');
  const content = randomBytes(3 * 1024 * 1024);
  writeFileSync(path, content);
  const client = new OffloadClient(analysisWorkerEntry()!);
  const fd = openSync(path, 'r');
  try {
    client.readsFile(fd);
    const expected = createHash('sha256');
    // The file read in two chunks, as a load reads it; views of each chunk are hashed.
    const chunks = [Uint8Array.from(content.subarray(0, 2 * 1024 * 1024)), Uint8Array.from(content.subarray(2 * 1024 * 1024))];
    let fileOffset = 0;
    for (const chunk of chunks) {
      client.fileChunk(chunk, fileOffset);
      for (let at = 0; at < chunk.length; at += 1000) {
        const view = chunk.subarray(at, Math.min(chunk.length, at + (at % 3000 === 0 ? 20 : 1000)));
        client.update(5, view);
        expected.update(view);
      }
      client.fileChunk(null);
      // A copy of chunk bytes (not the chunk's memory) is copied, not named.
      const copy = chunk.slice(0, 500);
      client.update(5, copy);
      expected.update(copy);
      fileOffset += chunk.length;
      await client.drain();
    }
    assert.equal((await client.digests()).get(5), expected.digest('hex'));
    assert.ok(client.rangesSent > 2000, `${client.rangesSent} ranges`);
    assert.ok(client.rangeBytes < content.length, 'short views and copies went as bytes');
  } finally {
    client.close();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the helper prepares zeroed column buffers of the sizes asked (every page written there)', async () => {
  const client = new OffloadClient(analysisWorkerEntry()!);
  try {
    const sizes = [8 * 100_003, 4 * 100_003, 1 * 100_003, 0];
    const buffers = await client.prepareColumns(sizes);
    assert.ok(buffers);
    assert.deepEqual(buffers.map((b) => b.byteLength), sizes);
    for (const b of buffers) assert.ok(new Uint8Array(b).every((x) => x === 0));
    // Pages written for part of each buffer only: the sizes asked, zeroed all the same.
    const partly = await client.prepareColumns(sizes, [8 * 50_000, 0, 100_003, 0]);
    assert.deepEqual(partly?.map((b) => b.byteLength), sizes);
    for (const b of partly!) assert.ok(new Uint8Array(b).every((x) => x === 0));
  } finally {
    client.close();
  }
  // A stopped helper answers null (the index then simply grows as without it).
  assert.equal(await client.prepareColumns([16]), null);
});

test('a load of more than 65,536 packets moves its index into columns the helper prepared; the index equals the one-thread index', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-columns-'));
  const path = join(dir, 'many.pcap');
  const records = [];
  const payload = new Uint8Array(40).fill(0x41);
  for (let i = 0; i < 80_000; i++) {
    const conn = i % 50;
    const k = Math.floor(i / 50);
    const fromClient = k % 2 === 0;
    records.push({
      tsSec: 1_700_000_000 + Math.floor(i / 1000),
      tsFrac: (i % 1000) * 1000,
      origLen: 80,
      data: ipv4TcpPacket({ src: fromClient ? 0x0a000001 : 0x0a000002, dst: fromClient ? 0x0a000002 : 0x0a000001, sport: fromClient ? 40000 + conn : 80, dport: fromClient ? 80 : 40000 + conn, seq: 1000 + (k >> 1) * 40, ack: 5000 + (k >> 1) * 40, flags: 0x18, payload }),
    });
  }
  writeFileSync(path, writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes);
  try {
    const alone = await loadCapture(path, { offload: false });
    const h = await startLoad(path, { offload: true, chunkSize: 256 * 1024 });
    const helped = await h.done;
    assert.ok(h.helper?.columnsAdopted, 'the index moved into the prepared columns');
    const a = alone.output.index;
    const b = helped.output.index;
    assert.equal(b.count, 80_000);
    assert.equal(b.count, a.count);
    const columnsA = indexColumns(a);
    const columnsB = indexColumns(b);
    assert.equal(Object.keys(columnsB).length, 12);
    for (const col of Object.keys(columnsA)) assert.deepEqual(columnsB[col], columnsA[col], col);
    assert.equal(reportOf(helped), reportOf(alone));
    await alone.source.dispose();
    await helped.source.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch whose record claims more bytes than the batch holds is refused', () => {
  const b = new Uint8Array(16);
  b.set([1, 0, 0, 0, 200, 0, 0, 0]);
  assert.throws(() => hashBatch(new Map(), b, 16), /overruns the batch/);
});

test('the helper is used by default for big files on two cores, never beside worker threads or for payload replays', () => {
  assert.equal(offloadFor(OFFLOAD_MIN_BYTES, { offload: true }, 2), false);
  assert.equal(offloadFor(OFFLOAD_MIN_BYTES, { keepPayloads: true, offload: true }, 0), false);
  assert.equal(offloadFor(1024, { offload: true }, 0), true);
  assert.equal(offloadFor(1024, {}, 0), process.env.WIRELENS_OFFLOAD === '1');
});

test('a helper thread that fails: the load is told what failed, waiting messages are noted unparsed', async () => {
  const client = new OffloadClient({ url: new URL('data:text/javascript,throw new Error("helper broke")') });
  const waiting = client.parseMime([new TextEncoder().encode('Subject: x\r\n\r\nhello\r\n')]);
  client.update(3, randomBytes(2 * 1024 * 1024));
  await assert.rejects(async () => {
    for (;;) {
      await client.drain();
      await new Promise((r) => setTimeout(r, 10));
    }
  }, /the helper thread failed: helper broke/);
  assert.match((await waiting).problem ?? '', /MIME not parsed: the helper thread failed: helper broke/);
  await assert.rejects(client.digests(), /helper broke/);
  client.close();
});
