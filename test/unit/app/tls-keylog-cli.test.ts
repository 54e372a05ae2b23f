/**
 * `--keylog FILE` on the commands (run as a user runs them, bin/wirelens.mjs in a child process), and
 * the engine's loadKeyLog (the app's "TLS keys…"): what was loaded and matched is reported, the JSON
 * gains tls.decrypted/decryption and the inner ladder, follow shows the decrypted conversation,
 * packets name the inner protocol, and a missing key log file is a clear error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { FIXTURES, ROOT } from '../../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const DIR = join(FIXTURES, 'tls');
const SMTPS = join(DIR, 'smtps-465-auth-login.pcap');
const SMTPS_KEYS = join(DIR, 'smtps-465-auth-login.keys');
const CURL = join(DIR, 'curl-nginx.pcap');
const CURL_KEYS = join(DIR, 'curl-nginx.keys');

function wirelens(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('analyze --keylog (repeatable): keys loaded per file, the connection decrypted, the credential inside TLS', () => {
  const r = wirelens('analyze', SMTPS, '--keylog', SMTPS_KEYS, '--keylog', CURL_KEYS);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /TLS key log smtps-465-auth-login\.keys: 5 key\(s\) loaded/);
  assert.match(r.out, /TLS key log curl-nginx\.keys: 5 key\(s\) loaded/);
  assert.match(r.out, /decrypted: #0/);
  assert.match(r.out, /\[decrypted\] AUTH LOGIN/);
  assert.match(
    r.out,
    /password="ninja-secret" .*sent inside TLS — readable here only because you supplied the keys/,
  );
});

test('analyze --json --keylog: tls.decrypted, decryption, the inner protocol and its ladder', () => {
  const r = wirelens('analyze', SMTPS, '--json', '--keylog', SMTPS_KEYS);
  assert.equal(r.code, 0, r.err);
  const c = JSON.parse(r.out).connections[0];
  assert.equal(c.protocol, 'smtp');
  assert.equal(c.tls.decrypted, true);
  assert.deepEqual(Object.keys(c.tls.decryption).sort(), ['failedRecords', 'keySource', 'records']);
  assert.equal(c.tls.decryption.keySource, 'keylog');
  assert.equal(c.tls.decryption.failedRecords, 0);
  const inner = c.ladder.filter((e: { insideTls?: boolean }) => e.insideTls);
  assert.ok(inner.some((e: { label: string }) => e.label === 'AUTH LOGIN'));
  // Without keys: the same connection, encrypted, with the reason.
  const plain = JSON.parse(wirelens('analyze', SMTPS, '--json').out).connections[0];
  assert.equal(plain.tls.decrypted, false);
  assert.equal(plain.tls.decryption.keySource, null);
  assert.ok(!plain.ladder.some((e: { insideTls?: boolean }) => e.insideTls));
});

test('a key log that matches nothing says so; a missing key log file is an error that says what to give', () => {
  const r = wirelens('analyze', SMTPS, '--keylog', CURL_KEYS);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /still encrypted: #0 \(no key for this session's client random in the key log\)/);
  assert.match(r.out, /the key log matches no TLS session of this capture/);
  const bad = wirelens('analyze', SMTPS, '--keylog', join(DIR, 'no-such.keys'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--keylog: cannot read the key log .*no-such\.keys: no such file/);
});

test('follow --keylog shows the decrypted conversation (--encrypted: the TCP bytes); packets name HTTP inside', () => {
  const f = wirelens('follow', CURL, '0', '--keylog', CURL_KEYS);
  assert.equal(f.code, 0, f.err);
  assert.match(f.out, /Follow: tls connection 0 \(text, decrypted with your key log\)/);
  assert.match(f.out, /C> GET \/hello\.html HTTP\/1\.1/);
  assert.match(f.out, /S< HTTP\/1\.1 200 OK/);
  const raw = wirelens('follow', CURL, '0', '--keylog', CURL_KEYS, '--encrypted');
  assert.match(raw.out, /Follow: tcp connection 0/);
  assert.doesNotMatch(raw.out, /GET \/hello/);
  const p = wirelens('packets', CURL, '--json', '--keylog', CURL_KEYS);
  assert.equal(p.code, 0, p.err);
  const rows = JSON.parse(p.out) as Array<{ no: number; protocol: string; info: string }>;
  assert.deepEqual(
    rows.filter((x) => x.protocol === 'HTTP').map((x) => x.info.split(' | ')[0]),
    ['GET /hello.html', '200 OK (text/html)'],
  );
  assert.ok(rows.filter((x) => x.protocol === 'TLSv1.3').length >= 6);
});

test('engine loadKeyLog: the open capture is read again with the key log; says what it gave and matched', async () => {
  const e = new Engine({});
  try {
    const s = await e.openAndWait(SMTPS);
    assert.equal((await e.getCredentials(s.info.id)).length, 0);
    const junk = `# comment\nnot a key line\n${readFileSync(SMTPS_KEYS, 'utf8')}`;
    const r = await e.loadKeyLog(s.info.id, 'smtps.keys', junk);
    assert.deepEqual([r.keys, r.skipped, r.totalKeys], [5, 1, 5]);
    assert.match(r.firstProblem ?? '', /^line 2: /);
    assert.deepEqual(r.decrypted, [0]);
    assert.deepEqual(r.encrypted, []);
    const creds = await e.getCredentials(r.capture.id);
    assert.deepEqual(
      creds.map((c) => [c.username, c.password, c.insideTls]),
      [['pari@lab.local', 'ninja-secret', true]],
    );
    const view = await e.getConnection(r.capture.id, 0);
    assert.ok(view.ladder.some((ev) => ev.insideTls && ev.label === 'QUIT'));
    // Display filters work on the decrypted fields, as in Wireshark; the TLS records stay `tls`.
    assert.equal((await e.setFilter(r.capture.id, 'smtp.req.command == "AUTH"')).displayed, 1);
    assert.equal((await e.setFilter(s.info.id, 'smtp.req.command == "AUTH"')).displayed, 0);
    assert.ok((await e.setFilter(r.capture.id, 'smtp')).displayed >= 10);
    assert.ok((await e.setFilter(r.capture.id, 'tls')).displayed >= 5);
    // A second key log that matches nothing keeps the first one's keys.
    const r2 = await e.loadKeyLog(r.capture.id, 'other.keys', readFileSync(CURL_KEYS, 'utf8'));
    assert.deepEqual([r2.keys, r2.totalKeys, r2.decrypted], [5, 10, [0]]);
  } finally {
    await e.close();
  }
});
