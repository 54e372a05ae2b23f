/**
 * What the dissectors promise a learner, on real bytes:
 *  - the recorded lesson (SMTP typed to a Mailpit-like server on 1025, POP3 on 1110): envelope vs
 *    headers, the spoofed From and the Bcc, AUTH LOGIN decoded, the attachment's sha256, POP3 states;
 *  - the same lesson moved to ports nobody knows is still named by content (protocolBy 'content'),
 *    and --decode-as overrides;
 *  - an FTP PASV transfer is linked to its data connection, with the port arithmetic shown;
 *  - hostile input (endless DATA, a 10 MB line, garbage, a cut TLS record) gives diagnostics and
 *    bounded output, never an exception.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createProtocolSelector } from '../../../dissectors/app/selector';
import type { AppContext, AppProtocol } from '../../../dissectors/app/types';
import { buildReport } from '../../../dissectors/analysis/report';
import type { AnalysisReport, ConnectionResult } from '../../../dissectors/analysis/types';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { nodeHashes } from '../../../electron/engine/hashes';
import { laterHash } from '../../../dissectors/app/later-hash';
import { loadCapture } from '../../../electron/engine/load-capture';
import { writePcap } from '../../helpers/capture-writer';
import { FIXTURES } from '../../helpers/fixtures';

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
const dir = mkdtempSync(join(tmpdir(), 'wirelens-dissect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(path: string, decodeAs?: Map<number, AppProtocol>): Promise<AnalysisReport> {
  const loaded = await loadCapture(path, { decodeAs });
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return report;
}

const labels = (c: ConnectionResult) => c.ladder.map((e) => `${e.from[0]} ${e.kind} ${e.label}`);

test('the SMTP lesson: envelope next to headers, spoofed From and Bcc flagged, AUTH LOGIN decoded, attachment hashed', async () => {
  const r = await analyze(LESSON);
  const smtp = r.connections[0];
  assert.equal(smtp.protocol, 'smtp');
  const l = labels(smtp);
  assert.ok(l.includes('s auth 334 VXNlcm5hbWU6 → “Username:”'), l.join('\n'));
  assert.ok(l.includes('s auth 334 UGFzc3dvcmQ6 → “Password:”'));
  assert.deepEqual(smtp.ladder.filter((e) => e.kind === 'auth' && e.from === 'client').map((e) => e.lines), [['username “student”'], ['password “secret123”']]);
  assert.ok(/base64 is an encoding, not encryption/.test(smtp.ladder.find((e) => e.label === 'AUTH LOGIN')!.explain));
  const msg = (smtp.smtp as { messages: Array<Record<string, unknown>> }).messages[0] as {
    envelope: { mailFrom: string; rcptTo: string[] };
    headers: { from: string; to: string; subject: string };
    spoofed: boolean;
    bcc: string[];
    mime: { attachments: Array<{ filename: string; size: number; sha256: string }>; text: string };
  };
  assert.deepEqual(msg.envelope, { mailFrom: 'student@lab.local', rcptTo: ['teacher@lab.local', 'principal@lab.local'] });
  assert.equal(msg.headers.from, '"The Principal" <principal@school.example>');
  assert.equal(msg.spoofed, true);
  assert.deepEqual(msg.bcc, ['principal@lab.local']);
  const attachment = Buffer.from('Homework 3: explain the difference between the envelope and the headers.\n');
  assert.deepEqual(
    msg.mime.attachments.map((a) => [a.filename, a.size, a.sha256]),
    [['homework.txt', attachment.length, createHash('sha256').update(attachment).digest('hex')]],
  );
  assert.match(msg.mime.text, /^\.and this line started with a dot\.$/m, 'dot-unstuffed');
  assert.ok(smtp.diagnostics.some((d) => d.code === 'smtp.message.from_mismatch'));
  assert.deepEqual(r.credentials.map((c) => [c.protocol, c.mechanism, c.username, c.password]), [
    ['smtp', 'AUTH LOGIN', 'student', 'secret123'],
    ['pop3', 'USER/PASS', 'teacher', 'apple'],
  ]);
});

test('the POP3 lesson: commands paired with replies, multi-line LIST/UIDL/RETR read to the dot, the retrieved message parsed', async () => {
  const r = await analyze(LESSON);
  const pop3 = r.connections[1];
  assert.equal(pop3.protocol, 'pop3');
  const cmds = pop3.ladder.filter((e) => e.from === 'client').map((e) => [e.kind, e.label]);
  // The lines that carry the credential in clear are marked 'auth' (drawn red).
  assert.deepEqual(cmds, [['auth', 'USER teacher'], ['auth', 'PASS apple'], ['command', 'STAT'], ['command', 'LIST'], ['command', 'UIDL'], ['command', 'RETR 1'], ['command', 'DELE 1'], ['command', 'QUIT']]);
  const summary = pop3.pop3 as { state: string; stat: { messages: number }; deleted: number[]; retrieved: Array<{ headers: { subject: string }; sha256: string }> };
  assert.equal(summary.state, 'update');
  assert.equal(summary.stat.messages, 1);
  assert.deepEqual(summary.deleted, [1]);
  const sent = (r.connections[0].smtp as { messages: Array<{ sha256: string }> }).messages[0];
  assert.equal(summary.retrieved[0].sha256, sent.sha256, 'POP3 RETR gives back the bytes SMTP DATA sent');
  assert.ok(pop3.ladder.some((e) => e.label.startsWith('+OK 1 messages: (+1 lines)')));
});

/** The lesson with its server ports changed (client → server and back), as a new pcap. */
function movePorts(map: Record<number, number>): string {
  const { records } = readCaptureBytes(readFileSync(LESSON));
  const moved = records.map((rec) => {
    const d = Buffer.from(rec.data);
    const tcp = 14 + (d[14] & 0x0f) * 4;
    for (const off of [tcp, tcp + 2]) {
      const port = d.readUInt16BE(off);
      if (map[port]) d.writeUInt16BE(map[port], off);
    }
    return { tsSec: rec.tsSec, tsFrac: Math.floor(rec.tsNsec / 1000), origLen: rec.origLen, data: new Uint8Array(d) };
  });
  const path = join(dir, `moved-${Object.values(map).join('-')}.pcap`);
  writeFileSync(path, writePcap({ little: true, nanos: false, linkType: 1, snapLen: 262144, records: moved }).bytes);
  return path;
}

