/**
 * POP3 and FTP typed with `nc` without -C (lines end with LF only) to Dovecot and vsftpd on
 * loopback (fixtures/recorded/pop3-bare-lf-auth-plain.pcap, ftp-bare-lf.pcap). Both servers accept
 * the bare LF: the first such line says that POP3/FTP require CR LF and how to send it, the others
 * are marked briefly, and nothing claims the server stayed silent. The POP3 session also logs in
 * with AUTH PLAIN, first with a wrong password: each credential carries the server's verdict, and
 * the SASL "+ " continuation is an intermediate reply.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { laterHash } from '../../../dissectors/app/later-hash';
import { bareLfNote, bareLfSilenceNote } from '../../../dissectors/app/line-endings';
import { createProtocolSelector } from '../../../dissectors/app/selector';
import type { AppContext } from '../../../dissectors/app/types';
import { buildReport } from '../../../dissectors/analysis/report';
import type { AnalysisReport } from '../../../dissectors/analysis/types';
import { nodeHashes } from '../../../electron/engine/hashes';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

async function analyze(name: string): Promise<AnalysisReport> {
  const loaded = await loadCapture(join(FIXTURES, 'recorded', name));
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return report;
}

for (const [name, protocol] of [
  ['pop3-bare-lf-auth-plain.pcap', 'POP3'],
  ['ftp-bare-lf.pcap', 'FTP'],
] as const) {
  test(`${protocol} lines ending with LF only are named once, with the fix, and the server's answers are still read`, async () => {
    const c = (await analyze(name)).connections[0];
    const commands = c.ladder.filter((e) => e.from === 'client' && e.fields);
    assert.ok(commands.length >= 4);
    const first = commands[0].lines?.find((l) => l.startsWith('! '));
    assert.ok(first, 'the first LF-only line carries the note');
    assert.equal(first, `! ${bareLfNote(protocol)}`);
    assert.match(first, /CR LF/);
    assert.match(first, /nc -C host port/);
    for (const e of commands.slice(1))
      assert.ok(e.lines?.includes('(this line also ends with LF only)'), e.label);
    const prefix = protocol === 'POP3' ? 'pop3' : 'ftp';
    assert.deepEqual(
      c.diagnostics.filter((d) => d.code.endsWith('bare_lf')).map((d) => [d.code, d.frame]),
      [[`${prefix}.line.bare_lf`, commands[0].frame]],
    );
    // The server answered every command: no claim that it waited for CR LF.
    assert.ok(!c.diagnostics.some((d) => d.code === `${prefix}.reply.missing_bare_lf`));
    assert.ok(!c.ladder.some((e) => e.lines?.some((l) => l.includes('never answered'))));
    assert.equal(
      c.ladder.filter((e) => e.from === 'server').length,
      c.ladder.filter((e) => e.from === 'client').length + 1,
      'greeting + one reply per line',
    );
  });
}

test('AUTH PLAIN with a wrong password, then the right one: refused, then accepted; "+ " is an intermediate reply', async () => {
  const r = await analyze('pop3-bare-lf-auth-plain.pcap');
  assert.deepEqual(
    r.credentials.map((c) => [c.mechanism, c.username, c.password, c.outcome]),
    [
      ['AUTH PLAIN', 'pari', 'wrong', 'refused'],
      ['AUTH PLAIN', 'pari', 'ninja', 'accepted'],
    ],
  );
  const c = r.connections[0];
  assert.deepEqual(
    c.ladder.filter((e) => e.from === 'server').map((e) => [e.label.trim(), e.outcome]),
    [
      ['+OK Dovecot (Debian) ready.', 'positive'],
      ['-ERR [AUTH] Authentication failed.', 'permanent-negative'],
      ['+', 'intermediate'],
      ['+OK Logged in.', 'positive'],
      ['+OK 1 96', 'positive'],
      ['+OK Logging out.', 'positive'],
    ],
  );
  const refused = c.ladder.find((e) => e.label.startsWith('-ERR'))!;
  assert.match(refused.explain, /^Login refused: .* send AUTH again with the right password\.$/);
});

/** Bytes straight into the protocol selector of a connection to `port` (the greeting, then the client's lines). */
function feed(port: number, parts: Array<['client' | 'server', string]>) {
  const ctx: AppContext = {
    connection: { id: 0, client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port } },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    expectDataConnection: () => undefined,
  };
  const sel = createProtocolSelector(ctx);
  const offsets = { client: 0, server: 0 };
  parts.forEach(([dir, text], k) => {
    const bytes = new TextEncoder().encode(text);
    sel.onData({
      dir,
      offset: offsets[dir],
      bytes,
      frames: [{ frame: k + 1, offset: offsets[dir], length: bytes.length }],
      time: k / 1000,
    });
    offsets[dir] += bytes.length;
  });
  sel.onEnd();
  return sel.result();
}

test('a server that waits for CR LF and never answers the LF-only lines: the silence is explained on the first of them', () => {
  for (const [port, greeting, lines, code, protocol] of [
    [110, '+OK ready\r\n', ['USER pari\n', 'PASS ninja\n'], 'pop3.reply.missing_bare_lf', 'POP3'],
    [21, '220 ready\r\n', ['USER pari\n', 'PASS ninja\n'], 'ftp.reply.missing_bare_lf', 'FTP'],
  ] as const) {
    const r = feed(port, [['server', greeting], ...lines.map((l) => ['client', l] as ['client', string])]);
    const first = r.ladder.find((e) => e.from === 'client')!;
    // The shared wording (dissectors/app/line-endings.ts), said once on the first unanswered line.
    assert.ok(first.lines?.includes(`! ${bareLfSilenceNote(protocol, 2)}`), JSON.stringify(first.lines));
    assert.match(bareLfSilenceNote(protocol, 2), /never answered these 2 commands/);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === code).map((d) => d.frame),
      [first.frame],
    );
  }
  // A server that answered an LF-only line accepts them: a later silence is not about line endings.
  const lenient = feed(110, [
    ['server', '+OK ready\r\n'],
    ['client', 'USER pari\n'],
    ['server', '+OK\r\n'],
    ['client', 'PASS ninja\n'],
  ]);
  assert.ok(!lenient.diagnostics.some((d) => d.code === 'pop3.reply.missing_bare_lf'));
});
