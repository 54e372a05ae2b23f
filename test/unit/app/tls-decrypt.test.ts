/**
 * TLS decryption with the user's key log, on real loopback sessions recorded with their key logs
 * (fixtures/tls, see its README): every cipher suite opens; the bytes decrypted equal tshark 4.0's
 * (`tshark -o tls.keylog_file:K -q -z follow,tls,raw,0`, committed in fixtures/tls/tshark/*.follow.txt);
 * the protocol inside is dissected by the same handlers as in clear text, its events marked
 * insideTls; a pcapng with a Decryption Secrets Block decrypts with no option; a missing or wrong
 * key leaves the session encrypted with the reason, and a damaged record is marked while the rest goes on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NO_KEY_REASON } from '../../../dissectors/app/tls/session-decryptor';
import { FIXTURES } from '../../helpers/fixtures';
import { decrypt, tsharkFollow } from '../../helpers/tls-decrypt';

const DIR = join(FIXTURES, 'tls');

/** Each capture, the TLS version and cipher suite the ServerHello chose, and what the session carried. */
export const SESSIONS: Array<{ name: string; version: string; cipher: string }> = [
  { name: 'tls13-aes128gcm', version: 'TLS 1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
  { name: 'tls13-aes256gcm', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'tls13-chacha20', version: 'TLS 1.3', cipher: 'TLS_CHACHA20_POLY1305_SHA256' },
  { name: 'tls13-hrr', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'tls13-keyupdate', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'curl-nginx', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'smtps-465-auth-login', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'smtp-starttls-587', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'pop3-stls', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'pop3s-995', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'curl-http2', version: 'TLS 1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'tls12-aes128gcm', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'tls12-aes128gcm-noems', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'tls12-aes256gcm', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
  { name: 'tls12-chacha20', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'tls12-cbc-sha256-etm', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256' },
  { name: 'tls12-cbc-sha256-noetm', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256' },
  { name: 'tls12-cbc-sha384', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384' },
  { name: 'tls12-aes128-sha-noems', version: 'TLS 1.2', cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA' },
];

for (const s of SESSIONS) {
  test(`${s.version} ${s.cipher} decrypts with its key log, byte for byte as tshark: ${s.name}`, async () => {
    const { report, plain } = await decrypt(join(DIR, `${s.name}.pcap`), [join(DIR, `${s.name}.keys`)]);
    const c = report.connections[0];
    assert.equal(c.tls?.serverHello?.version, s.version);
    assert.equal(c.tls?.serverHello?.cipher, s.cipher);
    assert.equal(c.tls?.decrypted, true);
    assert.equal(c.tls?.decryption.keySource, 'keylog');
    assert.equal(c.tls?.decryption.failedRecords, 0);
    assert.ok(c.tls!.decryption.records >= 5, `${c.tls!.decryption.records} records`);
    const theirs = tsharkFollow(readFileSync(join(DIR, 'tshark', `${s.name}.follow.txt`), 'utf8'));
    assert.ok(theirs[0].length > 0 && theirs[1].length > 0, 'tshark decrypted both directions');
    assert.deepEqual([plain.client, plain.server].sort(), theirs, "each direction's bytes as tshark");
    // The encrypted handshake is named (TLS 1.3: EncryptedExtensions … Finished; TLS 1.2: Finished).
    const labels = c.ladder.map((e) => e.label);
    assert.ok(labels.includes('Finished'), labels.join('\n'));
    if (s.version === 'TLS 1.3')
      for (const m of ['EncryptedExtensions', 'CertificateVerify']) assert.ok(labels.includes(m), m);
    assert.ok(
      labels.includes('Alert warning: close_notify') || labels.includes('Alert fatal: decode_error'),
      labels.join('\n'),
    );
  });
}

test('HTTP inside TLS is read as in clear text: the GET and the 200 inside the encrypted band, marked insideTls', async () => {
  for (const name of ['curl-nginx', 'tls13-aes128gcm', 'tls12-cbc-sha256-noetm']) {
    const { report } = await decrypt(join(DIR, `${name}.pcap`), [join(DIR, `${name}.keys`)]);
    const c = report.connections[0];
    assert.equal(c.protocol, 'http');
    const get = c.ladder.find((e) => e.kind === 'command' && e.label.startsWith('GET /'));
    const ok = c.ladder.find((e) => e.kind === 'reply' && /^200 /i.test(e.label));
    assert.ok(get && ok, c.ladder.map((e) => e.label).join('\n'));
    assert.equal(get.insideTls, true);
    assert.equal(ok.insideTls, true);
    assert.equal(get.fields?.['http.request.method'], 'GET');
    const band = c.ladder.find((e) => e.tls === 'encrypted-start' && e.from === 'client');
    assert.ok(band && band.frame <= get.frame, 'the GET is inside the encrypted band');
    // TLS-layer events are never marked as inside.
    for (const e of c.ladder) if (e.kind === 'tls') assert.notEqual(e.insideTls, true, e.label);
  }
});

test('SMTP on 465: AUTH LOGIN, the password and the mail inside TLS; the credential says it was inside', async () => {
  const { report } = await decrypt(join(DIR, 'smtps-465-auth-login.pcap'), [
    join(DIR, 'smtps-465-auth-login.keys'),
  ]);
  const c = report.connections[0];
  assert.equal(c.protocol, 'smtp');
  const inner = c.ladder.filter((e) => e.insideTls);
  const labels = inner.map((e) => e.label);
  for (const want of [
    'EHLO student.lab.local',
    'AUTH LOGIN',
    'MAIL FROM:<pari@lab.local>',
    'RCPT TO:<ninja@lab.local>',
    'DATA',
    'QUIT',
  ])
    assert.ok(labels.includes(want), `${want} in\n${labels.join('\n')}`);
  assert.ok(labels.some((l) => l.includes('username “pari@lab.local”')));
  assert.ok(labels.some((l) => l.includes('password “ninja-secret”')));
  assert.ok(labels.some((l) => l.startsWith('235 ')));
  // tshark's SMTP fields with the keys (fixtures/tls/tshark/*.inner.tsv): the same commands and reply codes.
  const rows = readFileSync(join(DIR, 'tshark', 'smtps-465-auth-login.inner.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const theirCommands = rows.map((r) => r[1]).filter(Boolean);
  const theirCodes = rows
    .map((r) => r[2])
    .filter(Boolean)
    .map(Number);
  const ourCommands = inner.map((e) => e.fields?.['smtp.req.command']).filter((v) => v !== undefined);
  const ourCodes = inner
    .map((e) => e.fields?.['smtp.response.code'])
    .filter((v) => v !== undefined)
    .map(Number);
  assert.deepEqual(ourCommands, theirCommands);
  assert.deepEqual(ourCodes, theirCodes);
  assert.equal(report.credentials.length, 1);
  const cr = report.credentials[0];
  assert.deepEqual(
    [cr.mechanism, cr.username, cr.password, cr.insideTls],
    ['AUTH LOGIN', 'pari@lab.local', 'ninja-secret', true],
  );
});

/** tshark's inner fields with the keys (fixtures/tls/tshark/NAME.inner.tsv columns), in frame order. */
function tsharkInner(name: string, column: number): string[] {
  return readFileSync(join(DIR, 'tshark', `${name}.inner.tsv`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[column] ?? '')
    .filter(Boolean);
}

for (const [name, field, column, upgrade] of [
  ['smtp-starttls-587', 'smtp.req.command', 1, 'starttls'],
  ['smtp-starttls-587', 'smtp.response.code', 2, 'starttls'],
  ['pop3-stls', 'pop.request.command', 6, 'stls'],
  ['pop3s-995', 'pop.request.command', 6, null],
] as const) {
  test(`${name}: ${field} before and inside TLS equal tshark's with the keys`, async () => {
    const { report } = await decrypt(join(DIR, `${name}.pcap`), [join(DIR, `${name}.keys`)]);
    const c = report.connections[0];
    assert.equal(c.tls?.upgrade, upgrade);
    assert.equal(c.tls?.decrypted, true);
    const ours = c.ladder
      .map((e) => e.fields?.[field])
      .filter((v) => v !== undefined)
      .map(String);
    // tshark 4.0 cuts the STARTTLS command to "STAR" (its known split, see golden-app.test.ts STARTTLS_SPLIT).
    assert.deepEqual(
      ours,
      tsharkInner(name, column).map((v) => (v === 'STAR' ? 'STARTTLS' : v)),
    );
    const inside = c.ladder.filter((e) => e.insideTls).map((e) => e.label);
    assert.ok(inside.length >= 6, inside.join('\n'));
    assert.equal(report.credentials.length, 1);
    assert.equal(report.credentials[0].insideTls, true);
    assert.equal(report.credentials[0].password, name.startsWith('pop3') ? 'ninja' : 'ninja-secret');
  });
}

test('HTTP/2 after ALPN h2 is recognised: its frames listed by type and stream, as tshark with the keys', async () => {
  const { report } = await decrypt(join(DIR, 'curl-http2.pcap'), [join(DIR, 'curl-http2.keys')]);
  const c = report.connections[0];
  assert.equal(c.tls?.decrypted, true);
  const inner = c.ladder.filter((e) => e.insideTls);
  assert.equal(inner[0].from, 'server'); // the server's SETTINGS came before the client's preface
  assert.ok(inner.some((e) => e.label === 'HTTP/2 connection preface' && e.from === 'client'));
  const ours: string[] = [];
  for (const e of inner) {
    if (e.fields?.['http2.type'] === undefined) continue;
    const times = Number(/ ×(\d+),/.exec(e.label)?.[1] ?? 1);
    for (let i = 0; i < times; i++) ours.push(`${e.fields['http2.type']}/${e.fields['http2.streamid']}`);
  }
  const theirs: string[] = [];
  for (const line of readFileSync(join(DIR, 'tshark', 'curl-http2.http2.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)) {
    const [, types, streams] = line.split('\t');
    const s = streams.split(',');
    types.split(',').forEach((t, i) => theirs.push(`${t}/${s[i]}`));
  }
  assert.deepEqual(ours.sort(), theirs.sort());
  assert.ok(inner.some((e) => e.label === 'HEADERS[1]' && e.from === 'client' && e.kind === 'command'));
});

test('the packet list names decrypted HTTP/2 frames HTTP2, as tshark with the keys', async () => {
  const { Engine } = await import('../../../electron/engine/engine');
  const e = new Engine({
    keyLogs: [{ name: 'k', text: readFileSync(join(DIR, 'curl-http2.keys'), 'utf8') }],
  });
  try {
    const s = await e.openAndWait(join(DIR, 'curl-http2.pcap'));
    const rows = await e.getPackets(s.info.id, 0, 1000);
    const ours = rows.filter((r) => r.protocol === 'HTTP2').map((r) => r.no);
    const theirs = readFileSync(join(DIR, 'tshark', 'curl-http2.http2.tsv'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(l.split('\t')[0]));
    assert.deepEqual(ours, theirs);
  } finally {
    await e.close();
  }
});

test('without keys nothing is decrypted and the inside stays unread', async () => {
  const { report } = await decrypt(join(DIR, 'smtps-465-auth-login.pcap'), []);
  const c = report.connections[0];
  assert.equal(c.tls?.decrypted, false);
  assert.equal(c.tls?.decryption.records, 0);
  assert.ok(!c.ladder.some((e) => e.insideTls));
  assert.equal(report.credentials.length, 0);
});

test("a key log without this session's client random: encrypted, with the reason", async () => {
  const { report, keys } = await decrypt(join(DIR, 'smtps-465-auth-login.pcap'), [
    join(DIR, 'curl-nginx.keys'),
  ]);
  assert.ok(keys.size > 0);
  assert.equal(keys.matched.size, 0);
  const c = report.connections[0];
  assert.equal(c.tls?.decrypted, false);
  assert.equal(c.tls?.decryption.reason, NO_KEY_REASON);
  assert.equal(c.tls?.decryption.keySource, null);
});

test('a wrong secret: every record fails authentication, is counted and shown encrypted; the load goes on', async () => {
  const dir = privateTempDir('tls-wrong-key');
  const good = readFileSync(join(DIR, 'tls12-aes128gcm.keys'), 'utf8');
  const bad = good.replace(/([0-9a-f]{96})\s*$/m, (m) => m.replace(/^./, (c) => (c === '0' ? '1' : '0')));
  assert.notEqual(bad, good);
  writeFileSync(join(dir, 'bad.keys'), bad);
  const { report } = await decrypt(join(DIR, 'tls12-aes128gcm.pcap'), [join(dir, 'bad.keys')]);
  const c = report.connections[0];
  assert.equal(c.tls?.decrypted, false);
  assert.ok(c.tls!.decryption.failedRecords >= 4);
  assert.match(c.tls!.decryption.reason ?? '', /did not decrypt: authentication failed/);
  assert.ok(c.ladder.some((e) => e.kind === 'note' && e.label.startsWith('record not decrypted')));
  assert.ok(
    c.ladder.some((e) => e.label.includes('encrypted record')),
    'the records are still shown, as encrypted',
  );
});

test('a record changed in the capture is marked; the records after it still decrypt (TLS 1.3 sequence numbers go on)', async () => {
  const dir = privateTempDir('tls-damaged');
  const bytes = new Uint8Array(readFileSync(join(DIR, 'smtps-465-auth-login.pcap')));
  // Flip one byte inside the client's EHLO record (frame 13): find it by its TCP payload in the pcap.
  const { report: clean } = await decrypt(join(DIR, 'smtps-465-auth-login.pcap'), [
    join(DIR, 'smtps-465-auth-login.keys'),
  ]);
  const ehlo = clean.connections[0].ladder.find((e) => e.label === 'EHLO student.lab.local')!;
  const at = frameOffset(bytes, ehlo.frame);
  bytes[at.data + at.length - 3] ^= 0xff; // inside the AEAD tag of the record
  writeFileSync(join(dir, 'damaged.pcap'), bytes);
  const { report } = await decrypt(join(dir, 'damaged.pcap'), [join(DIR, 'smtps-465-auth-login.keys')]);
  const c = report.connections[0];
  assert.equal(c.tls?.decryption.failedRecords, 1);
  const labels = c.ladder.map((e) => e.label);
  assert.ok(!labels.includes('EHLO student.lab.local'));
  assert.ok(labels.includes('AUTH LOGIN') && labels.includes('QUIT'), labels.join('\n'));
  assert.ok(c.diagnostics.some((d) => d.code === 'tls.record.decrypt_failed'));
});

test('a pcapng with a Decryption Secrets Block (editcap --inject-secrets) decrypts with no key log given', async () => {
  const { report, plain, keys } = await decrypt(join(DIR, 'tls13-aes128gcm-dsb.pcapng'), []);
  const c = report.connections[0];
  assert.equal(c.tls?.decrypted, true);
  assert.equal(c.tls?.decryption.keySource, 'pcapng');
  assert.equal(keys.size, 1);
  assert.equal(keys.matched.size, 1);
  const theirs = tsharkFollow(readFileSync(join(DIR, 'tshark', 'tls13-aes128gcm-dsb.follow.txt'), 'utf8'));
  assert.deepEqual([plain.client, plain.server].sort(), theirs);
  assert.ok(c.ladder.some((e) => e.insideTls && e.label.startsWith('GET /')));
});

function privateTempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wirelens-${name}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Offset and length of frame `n`'s packet data in a classic little-endian pcap. */
function frameOffset(b: Uint8Array, n: number): { data: number; length: number } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 24;
  for (let i = 1; ; i++) {
    const cap = dv.getUint32(at + 8, true);
    if (i === n) return { data: at + 16, length: cap };
    at += 16 + cap;
  }
}
