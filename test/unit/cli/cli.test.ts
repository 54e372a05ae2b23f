/**
 * The `wirelens` command as a user runs it (bin/wirelens.mjs in a child process): analyze --json fields
 * (the documented public interface), the same answers for a gzip-compressed copy, follow, packets, and
 * errors on stderr with non-zero exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, ROOT } from '../../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
const LESSON_GZ = join(FIXTURES, 'recorded', 'smtp-pop3-lesson.pcap.gz');

function wirelens(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface GoldenStream { stream: number; nodes: Array<{ endpoint: string; length: number; sha256: string }> }

test('analyze --json: the documented fields, with streams equal to tshark follow (golden)', () => {
  const r = wirelens('analyze', LESSON, '--json');
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out);
  assert.deepEqual(Object.keys(report).sort(), ['capture', 'connections', 'credentials']);
  const c = report.capture;
  assert.equal(c.format, 'pcap');
  assert.equal(c.packets, 72);
  assert.deepEqual(c.linkTypes, [{ code: 1, name: 'ether' }]);
  assert.equal(c.truncated, false);
  assert.deepEqual(c.diagnostics, []);
  assert.equal(report.connections.length, 2);
  const golden = JSON.parse(readFileSync(join(FIXTURES, 'golden', 'tcp', 'lessons__smtp-pop3-lesson.pcap.json'), 'utf8')) as { streams: GoldenStream[] };
  for (const conn of report.connections) {
    for (const key of ['id', 'client', 'server', 'clientBy', 'firstFrame', 'lastFrame', 'packets', 'start', 'duration', 'handshake', 'close', 'streams', 'protocol', 'protocolBy', 'ladder', 'diagnostics'])
      assert.ok(key in conn, `connection field ${key}`);
    assert.match(conn.client, /^127\.0\.0\.1:\d+$/);
    assert.equal(conn.clientBy, 'syn');
    assert.equal(conn.close, 'fin');
    assert.equal(conn.handshake.complete, true);
    assert.deepEqual([conn.handshake.syn, conn.handshake.synAck, conn.handshake.ack], [conn.firstFrame, conn.firstFrame + 1, conn.firstFrame + 2]);
    const g = golden.streams.find((s) => s.stream === conn.id)!;
    const client = g.nodes.find((n) => n.endpoint === conn.client)!;
    const server = g.nodes.find((n) => n.endpoint === conn.server)!;
    assert.deepEqual([conn.streams.client.bytes, conn.streams.client.sha256], [client.length, client.sha256]);
    assert.deepEqual([conn.streams.server.bytes, conn.streams.server.sha256], [server.length, server.sha256]);
    assert.equal(conn.streams.client.gaps, 0);
  }
  assert.deepEqual(report.connections.map((x: { server: string }) => x.server.split(':')[1]), ['1025', '1110']);
});

test('a gzip-compressed capture gives the same analysis as the plain file', () => {
  const plain = JSON.parse(wirelens('analyze', LESSON, '--json').out);
  const gz = wirelens('analyze', LESSON_GZ, '--json');
  assert.equal(gz.code, 0, gz.err);
  const g = JSON.parse(gz.out);
  assert.deepEqual(g.connections, plain.connections);
  assert.equal(g.capture.packets, plain.capture.packets);
});

test('follow prints the conversation with client and server turns distinguished', () => {
  const r = wirelens('follow', LESSON, '0');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /220 mail\.lab\.local ESMTP/);
  assert.match(r.out, /^C> EHLO student-pc$/m);
  assert.match(r.out, /^S< 220 mail/m);
  assert.match(r.out, /MAIL FROM:<student@lab\.local>/);
});

test('packets --json: one row per packet with Wireshark-style columns', () => {
  const r = wirelens('packets', LESSON, '--json');
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out);
  assert.equal(rows.length, 72);
  assert.deepEqual(Object.keys(rows[0]), ['no', 'time', 'source', 'destination', 'protocol', 'length', 'info', 'connection']);
  assert.equal(rows[0].no, 1);
  assert.match(JSON.stringify(rows[0]), /\[SYN\] Seq=0 Win=\d+ Len=0 MSS=65495/);
});

test('errors go to stderr with a non-zero exit code and say what was found', () => {
  const notCapture = join(tmpdir(), `wirelens-cli-${process.pid}.txt`);
  writeFileSync(notCapture, 'From: someone\r\nSubject: not a capture\r\n');
  const a = wirelens('analyze', notCapture);
  assert.equal(a.code, 1);
  assert.equal(a.out, '');
  assert.match(a.err, /not a capture file: it starts with the text 'From'/);
  const b = wirelens('analyze', '/nonexistent/file.pcap');
  assert.equal(b.code, 1);
  assert.match(b.err, /no such file/);
  const c = wirelens('analyze');
  assert.equal(c.code, 2);
  assert.match(c.err, /missing FILE/);
  const d = wirelens('frobnicate');
  assert.equal(d.code, 2);
  assert.match(d.err, /unknown command 'frobnicate'/);
});
