/**
 * The mistakes a class makes typing SMTP and HTTP by hand (issue 23), on real loopback captures
 * (fixtures/mistakes, recorded by scripts/lesson/record-mistakes.sh): each is diagnosed where it
 * happens, with a stable code, in plain words, with the fix; replies carry their outcome class and
 * credentials whether the server accepted them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import type { AnalysisReport, ConnectionResult } from '../../../dissectors/analysis/types';
import type { LadderEvent } from '../../../dissectors/app/types';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

async function analyze(name: string): Promise<AnalysisReport> {
  const loaded = await loadCapture(join(FIXTURES, 'mistakes', name));
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return report;
}

const event = (c: ConnectionResult, label: string): LadderEvent => {
  const e = c.ladder.find((x) => x.label === label);
  assert.ok(e, `no event “${label}” in\n${c.ladder.map((x) => x.label).join('\n')}`);
  return e;
};
const codes = (c: ConnectionResult) => c.diagnostics.map((d) => d.code);
const notes = (e: LadderEvent) => (e.lines ?? []).filter((l) => l.startsWith('! ')).join('\n');

test('bare LF to a server that waits for CR LF: the silence is explained, nothing is called pipelining', async () => {
  const c = (await analyze('smtp-bare-lf-strict.pcap')).connections[0];
  assert.equal(c.protocol, 'smtp');
  assert.deepEqual(
    c.ladder.map((e) => `${e.from[0]} ${e.kind} ${e.label}`),
    [
      's reply 220 strict.lab.local ESMTP (reads lines ending with CR LF only)',
      'c command EHLO student-pc',
      'c command MAIL FROM:<pari@lab.local>',
      'c command RCPT TO:<teacher@lab.local>',
      'c command QUIT',
    ],
  );
  for (const e of c.ladder) assert.doesNotMatch(e.explain, /PIPELINING/, e.label);
  const ehlo = event(c, 'EHLO student-pc');
  assert.match(notes(ehlo), /ends with LF only/);
  assert.match(notes(ehlo), /SMTP requires CR LF/);
  assert.match(notes(ehlo), /never answered these 4 commands/);
  assert.match(notes(ehlo), /nc -C host port`, `ncat --crlf host port` or `telnet host port`/);
  assert.deepEqual(codes(c), ['smtp.line.bare_lf', 'smtp.reply.missing_bare_lf']);
});

test('bare LF to a lenient server: commands answered, but the LF-only dot never ends the message', async () => {
  const c = (await analyze('smtp-bare-lf-lenient.pcap')).connections[0];
  assert.equal(event(c, '250 2.1.0 Accepted').outcome, 'positive');
  const msg = c.ladder.find((e) => e.kind === 'data')!;
  assert.match(notes(msg), /never answered the final dot\. The dot line ends with LF only/);
  assert.match(notes(event(c, 'QUIT')), /read this line as message text/);
  assert.ok(codes(c).includes('smtp.line.bare_lf'));
  assert.ok(codes(c).includes('smtp.reply.missing_bare_lf'));
  for (const e of c.ladder) assert.doesNotMatch(e.explain, /PIPELINING/);
});

test('mistyped commands: the 500/501 explained with "did you mean", an address without <> named', async () => {
  const c = (await analyze('smtp-typos.pcap')).connections[0];
  const hello = event(c, '500 5.5.2 Error: command not recognized');
  assert.equal(hello.outcome, 'permanent-negative');
  assert.match(
    notes(event(c, 'HELLO student-pc')),
    /“HELLO” is not an SMTP command, so the server refused it \(500\)\. Did you mean HELO or EHLO\?/,
  );
  assert.match(
    notes(event(c, 'MAIL FORM:<pari@lab.local>')),
    /MAIL must be followed by FROM: .*refused it \(501\)\. Did you mean MAIL FROM:<address>\?/,
  );
  assert.match(
    notes(event(c, 'MAIL FROM: pari@lab.local')),
    /without angle brackets: SMTP wants MAIL FROM:<pari@lab.local>\. The server refused it \(501\)/,
  );
  assert.match(notes(event(c, 'RCTP TO:<teacher@lab.local>')), /Did you mean RCPT TO:<address>\?/);
  assert.deepEqual(codes(c), [
    'smtp.command.unknown',
    'smtp.mail.syntax',
    'smtp.path.no_brackets',
    'smtp.command.unknown',
  ]);
  // the enhanced status code is explained too
  assert.ok(
    hello.lines?.includes(
      'Enhanced status code 5.5.2 = permanent failure, about the mail protocol: syntax error (RFC 3463).',
    ),
  );
  assert.equal(hello.fields?.['smtp.response.enhanced'], '5.5.2');
});

test('DATA out of sequence: each 503 says what was missing', async () => {
  const c = (await analyze('smtp-data-sequence.pcap')).connections[0];
  const data = c.ladder.filter((e) => e.label === 'DATA').map(notes);
  assert.equal(data.length, 4);
  assert.match(data[0], /DATA came before MAIL FROM/);
  assert.match(data[1], /DATA came before any RCPT TO/);
  assert.equal(data[2], '', 'the accepted DATA has no note');
  assert.match(data[3], /already sent, and that emptied the envelope: every message needs its own MAIL FROM/);
  assert.deepEqual(codes(c), ['smtp.data.bad_sequence', 'smtp.data.bad_sequence', 'smtp.data.bad_sequence']);
  assert.equal(event(c, '354 End data with <CR><LF>.<CR><LF>').outcome, 'intermediate');
});

test('a wrong password then the right one: each credential carries the server’s answer', async () => {
  const r = await analyze('smtp-auth-retry.pcap');
  assert.deepEqual(
    r.credentials.map((c) => [c.mechanism, c.username, c.password, c.outcome]),
    [
      ['AUTH LOGIN', 'pari', 'wrong', 'refused'],
      ['AUTH LOGIN', 'pari', 'ninja', 'accepted'],
    ],
  );
  const c = r.connections[0];
  const refused = event(c, '535 5.7.8 Authentication credentials invalid');
  assert.equal(refused.outcome, 'permanent-negative');
  assert.match(refused.explain, /username or password was not accepted/);
  assert.ok(
    refused.lines?.some((l) =>
      /5\.7\.8 = permanent failure, about security or policy: authentication credentials invalid/.test(l),
    ),
  );
  assert.equal(event(c, '334 VXNlcm5hbWU6 → “Username:”').outcome, 'intermediate');
});

test('the message: MIME headers after the blank line, a dot not doubled, a dot not alone; From: vs envelope in neutral words', async () => {
  const c = (await analyze('smtp-data-mistakes.pcap')).connections[0];
  const [first, second] = c.ladder.filter((e) => e.kind === 'data');
  assert.match(
    notes(first),
    /MIME-Version\/Content-Type come after the blank line .* no MIME parts and no attachment/,
  );
  assert.match(
    notes(first),
    /“\.hidden line”: This line starts with a dot: the server removes the first dot/,
  );
  assert.match(notes(first), /“\. ”: This line holds a dot with other characters/);
  assert.match(notes(first), /may be a spoof .*or mail forwarded by a mailing list/);
  assert.doesNotMatch(notes(second), /spoof \(/);
  assert.match(notes(second), /normal for much legitimate mail .* and it is also how spoofed mail looks/);
  const messages = (
    c.smtp as {
      messages: Array<{
        spoofed: boolean;
        fromDomainMismatch: boolean;
        mimeHeadersInBody: boolean;
        mime: { attachments: unknown[] } | null;
      }>;
    }
  ).messages;
  assert.deepEqual(
    messages.map((m) => [m.spoofed, m.fromDomainMismatch, m.mimeHeadersInBody]),
    [
      [true, true, true],
      [true, false, false],
    ],
  );
  assert.equal(messages[0].mime?.attachments.length ?? 0, 0, 'the attachment is body text: no attachment');
  assert.deepEqual(
    codes(c).sort(),
    [
      'smtp.data.dot_not_alone',
      'smtp.data.dot_not_stuffed',
      'smtp.message.from_domain_mismatch',
      'smtp.message.from_mismatch',
      'smtp.message.from_mismatch',
      'smtp.message.mime_headers_in_body',
    ].sort(),
  );
});

test('telnet option negotiation is decoded, and the refused first line explained', async () => {
  const c = (await analyze('smtp-telnet-iac.pcap')).connections[0];
  const neg = event(c, 'telnet option negotiation (7 commands)');
  assert.equal(neg.kind, 'note');
  assert.deepEqual(neg.lines?.slice(0, 3), [
    'IAC WILL 31: telnet (the client) offers to use window size (NAWS)',
    'IAC WILL 32: telnet (the client) offers to use terminal speed',
    'IAC WILL 24: telnet (the client) offers to use terminal type',
  ]);
  assert.ok(
    neg.lines?.includes(
      'IAC DO 1: telnet (the client) asks the server to use echo (who prints the typed characters)',
    ),
  );
  const ehlos = c.ladder.filter((e) => e.label === 'EHLO student-pc');
  assert.match(notes(ehlos[0]), /refused this line \(500\) because telnet's negotiation bytes came before/);
  assert.equal(notes(ehlos[1]), '');
  assert.deepEqual(codes(c), ['smtp.telnet.negotiation', 'smtp.telnet.refused_line']);
  assert.ok(!c.ladder.some((e) => /\\xff/.test(e.label)), 'no raw IAC bytes in labels');
});

test('text typed after STARTTLS is explained, not read as TLS or as commands', async () => {
  const r = await analyze('smtp-starttls-typed.pcap');
  const c = r.connections[0];
  assert.equal(
    event(c, '220 2.0.0 Ready to start TLS').explain,
    'The server is ready to start TLS: the next bytes on this connection must be a TLS handshake.',
  );
  const typed = event(c, 'EHLO student-pc (typed text where a TLS handshake was expected)');
  assert.match(
    typed.explain,
    /expects the next bytes to be a TLS handshake .*`openssl s_client -starttls smtp/,
  );
  assert.deepEqual(codes(c), ['smtp.starttls.plaintext']);
  assert.equal(c.tls ?? null, null, 'no TLS handshake happened');
});

test('HTTP: a bare LF request is accepted (and said so); a mistyped method gets "did you mean GET?"', async () => {
  const lf = (await analyze('http-bare-lf.pcap')).connections[0];
  assert.match(
    notes(event(lf, 'GET /hello.html')),
    /end with LF only .* allows a server to accept a bare LF, and most do/,
  );
  assert.equal(lf.ladder.find((e) => e.label.startsWith('200 OK'))?.outcome, 'positive');
  assert.deepEqual(codes(lf), ['http.request.bare_lf']);
  const typo = (await analyze('http-method-typo.pcap')).connections[0];
  assert.match(
    notes(event(typo, 'GTE /hello.html')),
    /“GTE” is not an HTTP method: .*405.* Did you mean GET\?/,
  );
  assert.deepEqual(codes(typo), ['http.request.method_unknown']);
  assert.equal(typo.ladder.find((e) => e.label.startsWith('405'))?.outcome, 'permanent-negative');
});
