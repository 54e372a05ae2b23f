/**
 * The lesson's servers, real and on their lesson ports, captured live by Wirelens's capture engine
 * while real clients use them — the integration test of issue 6. Servers: npm smtp-server on 1025
 * (clear text), 587 (STARTTLS) and 465 (implicit TLS); Debian's Dovecot POP3 on 1110 (user
 * pari/ninja) and 995; vsftpd on 21 with passive mode; nginx on 80 and 443. Clients: a student's
 * typed SMTP session (a raw socket, line by line, as with ncat) and curl for everything else.
 * Wirelens must show what the clients did — protocols, handshakes, ladders, credentials, the
 * STARTTLS point, the PASV data connection and its file — and tcpdump, capturing the same traffic
 * at the same time, must have seen exactly the same packets. Needs root (test:all runs as root).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ConnectionView } from '../../api/engine-api';
import { readCaptureBytes } from '../../dissectors/capture/reader';
import { Engine } from '../../electron/engine/engine';
import { waitForOutput } from '../helpers/child-output';
import { defaultBufferMb } from '../../electron/capture/ring-size';
import { ROOT } from '../helpers/fixtures';

const PORTS = { smtp: 1025, submission: 587, smtps: 465, pop3: 1110, pop3s: 995, ftp: 21, http: 80, https: 443 };
const PASV = [61000, 61100]; // above Linux's ephemeral range (32768-60999), so no other test's connection matches the filter
const dir = mkdtempSync(join(tmpdir(), 'wirelens-lesson-peers-'));
chmodSync(dir, 0o755);
const pids: number[] = [];
const children: ChildProcess[] = [];
const engine = new Engine({});

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function startScript(script: string, ...args: string[]): void {
  const r = spawnSync('bash', [join(ROOT, 'scripts/peers', script), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${script}: ${r.stderr}`);
  pids.push(Number(r.stdout.trim().split('\n').pop()));
}

before(async () => {
  for (const [name, port] of Object.entries(PORTS)) assert.ok(await portFree(port), `port ${port} (${name}) is taken: stop what listens there`);
  spawnSync('bash', [join(ROOT, 'scripts/peers/lab-cert.sh'), dir]);
  startScript('dovecot-pop3.sh', join(dir, 'dovecot'), String(PORTS.pop3), String(PORTS.pop3s));
  startScript('vsftpd.sh', join(dir, 'ftp'), String(PORTS.ftp), String(PASV[0]), String(PASV[1]));
  startScript('nginx.sh', dir, String(PORTS.http), String(PORTS.https));
  const smtp = spawn(process.execPath, [join(ROOT, 'scripts/peers/smtp-server.mjs'), dir, String(PORTS.smtp), String(PORTS.submission), String(PORTS.smtps)]);
  children.push(smtp);
  await waitForOutput(smtp, /lab smtp server on/);
  await new Promise((r) => setTimeout(r, 1000));
});

after(async () => {
  await engine.close();
  for (const pid of pids) spawnSync('kill', [String(pid)]);
  for (const c of children) c.kill('SIGKILL');
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

function curl(...args: string[]): string {
  const r = spawnSync('curl', ['-s', '--max-time', '15', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `curl ${args.join(' ')}: exit ${r.status} ${r.stderr}`);
  return r.stdout;
}

const labels = (v: ConnectionView) => v.ladder.map((e) => e.label);

test('real servers on the lesson ports, real clients, captured live: Wirelens shows what the clients did', async () => {
  const filter = [...Object.values(PORTS).map((p) => `tcp port ${p}`), `tcp portrange ${PASV[0]}-${PASV[1]}`].join(' or ');
  const dumpFile = join(dir, 'tcpdump.pcap');
  // The same kernel ring as Wirelens's capture: in immediate mode tcpdump's default 2 MiB holds only
  // ~30 frames of lo's 64 KiB MTU, and it once dropped 4 of 196 packets of a burst here.
  const dump = spawn('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-B', String(defaultBufferMb('lo') * 1024), '-n', '-Z', 'root', '-w', dumpFile, filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(dump);
  await waitForOutput(dump, /listening on/);
  const info = await engine.startCapture({ iface: 'lo', filter });

  // 0: the student types SMTP by hand (AUTH LOGIN, a spoofed From:, an attachment).
  const typed = spawnSync(process.execPath, [join(ROOT, 'scripts/lesson/type-session.mjs'), 'smtp', String(PORTS.smtp)], { timeout: 30000 });
  assert.equal(typed.status, 0, String(typed.stderr));
  const mail = join(dir, 'mail.txt');
  writeFileSync(mail, 'From: pari@lab.local\r\nTo: teacher@lab.local\r\nSubject: over TLS\r\n\r\nThis line is encrypted on the wire.\r\n');
  const envelope = ['-u', 'pari:ninja', '--mail-from', 'pari@lab.local', '--mail-rcpt', 'teacher@lab.local', '-T', mail, '-k'];
  // 1: submission with STARTTLS; 2: SMTPS.
  curl('--resolve', `mail.lab.local:${PORTS.submission}:127.0.0.1`, '--ssl-reqd', `smtp://mail.lab.local:${PORTS.submission}/student-pc`, ...envelope);
  curl('--resolve', `mail.lab.local:${PORTS.smtps}:127.0.0.1`, `smtps://mail.lab.local:${PORTS.smtps}/student-pc`, ...envelope);
  // 3: POP3 in clear text.
  assert.match(curl('-u', 'pari:ninja', `pop3://127.0.0.1:${PORTS.pop3}/1`), /Subject: read me over STLS/);
  // 4 + 5: FTP, anonymous, passive mode, one file.
  const lesson = curl('--disable-epsv', `ftp://127.0.0.1:${PORTS.ftp}/lesson.txt`);
  assert.match(lesson, /p1\*256\+p2/);
  // 6: HTTP; 7: HTTPS.
  const page = curl(`http://127.0.0.1:${PORTS.http}/hello.html`);
  assert.match(page, /HTTP is plain text over TCP/);
  curl('-k', '--resolve', `www.lab.local:${PORTS.https}:127.0.0.1`, `https://www.lab.local:${PORTS.https}/hello.html`);

  await new Promise((r) => setTimeout(r, 1200));
  const st = await engine.stopCapture(info.id);
  assert.equal(st.state, 'ready');
  dump.kill('SIGINT');
  await new Promise((r) => dump.once('exit', r));

  const rows = await engine.getConnections(info.id);
  // Implicit TLS on a well-known port keeps the port's protocol name, with TLS inside (Wireshark
  // shows "TLSv1.3" there; Wirelens says which protocol the encrypted bytes carry).
  assert.deepEqual(
    rows.map((r) => [Number(r.server.split(':').pop()), r.protocol, r.tls]),
    [
      [PORTS.smtp, 'smtp', false],
      [PORTS.submission, 'smtp', true],
      [PORTS.smtps, 'smtp', true],
      [PORTS.pop3, 'pop3', false],
      [PORTS.ftp, 'ftp', false],
      [rows[5] ? Number(rows[5].server.split(':').pop()) : -1, 'ftp-data', false],
      [PORTS.http, 'http', false],
      [PORTS.https, 'http', true],
    ],
  );
  // Every connection ended: with FINs, or (Node's TLS server) a RST after the close.
  for (const r of rows) assert.ok(['closed', 'reset'].includes(r.status), `connection ${r.id}: ${r.status}`);
  for (const i of [0, 3, 4, 5, 6]) assert.equal(rows[i].status, 'closed');
  const views = await Promise.all(rows.map((r) => engine.getConnection(info.id, r.id)));
  for (const v of views) {
    assert.equal(v.model.handshake.outcome, 'complete', `connection ${v.row.id}: three-way handshake`);
    assert.ok(v.model.handshake.syn && v.model.handshake.synAck && v.model.handshake.ack);
  }

  const [typedSmtp, submission, smtps, pop3, ftp, ftpData, http, https] = views;
  assert.ok(labels(typedSmtp).includes('334 VXNlcm5hbWU6 → “Username:”'), labels(typedSmtp).join('\n'));
  assert.ok(labels(typedSmtp).some((l) => l.startsWith('MAIL FROM:<student@lab.local>')));
  const typedMsg = (typedSmtp.summary.smtp as { messages: Array<{ spoofed: boolean; mime: { attachments: Array<{ filename: string }> } }> }).messages[0];
  assert.equal(typedMsg.spoofed, true);
  assert.equal(typedMsg.mime.attachments[0].filename, 'homework.txt');

  assert.equal(submission.tls?.upgrade, 'starttls');
  assert.equal(submission.tls?.clientHello?.sni, 'mail.lab.local');
  assert.ok(submission.tls?.serverHello);
  assert.ok(submission.ladder.some((e) => e.tls === 'encrypted-start'));
  assert.ok(labels(submission).includes('STARTTLS'));
  assert.ok(!labels(submission).some((l) => /^AUTH/.test(l)), 'AUTH after STARTTLS is not readable');

  assert.equal(smtps.tls?.clientHello?.sni, 'mail.lab.local');
  for (const v of [smtps, https]) assert.equal(v.tls?.upgrade, null, 'implicit TLS: encrypted from the first byte');
  assert.equal(https.tls?.clientHello?.sni, 'www.lab.local');
  for (const v of [smtps, https]) assert.ok(v.ladder.some((e) => e.tls === 'client-hello') && v.ladder.some((e) => e.tls === 'server-hello'));

  assert.ok(labels(pop3).some((l) => l.startsWith('AUTH PLAIN')), labels(pop3).join('\n'));
  assert.ok(labels(pop3).includes('RETR 1'));
  const creds = await engine.getCredentials(info.id);
  assert.deepEqual(
    creds.map((c) => [c.connection, c.mechanism, c.username, c.password]),
    [
      [0, 'AUTH LOGIN', 'student', 'secret123'],
      [3, 'AUTH PLAIN', 'pari', 'ninja'],
      [4, 'USER/PASS', 'anonymous', creds.find((c) => c.connection === 4)?.password ?? null],
    ],
  );

  // PASV: the port the server announced is the port of the data connection, which carried the file.
  const pasv = ftp.ladder.find((e) => /^227 /.test(e.label));
  assert.ok(pasv, labels(ftp).join('\n'));
  const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec([pasv.label, ...(pasv.lines ?? [])].join(' '))!;
  const port = Number(m[5]) * 256 + Number(m[6]);
  assert.equal(Number(ftpData.row.server.split(':').pop()), port);
  assert.ok(port >= PASV[0] && port <= PASV[1]);
  const transfer = await engine.getTransfer(info.id, ftpData.row.id);
  assert.equal(transfer.sha256, createHash('sha256').update(lesson).digest('hex'));
  const transfers = (ftp.summary.ftp as { transfers: Array<{ dataConnection: number | null }> }).transfers;
  assert.ok(transfers.some((t) => t.dataConnection === ftpData.row.id));

  assert.ok(labels(http).some((l) => l.startsWith('GET /hello.html')), labels(http).join('\n'));
  assert.ok(labels(http).includes('200 OK (text/html)'), labels(http).join('\n'));
  assert.ok(labels(http).includes(`body ${Buffer.byteLength(page)} bytes`), labels(http).join('\n'));

  // tcpdump captured the same traffic at the same time: the same packets, byte for byte.
  const ours = readCaptureBytes(readFileSync(st.capture!.file)).records;
  const theirs = readCaptureBytes(readFileSync(dumpFile)).records;
  assert.equal(ours.length, st.packets);
  assert.equal(ours.length, theirs.length, 'same packet count as tcpdump');
  for (let i = 0; i < ours.length; i++) assert.deepEqual(Buffer.from(ours[i].data), Buffer.from(theirs[i].data), `packet ${i + 1} differs from tcpdump's`);
  rmSync(st.capture!.file, { force: true });
});
