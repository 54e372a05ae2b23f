/**
 * An FTP session typed to vsftpd on loopback (fixtures/recorded/ftp-transfers-and-mistakes.pcap): a
 * wrong password then the right one, PASV + LIST, LIST again without a new PASV (425), PASV + RETR
 * of a file, PASV + STOR, RETR of a missing file (550), PORT to a port nobody listens on then LIST
 * (425), QUIT. What a student reads: a RETR/STOR data connection is a file (name, size, direction),
 * a LIST one a listing; each credential says whether it was accepted; each reply has its outcome;
 * the 425s and the 530 say what went wrong and what to do.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FtpSummary } from '../../../dissectors/app/ftp/ftp';
import type { FtpDataSummary } from '../../../dissectors/app/ftp/ftp-data';
import { buildReport } from '../../../dissectors/analysis/report';
import type { AnalysisReport } from '../../../dissectors/analysis/types';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

const CAPTURE = join(FIXTURES, 'recorded', 'ftp-transfers-and-mistakes.pcap');

async function analyze(path: string): Promise<AnalysisReport> {
  const loaded = await loadCapture(path);
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return report;
}

const report = analyze(CAPTURE);

test('a RETR download is a file (name, size, direction), a STOR upload too, and a LIST a listing', async () => {
  const r = await report;
  const data = r.connections.filter(
    (c) => c.protocol === 'ftp-data' && ((c.ftpData as FtpDataSummary | undefined)?.bytes ?? 0) > 0,
  );
  assert.deepEqual(
    data.map((c) => {
      const s = c.ftpData as FtpDataSummary;
      return [s.command, s.argument, s.kind, s.bytes];
    }),
    [
      ['LIST', '', 'listing', 132],
      ['RETR', 'lesson.txt', 'file', 57],
      ['STOR', 'upload/note.txt', 'file', 25],
    ],
  );
  const [list, retr, stor] = data.map((c) => c.ladder[0]);
  assert.match(list.label, /^LIST: directory listing, 132 bytes, FTP server → client/);
  assert.match(list.explain, /^A directory listing \(LIST\)/);
  assert.match(retr.label, /^RETR lesson\.txt: 57 bytes of the file, FTP server → client/);
  assert.match(
    retr.explain,
    /^The file “lesson\.txt”, downloaded \(RETR\): its 57 bytes went from the FTP server to the FTP client/,
  );
  assert.doesNotMatch(retr.explain, /listing/);
  assert.match(stor.label, /^STOR upload\/note\.txt: 25 bytes of the file, FTP client → server/);
  assert.match(stor.explain, /uploaded \(STOR\): its 25 bytes went from the FTP client to the FTP server/);
  // The bytes are what vsftpd served (scripts/peers/vsftpd.sh writes lesson.txt).
  assert.equal(
    (data[1].ftpData as FtpDataSummary).text,
    'Lesson 6: PASV (h1,h2,h3,h4,p1,p2) means port p1*256+p2.\n',
  );
});

test('a wrong password then the right one: refused, then accepted', async () => {
  const r = await report;
  assert.deepEqual(
    r.credentials.map((c) => [c.protocol, c.username, c.password, c.outcome]),
    [
      ['ftp', 'pari', 'ninj4', 'refused'],
      ['ftp', 'pari', 'ninja', 'accepted'],
    ],
  );
  const ctl = r.connections[0];
  const refused = ctl.ladder.find((e) => e.label === '530 Login incorrect.')!;
  assert.match(refused.explain, /^Login refused \(530\)/);
  assert.ok(ctl.diagnostics.some((d) => d.code === 'ftp.login.refused' && d.frame === refused.frame));
});

test('every FTP reply carries its RFC 959 outcome class (1yz and 2yz positive, 3yz intermediate, 4yz transient, 5yz permanent)', async () => {
  const ctl = (await report).connections[0];
  const want: Record<string, string> = {
    '1': 'positive',
    '2': 'positive',
    '3': 'intermediate',
    '4': 'transient-negative',
    '5': 'permanent-negative',
  };
  const replies = ctl.ladder.filter((e) => e.from === 'server');
  assert.equal(replies.length, 20);
  for (const e of replies) assert.equal(e.outcome, want[e.label[0]], e.label);
});

test('LIST after the PASV connection was used, and active mode that cannot connect back: each 425 says why and what to do', async () => {
  const ctl = (await report).connections[0];
  const refusals = ctl.ladder.filter((e) => e.label.startsWith('425'));
  assert.deepEqual(
    refusals.map((e) => e.label),
    ['425 Use PORT or PASV first.', '425 Failed to establish connection.'],
  );
  assert.match(
    refusals[0].explain,
    /data connection of the last PASV was already used by the previous transfer/,
  );
  assert.match(refusals[0].explain, /Send PASV again/);
  assert.match(refusals[0].explain, /each PASV opens one data connection/);
  assert.match(
    refusals[1].explain,
    /active mode \(PORT\) the server connects back to the client's port 40299/,
  );
  assert.match(refusals[1].explain, /Use passive mode \(PASV\) instead/);
  assert.deepEqual(
    ctl.diagnostics.filter((d) => d.code.startsWith('ftp.')).map((d) => [d.code, d.frame]),
    [
      ['ftp.login.refused', ctl.ladder.find((e) => e.label === '530 Login incorrect.')!.frame],
      ['ftp.data.pasv_used', refusals[0].frame],
      ['ftp.data.active_failed', refusals[1].frame],
    ],
  );
  const transfers = (ctl.ftp as FtpSummary).transfers;
  assert.deepEqual(
    transfers.map((t) => [t.command, t.argument, t.mode, t.reply]),
    [
      ['LIST', '', 'PASV', 226],
      ['LIST', '', null, 425],
      ['RETR', 'lesson.txt', 'PASV', 226],
      ['STOR', 'upload/note.txt', 'PASV', 226],
      ['RETR', 'nosuch.txt', 'PASV', 550],
      ['LIST', '', 'PORT', 425],
    ],
  );
  const portOk = ctl.ladder.find((e) => e.label.startsWith('200 PORT command successful'))!;
  assert.match(portOk.explain, /it will connect back to them when a transfer command/);
  const missing = ctl.ladder.find((e) => e.label === '550 Failed to open file.')!;
  assert.match(missing.explain, /does not exist, or this user may not access it/);
  const preliminary = ctl.ladder.find((e) =>
    e.label.startsWith('150 Opening BINARY mode data connection for lesson.txt'),
  )!;
  assert.match(preliminary.explain, /Here: 57 bytes for lesson\.txt\./);
});

test('in active mode (PORT) the FTP server opens the data connection: a download is still sent by the FTP server', async () => {
  const r = await analyze(
    join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'filestore-ftp-active-mode', 'ftp-active-mode.pcap'),
  );
  const data = r.connections.find((c) => c.protocol === 'ftp-data')!;
  const s = data.ftpData as FtpDataSummary;
  assert.deepEqual(
    [s.mode, s.command, s.argument, s.kind, s.direction, s.sender],
    ['PORT', 'RETR', 'index.html', 'file', 'client', 'server'],
  );
  assert.match(data.ladder[0].explain, /went from the FTP server to the FTP client/);
});

test('PASV, then RETR without connecting to the port: the 425 says to connect to that port', async () => {
  const ctl = (await analyze(join(FIXTURES, 'recorded', 'ftp-pasv-not-connected.pcap'))).connections[0];
  const refused = ctl.ladder.find((e) => e.label.startsWith('425'))!;
  assert.equal(refused.label, '425 Failed to establish connection.');
  const port = (ctl.ftp as FtpSummary).transfers[0].port;
  assert.equal(port, 40307);
  assert.match(
    refused.explain,
    /^425: the server opened port 40307 \(PASV\) and waited, but no data connection came to it in time\. Connect to port 40307/,
  );
  assert.deepEqual(
    ctl.diagnostics.filter((d) => d.code.startsWith('ftp.')).map((d) => [d.code, d.frame]),
    [['ftp.data.pasv_failed', refused.frame]],
  );
  assert.deepEqual(
    (ctl.ftp as FtpSummary).transfers.map((t) => t.dataConnection),
    [null],
    'no data connection in the capture',
  );
});

test('a mistyped command (LSIT, RETRE) over POP3 and FTP: the refusal names the command meant', async () => {
  const r = await analyze(join(FIXTURES, 'recorded', 'pop3-ftp-typos.pcap'));
  const [pop3, ftp] = r.connections;
  const after = (c: typeof pop3, label: string) =>
    c.ladder[c.ladder.findIndex((e) => e.from === 'client' && e.label === label) + 1];
  assert.equal(after(pop3, 'LSIT').label, '-ERR Unknown command: LSIT');
  assert.equal(
    after(pop3, 'LSIT').explain,
    'The server does not know the command “LSIT”. Did you mean LIST?',
  );
  assert.equal(
    after(pop3, 'RETRE 1').explain,
    'The server does not know the command “RETRE”. Did you mean RETR?',
  );
  assert.equal(after(ftp, 'LSIT').label, '500 Unknown command.');
  assert.equal(after(ftp, 'LSIT').explain, 'The server does not know the command “LSIT”. Did you mean LIST?');
  assert.deepEqual(
    [...pop3.diagnostics, ...ftp.diagnostics]
      .filter((d) => d.code.endsWith('command.unknown'))
      .map((d) => d.code),
    ['pop3.command.unknown', 'pop3.command.unknown', 'ftp.command.unknown'],
  );
  assert.match(after(ftp, 'CWD /nonexistent').explain, /does not exist, or this user may not access it/);
});
