/**
 * A POP3 session typed to Dovecot on loopback (fixtures/recorded/pop3-numbers-and-errors.pcap): RETR
 * before login, a wrong password then the right one, LIST, RETR 2, DELE 1, RETR/DELE of a message
 * that does not exist, TOP 2 0, UIDL 2, LIST of a deleted message, QUIT. What a student reads:
 * messages keep the number the client used (RETR 2 is message 2 everywhere, in the JSON too), each
 * credential says whether the server accepted it, every reply carries its outcome, and each -ERR is
 * explained for the command it answers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pop3Summary } from '../../../dissectors/app/pop3/pop3';
import { buildReport } from '../../../dissectors/analysis/report';
import type { AnalysisReport } from '../../../dissectors/analysis/types';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

const CAPTURE = join(FIXTURES, 'recorded', 'pop3-numbers-and-errors.pcap');

async function analyze(path: string): Promise<AnalysisReport> {
  const loaded = await loadCapture(path);
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return report;
}

const report = analyze(CAPTURE);

test('a message keeps the number the client used: RETR 2 is message 2, not the first one read', async () => {
  const r = await report;
  const c = r.connections[0];
  const s = c.pop3 as Pop3Summary;
  assert.deepEqual(
    s.retrieved.map((m) => [m.command, m.number, m.headers.subject]),
    [
      ['RETR', 2, 'second message'],
      ['TOP', 2, 'second message'],
    ],
  );
  // JSON (what `wirelens analyze --json` prints) carries the number.
  const json = JSON.parse(JSON.stringify(s)) as { retrieved: Array<{ number: number }> };
  assert.deepEqual(
    json.retrieved.map((m) => m.number),
    [2, 2],
  );
  const retr = c.ladder.find((e) => e.kind === 'data' && e.label.startsWith('+OK 96 octets'))!;
  assert.equal(retr.label, '+OK 96 octets — message 2: 96 bytes “second message”');
  assert.match(retr.explain, /^Message 2 \(RETR 2\)\./);
  // DELE 1 marked message 1; DELE 9 was refused, so 9 is not listed as marked.
  assert.deepEqual(s.deleted, [1]);
  const dele = c.ladder.find((e) => e.from === 'server' && e.label === '+OK Marked to be deleted.')!;
  assert.match(dele.explain, /^Message 1 is marked for deletion/);
});

test('a wrong password then the right one: the first credential is refused, the second accepted', async () => {
  const r = await report;
  assert.deepEqual(
    r.credentials.map((c) => [c.protocol, c.mechanism, c.username, c.password, c.outcome]),
    [
      ['pop3', 'USER/PASS', 'pari', 'ninj4', 'refused'],
      ['pop3', 'USER/PASS', 'pari', 'ninja', 'accepted'],
    ],
  );
  const c = r.connections[0];
  const refused = c.ladder.find((e) => e.label === '-ERR [AUTH] Authentication failed.')!;
  assert.match(refused.explain, /^Login refused: the user name or the password is wrong/);
  assert.match(refused.explain, /\[AUTH\] means the user name or password is wrong/);
  assert.ok(c.diagnostics.some((d) => d.code === 'pop3.login.refused' && d.frame === refused.frame));
  assert.ok(
    !c.diagnostics.some((d) => d.message.includes('ninj4')),
    'a diagnostic never repeats the password',
  );
});

test('every server reply carries its outcome: +OK positive, -ERR permanent-negative', async () => {
  const c = (await report).connections[0];
  const replies = c.ladder.filter((e) => e.from === 'server');
  assert.ok(replies.length >= 15);
  for (const e of replies) {
    const want = e.label.startsWith('-ERR') ? 'permanent-negative' : 'positive';
    assert.equal(e.outcome, want, `${e.frame} ${e.label}`);
  }
  assert.equal(
    c.ladder.filter((e) => e.from === 'client' && e.outcome !== undefined).length,
    0,
    'commands have no outcome',
  );
});

test('each -ERR is explained for its command: before login, no such message, a deleted message', async () => {
  const c = (await report).connections[0];
  const after = (command: string) => {
    const i = c.ladder.findIndex((e) => e.from === 'client' && e.label === command);
    assert.ok(i >= 0, command);
    return c.ladder[i + 1];
  };
  const early = after('RETR 1');
  assert.equal(early.label, '-ERR Unknown command.');
  assert.match(early.explain, /RETR is refused because the client has not logged in yet/);
  assert.match(early.explain, /Log in with USER and PASS first/);
  for (const cmd of ['RETR 9', 'DELE 9']) {
    const e = after(cmd);
    assert.equal(e.label, "-ERR There's no message 9.");
    assert.match(
      e.explain,
      /^There is no message 9 in this mailbox: message numbers are the ones LIST shows/,
    );
  }
  const deleted = after('LIST 1');
  assert.equal(deleted.label, '-ERR Message is deleted.');
  assert.match(deleted.explain, /^Message 1 is marked for deletion in this session \(DELE\)/);
  assert.deepEqual(
    c.diagnostics.filter((d) => d.code.startsWith('pop3.')).map((d) => d.code),
    [
      'pop3.command.before_login',
      'pop3.login.refused',
      'pop3.message.missing',
      'pop3.message.missing',
      'pop3.message.deleted',
    ],
  );
  assert.match(after('UIDL 2').explain, /^The unique id of message 2 is 000000026b1760f1/);
});