test('on ports no registry knows, the protocols are named from the bytes (protocolBy content), with the same ladders', async () => {
  const plain = await analyze(LESSON);
  const moved = await analyze(movePorts({ 1025: 40025, 1110: 40110 }));
  assert.deepEqual(moved.connections.map((c) => [c.protocol, c.protocolBy]), [['smtp', 'content'], ['pop3', 'content']]);
  assert.deepEqual(moved.connections.map(labels), plain.connections.map(labels));
});

test('--decode-as overrides the port and the content (protocolBy user)', async () => {
  const r = await analyze(movePorts({ 1025: 40025, 1110: 40110 }), new Map<number, AppProtocol>([[40110, 'smtp']]));
  assert.deepEqual(r.connections.map((c) => [c.protocol, c.protocolBy]), [['smtp', 'content'], ['smtp', 'user']]);
  assert.ok(r.connections[1].diagnostics.some((d) => d.code === 'smtp.reply.invalid'), 'POP3 bytes read as SMTP are flagged');
});

test('FTP PASV: the port arithmetic is shown and the transfer is linked to its data connection', async () => {
  const r = await analyze(join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'filestore-ftp-passive-mode', 'ftp-passive-mode.pcap'));
  const [ctl, data] = r.connections;
  const pasv = ctl.ladder.find((e) => e.label.startsWith('227'))!;
  assert.ok(pasv.lines?.includes('address 127.0.0.1, port 185×256+13 = 47373'), JSON.stringify(pasv.lines));
  assert.equal(pasv.fields?.['ftp.passive.port'], 47373);
  assert.equal(data.protocol, 'ftp-data');
  const transfers = (ctl.ftp as { transfers: Array<{ command: string; argument: string; port: number; dataConnection: number }> }).transfers;
  assert.deepEqual(transfers.map((t) => [t.command, t.argument, t.port, t.dataConnection]), [['RETR', 'index.html', 47373, 1]]);
  const fd = data.ftpData as { bytes: number; sha256: string; text: string; controlConnection: number };
  assert.equal(fd.controlConnection, 0);
  assert.equal(fd.bytes, 39);
  assert.equal(fd.sha256, data.streams.server.sha256, 'the transfer is the data connection\'s server stream');
  assert.equal(fd.text, 'uid=0(root) gid=0(root) groups=0(root)\n');
});

