/**
 * An accepted STARTTLS / STLS / AUTH TLS followed by clear text on both sides — what a capture of an
 * already-decrypted session looks like (a TLS proxy's clear side, a decrypted export): the session is
 * dissected on with a note, instead of being read as broken TLS. A real TLS handshake after the
 * upgrade still goes to TLS, and text typed by a student that the server never answers is still
 * explained as such (fixtures/mistakes/smtp-starttls-typed.pcap, in smtp-mistakes.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppResult } from '../../../dissectors/app/types';
import { dissectStream } from '../../helpers/app-stream';

const run = dissectStream;

const noted = (r: AppResult) =>
  r.ladder.filter((e) => e.lines?.some((l) => l.includes('already-decrypted session')));

test('SMTP: clear text on both sides after STARTTLS 220 is read on as SMTP, with a note', () => {
  const r = run(25, [
    ['S', '220 mx ESMTP\r\n'],
    ['C', 'EHLO pc\r\n'],
    ['S', '250-mx\r\n250 STARTTLS\r\n'],
    ['C', 'STARTTLS\r\n'],
    ['S', '220 2.0.0 Ready to start TLS\r\n'],
    ['C', 'EHLO pc\r\n'],
    ['S', '250-mx\r\n250 AUTH PLAIN\r\n'],
    ['C', `AUTH PLAIN ${Buffer.from('\0pari\0ninja').toString('base64')}\r\n`],
    ['S', '235 2.7.0 ok\r\n'],
    ['C', 'QUIT\r\n'],
    ['S', '221 bye\r\n'],
  ]);
  assert.equal(r.tls, null);
  const commands = r.ladder.filter((e) => e.from === 'client').map((e) => e.fields?.['smtp.req.command']);
  assert.deepEqual(commands, ['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'QUIT']);
  const n = noted(r);
  assert.equal(n.length, 1);
  assert.equal(n[0].fields?.['smtp.req.command'], 'EHLO');
  assert.equal(n[0].frame, 6);
  assert.ok(r.diagnostics.some((d) => d.code === 'tls.upgrade.not_tls'));
  assert.equal(r.credentials[0]?.outcome, 'accepted');
});

test("SMTP: the client's commands after STARTTLS and the reply in one read still pair in order", () => {
  const r = run(25, [
    ['S', '220 mx\r\n'],
    ['C', 'STARTTLS\r\n'],
    ['S', '220 go\r\n'],
    ['C', 'NOOP\r\nQUIT\r\n'],
    ['S', '250 ok\r\n221 bye\r\n'],
  ]);
  const labels = r.ladder.map((e) => `${e.from[0]} ${e.label}`);
  assert.deepEqual(labels.slice(-4), ['c NOOP', 'c QUIT', 's 250 ok', 's 221 bye']);
  // The 221 was paired with QUIT (its explanation is QUIT's), so the commands were read before the replies.
  assert.match(r.ladder[r.ladder.length - 1].explain, /QUIT/);
});

test('POP3: clear text after STLS +OK is read on as POP3, with a note', () => {
  const r = run(110, [
    ['S', '+OK ready\r\n'],
    ['C', 'STLS\r\n'],
    ['S', '+OK Begin TLS negotiation now.\r\n'],
    ['C', 'USER pari\r\n'],
    ['S', '+OK\r\n'],
    ['C', 'PASS ninja\r\n'],
    ['S', '+OK Logged in.\r\n'],
    ['C', 'QUIT\r\n'],
    ['S', '+OK bye\r\n'],
  ]);
  assert.equal(r.tls, null);
  assert.deepEqual(
    r.ladder.filter((e) => e.from === 'client').map((e) => e.fields?.['pop.request.command']),
    ['STLS', 'USER', 'PASS', 'QUIT'],
  );
  assert.equal(noted(r)[0]?.fields?.['pop.request.command'], 'USER');
  assert.equal(r.credentials.find((c) => c.password === 'ninja')?.outcome, 'accepted');
});

test('FTP: clear text after AUTH TLS 234 is read on as FTP, with a note', () => {
  const r = run(21, [
    ['S', '220 ftp\r\n'],
    ['C', 'AUTH TLS\r\n'],
    ['S', '234 Proceed with negotiation.\r\n'],
    ['C', 'USER pari\r\n'],
    ['S', '331 password\r\n'],
    ['C', 'PASS ninja\r\n'],
    ['S', '230 ok\r\n'],
  ]);
  assert.equal(r.tls, null);
  assert.deepEqual(
    r.ladder.filter((e) => e.from === 'client').map((e) => e.fields?.['ftp.request.command']),
    ['AUTH', 'USER', 'PASS'],
  );
  assert.equal(noted(r)[0]?.fields?.['ftp.request.command'], 'USER');
});

test('a TLS record after the upgrade still goes to TLS; bytes the server does not answer in clear are not called decrypted', () => {
  const hello = new Uint8Array([0x16, 3, 1, 0, 4, 1, 0, 0, 0]);
  for (const [port, up, ok] of [
    [25, 'STARTTLS', '220 go'],
    [110, 'STLS', '+OK go'],
    [21, 'AUTH TLS', '234 go'],
  ] as const) {
    const r = run(port, [
      ['S', port === 110 ? '+OK hi\r\n' : '220 hi\r\n'],
      ['C', `${up}\r\n`],
      ['S', `${ok}\r\n`],
      ['C', hello],
    ]);
    assert.ok(r.tls, `${up}: TLS after the upgrade`);
    assert.equal(noted(r).length, 0);
    const typed = run(port, [
      ['S', port === 110 ? '+OK hi\r\n' : '220 hi\r\n'],
      ['C', `${up}\r\n`],
      ['S', `${ok}\r\n`],
      ['C', 'USER x\r\n'],
    ]);
    assert.equal(noted(typed).length, 0, `${up}: text the server never answered is not a decrypted session`);
  }
});
