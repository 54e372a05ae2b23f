/**
 * The lab's smaller parts: ports from the command line (defaults are Mailpit's, each option checked,
 * clashes refused), the capture filter, the busy-port message naming the option, the certificate
 * (valid X.509 for localhost and 127.0.0.1, kept, made again when damaged), the mailbox's bounds,
 * header fields and raw source as the inbox shows them, the key log's filter and the one sentence
 * on capture rights.
 */
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseArgs, UsageError } from '../../../electron/cli/args';
import { captureRightsSentence } from '../../../electron/lab/lab-capture';
import { LAB_VALUE_KEYS, labPortsFrom } from '../../../electron/lab/lab-command';
import { KeyLog } from '../../../electron/lab/key-log';
import { LabMailbox } from '../../../electron/lab/lab-mailbox';
import { DEFAULT_LAB_PORTS, labCaptureFilter } from '../../../electron/lab/lab-ports';
import { portError } from '../../../electron/lab/lab-servers';
import { headerFields, MAX_RAW_SHOWN, rawSource, summarize } from '../../../electron/lab/message-summary';
import { labCertificate, makeSelfSignedCertificate } from '../../../electron/lab/self-signed-cert';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-lab-parts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ports = (...argv: string[]) => labPortsFrom(parseArgs(argv, new Set(LAB_VALUE_KEYS)));
const client = { address: '127.0.0.1', port: 5000, tls: false, user: null };

test("ports: Mailpit's by default; each option moves one; bad values and clashes are refused with the option's name", () => {
  assert.deepEqual(ports(), DEFAULT_LAB_PORTS);
  assert.deepEqual(DEFAULT_LAB_PORTS, {
    smtp: 1025,
    smtps: 1465,
    pop3: 1110,
    pop3s: 1995,
    http: 8080,
    ftp: 2121,
    ftpPassive: { min: 21000, max: 21009 },
    app: 8025,
  });
  const p = ports(
    '--smtp',
    '2525',
    '--pop3=2110',
    '--http',
    '9090',
    '--ftp',
    '2222',
    '--port',
    '9000',
    '--ftp-pasv',
    '30000-30004',
  );
  assert.deepEqual(
    [p.smtp, p.pop3, p.http, p.ftp, p.app, p.ftpPassive.min, p.ftpPassive.max],
    [2525, 2110, 9090, 2222, 9000, 30000, 30004],
  );
  assert.throws(
    () => ports('--smtp', 'abc'),
    (e: Error) => e instanceof UsageError && /--smtp: 'abc' is not a port number/.test(e.message),
  );
  assert.throws(() => ports('--http', '70000'), /--http: '70000' is not a port number/);
  assert.throws(() => ports('--pop3', '1025'), /--smtp and --pop3 both name port 1025/);
  assert.throws(() => ports('--port', '21005'), /--port 21005 is inside the FTP passive range 21000-21009/);
  assert.throws(() => ports('--ftp-pasv', '9-8'), /--ftp-pasv: '9-8' is not a port range/);
});

test("the capture filter holds every lab port and the passive range, never the app's page", () => {
  const f = labCaptureFilter(DEFAULT_LAB_PORTS);
  assert.equal(
    f,
    'tcp and (port 1025 or port 1465 or port 1110 or port 1995 or port 8080 or port 2121 or portrange 21000-21009)',
  );
  assert.doesNotMatch(f, /8025/);
});

test('a busy or forbidden port says which option moves it', () => {
  const busy = portError(
    Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }),
    1025,
    'SMTP',
    '--smtp',
  );
  assert.match(
    busy.message,
    /^port 1025 \(SMTP\) is already in use by another program .*: stop it, or give the lab another port with --smtp N$/,
  );
  const denied = portError(
    Object.assign(new Error('listen EACCES'), { code: 'EACCES' }),
    25,
    'SMTP',
    '--smtp',
  );
  assert.match(denied.message, /needs administrator rights here: choose a port above 1023 with --smtp N/);
});

test('the certificate: X.509 signed by its own key, for localhost, 127.0.0.1 and mail.lab.local; kept between runs, made again when damaged', () => {
  const c = makeSelfSignedCertificate();
  const x = new X509Certificate(c.cert);
  assert.ok(x.verify(x.publicKey));
  assert.equal(x.subject, 'CN=Wirelens lab');
  assert.equal(
    x.subjectAltName,
    'DNS:localhost, DNS:mail.lab.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
  );
  assert.ok(x.checkHost('localhost') && x.checkIP('127.0.0.1'));
  assert.ok(new Date(x.validTo).getTime() - Date.now() > 800 * 86_400_000);
  const first = labCertificate(dir);
  assert.equal(first.made, true);
  const again = labCertificate(dir);
  assert.equal(again.made, false);
  assert.equal(again.cert, first.cert);
  writeFileSync(join(dir, 'cert.pem'), '-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n');
  const remade = labCertificate(dir);
  assert.equal(remade.made, true);
  assert.notEqual(remade.cert, first.cert);
  assert.equal(new X509Certificate(readFileSync(join(dir, 'cert.pem'))).subject, 'CN=Wirelens lab');
});