// ---- hostile input, straight into the selector ----

function ctxFor(port: number): AppContext {
  return {
    connection: { id: 0, client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port } },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    expectDataConnection: () => undefined,
  };
}

function feed(port: number, parts: Array<['client' | 'server', Uint8Array | string]>) {
  const sel = createProtocolSelector(ctxFor(port));
  const offsets = { client: 0, server: 0 };
  let frame = 1;
  for (const [dirn, p] of parts) {
    const bytes = typeof p === 'string' ? new TextEncoder().encode(p) : p;
    sel.onData({ dir: dirn, offset: offsets[dirn], bytes, frames: [{ frame, offset: offsets[dirn], length: bytes.length }], time: frame / 1000 });
    offsets[dirn] += bytes.length;
    frame++;
  }
  sel.onEnd();
  return sel.result();
}

test('a DATA that never ends: the message is kept up to its limit, the rest counted, and the cut is reported', () => {
  const line = 'x'.repeat(998) + '\r\n';
  const parts: Array<['client' | 'server', string]> = [['server', '220 lab ESMTP\r\n'], ['client', 'MAIL FROM:<a@b>\r\n'], ['server', '250 ok\r\n'], ['client', 'DATA\r\n'], ['server', '354 go\r\n']];
  for (let i = 0; i < 20000; i++) parts.push(['client', line]); // 20 MB, no final dot
  const res = feed(25, parts);
  const msg = (res.summary.smtp as { messages: Array<{ size: number; truncated: boolean }> }).messages[0];
  assert.equal(msg.size, 20000 * 1000);
  assert.equal(msg.truncated, true);
  assert.ok(res.diagnostics.some((d) => d.code === 'smtp.data.unterminated'));
  assert.ok(res.ladder.length < 20, 'one message event, not one per line');
});

test('a 10 MB line with no CRLF is cut into bounded pieces and reported, for every line protocol', () => {
  const huge = new Uint8Array(10 * 1024 * 1024).fill(0x41);
  for (const port of [25, 110, 21]) {
    const res = feed(port, [['server', port === 110 ? '+OK hi\r\n' : '220 hi\r\n'], ['client', huge]]);
    assert.ok(res.diagnostics.length > 0, `port ${port}: reported`);
    for (const e of res.ladder) assert.ok(e.label.length < 400 && (e.lines ?? []).every((l) => l.length < 400), `port ${port}: labels stay short`);
  }
  const http = feed(80, [['client', huge]]);
  assert.ok(http.diagnostics.some((d) => d.code === 'http.start_line.invalid'));
});

test('garbage, cut records and binary noise on every protocol: diagnostics, no exception', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (const port of [25, 110, 21, 80, 443, 40000]) {
    for (let round = 0; round < 30; round++) {
      const parts: Array<['client' | 'server', Uint8Array]> = [];
      for (let k = 0; k < 8; k++) parts.push([k % 2 ? 'server' : 'client', Uint8Array.from({ length: rnd() * 4 }, rnd)]);
      const res = feed(port, parts);
      assert.ok(Array.isArray(res.ladder));
    }
  }
  // A TLS record header announcing more than the stream holds.
  const cut = feed(443, [['client', Uint8Array.of(0x16, 3, 1, 0x40, 0, 1, 0, 0)]]);
  assert.ok(cut.diagnostics.some((d) => d.code === 'tls.record.truncated'));
  // Not TLS at all on a TLS port.
  const plain = feed(443, [['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n']]);
  assert.ok(plain.diagnostics.some((d) => d.code === 'tls.record.invalid'));
});
