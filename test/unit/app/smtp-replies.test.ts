/**
 * SMTP replies and greetings on byte streams written from RFC 5321/2920/4954 examples, fed through
 * the protocol selector in capture order; and the pure helpers other dissectors share (reply
 * outcome, line endings, telnet options, "did you mean").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestWords, editDistance } from '../../../dissectors/app/did-you-mean';
import { bareLfNote, endsWithBareLf } from '../../../dissectors/app/line-endings';
import { domainsUnrelated, mimeHeadersInBody } from '../../../dissectors/app/mail/lesson-checks';
import { httpStatusOutcome, replyOutcome } from '../../../dissectors/app/reply-outcome';
import { unknownMethodNote } from '../../../dissectors/app/http/explain';
import {
  enhancedCodeOf,
  explainEnhancedCode,
  explainSmtpReply,
  SMTP_REPLY_CODES,
} from '../../../dissectors/app/smtp/reply-codes';
import { scanTelnet, hasTelnetCommands } from '../../../dissectors/app/telnet';
import type { AppResult } from '../../../dissectors/app/types';
import { dissectStream, type StreamPart } from '../../helpers/app-stream';

const run = (parts: StreamPart[]): AppResult => dissectStream(25, parts);

test('every reply event carries its outcome class; every listed code has its own explanation', () => {
  const r = run([
    ['S', '220 mx ESMTP\r\n'],
    ['C', 'HELO a\r\n'],
    ['S', '250 mx\r\n'],
    ['C', 'MAIL FROM:<a@x>\r\n'],
    ['S', '451 4.3.0 try later\r\n'],
    ['C', 'VRFY bob\r\n'],
    ['S', '252 2.1.5 cannot verify\r\n'],
    ['C', 'QUIT\r\n'],
    ['S', '221 2.0.0 bye\r\n'],
  ]);
  const replies = r.ladder.filter((e) => e.from === 'server');
  assert.deepEqual(
    replies.map((e) => e.outcome),
    ['positive', 'positive', 'transient-negative', 'positive', 'positive'],
  );
  assert.equal(replies[2].explain, SMTP_REPLY_CODES['451']);
  const listed = [
    '220',
    '221',
    '235',
    '250',
    '251',
    '252',
    '334',
    '354',
    '421',
    '450',
    '451',
    '452',
    '454',
    '500',
    '501',
    '502',
    '503',
    '504',
    '530',
    '534',
    '535',
    '538',
    '550',
    '551',
    '552',
    '553',
    '554',
    '555',
  ];
  const texts = listed.map((c) => explainSmtpReply(c));
  assert.equal(new Set(texts).size, listed.length, 'one specific explanation per code');
  for (const t of texts) assert.ok(t.length > 20 && !/does not know/.test(t), t);
});

test('reply outcome classes for SMTP/FTP codes, POP3 status and HTTP statuses', () => {
  assert.deepEqual(
    ['150', '220', '334', '354', '421', '535', '+OK done', '-ERR no', '+ ', 'xyz'].map((c) =>
      replyOutcome(c),
    ),
    [
      'positive',
      'positive',
      'intermediate',
      'intermediate',
      'transient-negative',
      'permanent-negative',
      'positive',
      'permanent-negative',
      'intermediate',
      undefined,
    ],
  );
  assert.deepEqual([101, 200, 302, 304, 404, 429, 503, 600].map(httpStatusOutcome), [
    'intermediate',
    'positive',
    'intermediate',
    'positive',
    'permanent-negative',
    'transient-negative',
    'transient-negative',
    undefined,
  ]);
});

test('enhanced status codes (RFC 3463) are read from the reply and explained', () => {
  assert.equal(enhancedCodeOf('5.7.1 Relaying denied'), '5.7.1');
  assert.equal(enhancedCodeOf('2.0.0'), '2.0.0');
  assert.equal(enhancedCodeOf('mx.example.org'), null);
  assert.equal(
    explainEnhancedCode('5.1.1'),
    '5.1.1 = permanent failure, about an address: bad destination mailbox address: no such user here',
  );
  assert.equal(
    explainEnhancedCode('5.7.1'),
    '5.7.1 = permanent failure, about security or policy: delivery not authorized: the message or address was refused by policy',
  );
  assert.equal(explainEnhancedCode('2.0.0'), '2.0.0 = success, with no more detail');
  assert.equal(
    explainEnhancedCode('4.2.2'),
    '4.2.2 = temporary failure (try again later), about the mailbox: the mailbox is full',
  );
  assert.equal(
    explainEnhancedCode('5.7.8'),
    '5.7.8 = permanent failure, about security or policy: authentication credentials invalid: wrong username or password',
  );
  assert.equal(explainEnhancedCode('3.1.1'), null);
});

test('EHLO after HELO refused with 503: no promise of an extension list; an empty list is said plainly', () => {
  const r = run([
    ['S', '220 mx ESMTP\r\n'],
    ['C', 'HELO a\r\n'],
    ['S', '250 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['S', '503 5.5.1 Error: duplicate HELO/EHLO\r\n'],
  ]);
  const refused = r.ladder.find((e) => e.label.startsWith('503'))!;
  assert.doesNotMatch(refused.explain, /list of extensions|lists the ESMTP extensions/);
  assert.match(refused.explain, /did not accept this EHLO/);
  assert.match((refused.lines ?? []).join('\n'), /session already has a greeting/);
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['smtp.greeting.duplicate'],
  );
  const bare = run([
    ['S', '220 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['S', '250 mx.example greets a\r\n'],
  ]);
  const ehlo = bare.ladder.find((e) => e.from === 'server' && e.label.startsWith('250'))!;
  assert.equal(ehlo.label, '250 mx.example — no extensions listed');
  assert.doesNotMatch(ehlo.label, /0 extensions/);
});

test('an EHLO reply split over several segments is summarised as one, like a single-segment one', () => {
  const whole = run([
    ['S', '220 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['S', '250-mx Hello a\r\n250-PIPELINING\r\n250-SIZE 100\r\n250 8BITMIME\r\n'],
  ]);
  const split = run([
    ['S', '220 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['S', '250-mx Hello a\r\n250-PIPE'],
    ['S', 'LINING\r\n250-SIZE 100\r\n'],
    ['S', '250 8BITMIME\r\n'],
  ]);
  const label = (r: AppResult) => r.ladder.filter((e) => e.from === 'server').map((e) => e.label);
  assert.deepEqual(label(split), label(whole));
  assert.equal(label(whole)[1], '250 mx — 3 extensions: PIPELINING SIZE 8BITMIME');
});

test('pipelining is said only when a command really went before the previous reply, with whether the server offered it', () => {
  const offered = run([
    ['S', '220 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['S', '250-mx\r\n250 PIPELINING\r\n'],
    ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\n'],
    ['S', '250 ok\r\n250 ok\r\n'],
  ]);
  const rcpt = offered.ladder.find((e) => e.label === 'RCPT TO:<b@y>')!;
  assert.match(
    rcpt.explain,
    /Sent before the reply to the previous command arrived \(PIPELINING, RFC 2920\)/,
  );
  assert.match(rcpt.explain, /advertised PIPELINING/);
  assert.doesNotMatch(offered.ladder.find((e) => e.label === 'MAIL FROM:<a@x>')!.explain, /PIPELINING/);
  const notOffered = run([
    ['S', '220 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['S', '250-mx\r\n250 SIZE 10\r\n'],
    ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\n'],
    ['S', '250 ok\r\n250 ok\r\n'],
  ]);
  assert.match(
    notOffered.ladder.find((e) => e.label === 'RCPT TO:<b@y>')!.explain,
    /did not advertise PIPELINING/,
  );
  // Commands that never get a reply did not overlap anything: no pipelining claim.
  const silent = run([
    ['S', '220 mx\r\n'],
    ['C', 'EHLO a\r\n'],
    ['C', 'MAIL FROM:<a@x>\r\n'],
  ]);
  for (const e of silent.ladder) assert.doesNotMatch(e.explain, /PIPELINING/);
});

test('every line sent where a command is expected is drawn as a command and takes its reply', () => {
  const r = run([
    ['S', '220 mx\r\n'],
    ['C', 'Subject: hello\r\n'],
    ['S', '500 5.5.2 unrecognized\r\n'],
    ['C', 'NOOP\r\n'],
    ['S', '250 2.0.0 ok\r\n'],
  ]);
  assert.deepEqual(
    r.ladder.map((e) => `${e.from[0]} ${e.kind} ${e.label}`),
    [
      's reply 220 mx',
      'c command Subject: hello',
      's reply 500 5.5.2 unrecognized',
      'c command NOOP',
      's reply 250 2.0.0 ok',
    ],
  );
  assert.equal(r.ladder[4].explain, 'The server is there and answers (NOOP does nothing else).');
});

test('AUTH PLAIN: the credential is accepted or refused by the reply that follows', () => {
  const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');
  const r = run([
    ['S', '220 mx\r\n'],
    ['C', `AUTH PLAIN ${plain('pari', 'bad')}\r\n`],
    ['S', '535 5.7.8 no\r\n'],
    ['C', `AUTH PLAIN ${plain('pari', 'ninja')}\r\n`],
    ['S', '235 2.7.0 ok\r\n'],
    ['C', `AUTH PLAIN ${plain('x', 'y')}\r\n`],
  ]);
  assert.deepEqual(
    r.credentials.map((c) => [c.password, c.outcome]),
    [
      ['bad', 'refused'],
      ['ninja', 'accepted'],
      ['y', 'unknown'],
    ],
  );
});

test('did you mean: nearest known word by edits, swaps of neighbours counting once', () => {
  assert.equal(editDistance('RCTP', 'RCPT'), 1);
  assert.equal(editDistance('GTE', 'GET'), 1);
  assert.deepEqual(nearestWords('hello', ['HELO', 'EHLO', 'MAIL']), ['HELO']);
  assert.deepEqual(nearestWords('XYZZY', ['HELO', 'EHLO', 'MAIL']), []);
  assert.deepEqual(nearestWords('GET', ['GET', 'PUT']), []);
});

test('line endings and telnet options, as the POP3/FTP dissectors can use them too', () => {
  assert.equal(endsWithBareLf({ terminator: 'LF' }), true);
  assert.equal(endsWithBareLf({ terminator: 'CRLF' }), false);
  assert.match(bareLfNote('POP3'), /POP3 requires CR LF/);
  const bytes = Uint8Array.from([
    0xff, 0xfd, 0x18, 0xff, 0xfa, 0x18, 0x00, 0x78, 0x74, 0x65, 0x72, 0x6d, 0xff, 0xf0, 0x55, 0x53, 0x45,
    0x52, 0xff, 0xff,
  ]);
  assert.equal(hasTelnetCommands(bytes), true);
  assert.equal(hasTelnetCommands(Uint8Array.from([0x41, 0xff, 0xff])), false);
  const scan = scanTelnet(bytes, 'server');
  assert.deepEqual([...scan.text], [0x55, 0x53, 0x45, 0x52, 0xff]);
  assert.deepEqual(scan.commands, [
    'IAC DO 24: the server asks the client to use terminal type',
    'IAC SB 24 … IAC SE: the server sends its terminal type: “xterm”',
  ]);
  assert.deepEqual(scanTelnet(Uint8Array.from([0xff, 0xfb])).commands, ['a telnet negotiation cut short']);
});

test('From: domain against the envelope: related domains are not called a spoof; MIME headers after the blank line are found', () => {
  assert.equal(domainsUnrelated('school.example', 'lab.local'), true);
  assert.equal(domainsUnrelated('lab.local', 'lists.lab.local'), false);
  assert.equal(domainsUnrelated('lab.local', 'lab.local'), false);
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(
    mimeHeadersInBody(enc('Subject: x\r\n\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi\r\n'), [
      'Subject',
    ]),
    true,
  );
  assert.equal(mimeHeadersInBody(enc('\r\nMIME-Version: 1.0\r\n'), []), true);
  assert.equal(
    mimeHeadersInBody(enc('MIME-Version: 1.0\r\n\r\nContent-Type: x\r\n'), ['MIME-Version']),
    false,
  );
  assert.equal(mimeHeadersInBody(enc('Subject: x\r\n\r\nhello\r\nContent-Type: x\r\n'), ['Subject']), false);
});

test('HTTP: only a method close to a standard one is called a typo; extension methods are not', () => {
  assert.equal(unknownMethodNote('GET'), null);
  assert.equal(unknownMethodNote('NOTIFY'), null, 'SSDP/UPnP');
  assert.equal(unknownMethodNote('PROPFIND'), null, 'WebDAV');
  assert.equal(unknownMethodNote('FROBNICATE'), null, 'close to no standard method');
  assert.match(unknownMethodNote('GTE') ?? '', /Did you mean GET\?$/);
  assert.match(unknownMethodNote('POTS') ?? '', /Did you mean POST\?$/);
  assert.match(unknownMethodNote('get') ?? '', /case-sensitive.*Write GET\.$/);
});