test('the mailbox: line ends made CRLF, the oldest dropped beyond the bounds, deletions and retrievals noted', () => {
  const box = new LabMailbox({ maxMessages: 3, maxBytes: 100 });
  const changes: number[] = [];
  box.onChange(() => changes.push(box.list().length));
  for (let i = 1; i <= 4; i++)
    box.add({ mailFrom: 'a@x', rcptTo: ['b@y'] }, Buffer.from(`Subject: ${i}\n\nbody\n`), client);
  assert.deepEqual(
    box.list().map((m) => m.raw.toString()),
    ['Subject: 2\r\n\r\nbody\r\n', 'Subject: 3\r\n\r\nbody\r\n', 'Subject: 4\r\n\r\nbody\r\n'],
  );
  box.add({ mailFrom: 'a@x', rcptTo: ['b@y'] }, Buffer.alloc(90, 0x61), client);
  assert.equal(box.list().length, 1, 'bytes bound: the older ones went');
  const uid = box.list()[0].uid;
  box.noteRetrieval(uid, { address: '127.0.0.1', port: 6000, tls: true });
  assert.equal(box.get(uid)!.retrievedBy[0].port, 6000);
  assert.ok(box.remove(uid));
  assert.equal(box.list().length, 0);
  assert.ok(changes.length >= 6);
});

test('header fields as the inbox shows them: unfolded, in order, bounded; the raw source cut at 1 MiB', async () => {
  const raw = Buffer.from(
    'Subject: a\r\n long subject\r\nFrom: "Sam" <a@x>\r\nX-Bad line without colon\r\nTo: b@y\r\n\r\nNot: a header\r\n',
  );
  assert.deepEqual(headerFields(raw), [
    { name: 'Subject', value: 'a long subject' },
    { name: 'From', value: '"Sam" <a@x>' },
    { name: 'To', value: 'b@y' },
  ]);
  const many = Buffer.from(Array.from({ length: 300 }, (_, i) => `X-${i}: v\r\n`).join('') + '\r\nbody');
  assert.equal(headerFields(many).length, 200);
  const box = new LabMailbox();
  const m = box.add(
    { mailFrom: '', rcptTo: ['b@y'] },
    Buffer.concat([raw, Buffer.alloc(MAX_RAW_SHOWN, 0x62)]),
    client,
  );
  const s = await summarize(m);
  assert.deepEqual(
    [s.subject, s.from, s.to, s.envelope.mailFrom],
    ['a long subject', '"Sam" <a@x>', 'b@y', ''],
  );
  const r = rawSource(m);
  assert.equal(r.truncated, true);
  assert.equal(r.raw.length, MAX_RAW_SHOWN);
  assert.equal(r.size, m.raw.length);
});

test("attachments as the project's MIME parsing finds them: name, type, decoded size and sha256", async () => {
  const content = Buffer.from('hello attachment\n');
  const raw = [
    'Subject: with a file',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'see the file',
    '--b1',
    'Content-Type: text/plain; name="notes.txt"',
    'Content-Disposition: attachment; filename="notes.txt"',
    'Content-Transfer-Encoding: base64',
    '',
    content.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
  const box = new LabMailbox();
  const s = await summarize(box.add({ mailFrom: 'a@x', rcptTo: ['b@y'] }, Buffer.from(raw), client));
  assert.equal(s.mimeProblem, null);
  assert.deepEqual(s.attachments, [
    {
      filename: 'notes.txt',
      mimeType: 'text/plain',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    },
  ]);
  const plain = await summarize(
    box.add({ mailFrom: 'a@x', rcptTo: ['b@y'] }, Buffer.from('Subject: hi\r\n\r\nhello\r\n'), client),
  );
  assert.deepEqual(plain.attachments, []);
});

test('the key log keeps only NSS key log lines, each as given', () => {
  const log = new KeyLog(join(dir, 'keys.log'));
  const line = `CLIENT_RANDOM ${'ab'.repeat(32)} ${'cd'.repeat(48)}\n`;
  log.write(Buffer.from(line));
  log.write(Buffer.from('not a key line\n'));
  log.write(Buffer.from(`EXPORTER_SECRET ${'ab'.repeat(32)} ${'ef'.repeat(48)}`)); // no newline: not what the event gives
  assert.equal(readFileSync(log.path, 'latin1'), line);
  assert.equal(log.count, 1);
});

test('capture rights in one sentence per system, naming what to run', () => {
  for (const [platform, re] of [
    ['linux', /sudo setcap cap_net_raw,cap_net_admin=eip \/usr\/bin\/node/],
    ['darwin', /ChmodBPF/],
    ['win32', /Npcap/],
  ] as const) {
    const s = captureRightsSentence(platform, '/usr/bin/node', false);
    assert.match(s, re);
    assert.equal(s.split(/\.\s/).length, 1, `one sentence: ${s}`);
  }
  assert.match(captureRightsSentence('linux', '/usr/bin/node', true), /wireshark group/);
});
