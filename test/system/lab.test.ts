/**
 * `wirelens lab` as a student runs it: the command started as a child process on free ports (not
 * Mailpit's, which a machine may already use) with --no-open, then the lessons' own commands —
 * printf | nc into SMTP, a telnet-style POP3 session, openssl s_client with AUTH LOGIN on implicit
 * TLS, curl on POP3, HTTP and FTP (PASV), Python's poplib with STLS — each checked against the answer
 * Mailpit (or the lesson) gives. Then the app's lab inbox over the page's WebSocket, and after
 * Ctrl+C the saved capture analysed by Wirelens: one connection per session, with its ladder.
 * Needs nc (or ncat), openssl, curl, python3 and capture rights (root here): the test:all tier.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { WS_PATH, type LabView } from '../../api/engine-api';
import { collectConsoleErrors, launchChromium } from '../helpers/browser';
import { waitForOutput } from '../helpers/child-output';
import { ROOT } from '../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-lab-test-'));
const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const NC = spawnSync('sh', ['-c', 'command -v nc']).status === 0 ? 'nc' : 'ncat';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Eighteen free consecutive ports from a random base: seven servers and a passive range of ten. */
async function freePorts(): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 40000 + Math.floor(Math.random() * 20000);
    const ports = Array.from({ length: 18 }, (_, i) => base + i);
    let ok = true;
    for (const p of ports) if (!(await portFree(p))) ok = false;
    if (ok) return ports;
  }
  throw new Error('no 18 free consecutive ports found');
}

let lab: ChildProcess;
let banner = '';
/** What the lab wrote on stderr, for failure messages. */
let labErrors = '';
let P: {
  smtp: number;
  smtps: number;
  pop3: number;
  pop3s: number;
  http: number;
  ftp: number;
  app: number;
  pasv: [number, number];
};
const exits: Array<Promise<number | null>> = [];

function sh(
  command: string,
  input?: string,
  timeout = 20_000,
): { out: string; err: string; status: number | null } {
  const r = spawnSync('sh', ['-c', command], { input, encoding: 'utf8', timeout });
  return { out: r.stdout ?? '', err: r.stderr ?? '', status: r.status };
}

before(async () => {
  const ports = await freePorts();
  P = {
    smtp: ports[0],
    smtps: ports[1],
    pop3: ports[2],
    pop3s: ports[3],
    http: ports[4],
    ftp: ports[5],
    app: ports[6],
    pasv: [ports[8], ports[17]],
  };
  lab = spawn(
    process.execPath,
    [
      BIN,
      'lab',
      '--smtp',
      `${P.smtp}`,
      '--smtps',
      `${P.smtps}`,
      '--pop3',
      `${P.pop3}`,
      '--pop3s',
      `${P.pop3s}`,
      '--http',
      `${P.http}`,
      '--ftp',
      `${P.ftp}`,
      '--ftp-pasv',
      `${P.pasv[0]}-${P.pasv[1]}`,
      '--port',
      `${P.app}`,
      '--dir',
      dir,
      '--no-open',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  exits.push(new Promise((resolve) => lab.once('exit', (code) => resolve(code))));
  lab.stderr!.on('data', (d) => (labErrors += d));
  banner = await waitForOutput(lab, /Press Ctrl\+C to stop/);
});

after(() => {
  if (lab.exitCode === null) lab.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('the lab says what runs where: its ports, pari/ninja, the key log, the capture and the app URL', () => {
  assert.match(banner, new RegExp(`SMTP  ${P.smtp} \\(STARTTLS\\)  ${P.smtps} \\(TLS\\)`));
  assert.match(banner, new RegExp(`POP3  ${P.pop3} \\(STLS\\)  ${P.pop3s} \\(TLS\\)`));
  assert.match(banner, /user pari, password ninja/);
  assert.match(
    banner,
    new RegExp(
      `Capturing on lo \\(tcp and \\(port ${P.smtp} or .* or portrange ${P.pasv[0]}-${P.pasv[1]}\\)\\)`,
    ),
  );
  assert.match(banner, new RegExp(`Wirelens is serving the lab at http://127\\.0\\.0\\.1:${P.app}/\\?token=`));
});

test("the lessons' SMTP line through nc: 220 greeting, 250 to EHLO, MAIL, RCPT, 354 to DATA, 250 queued, 221", () => {
  const r = sh(
    `printf "EHLO sam\\r\\nMAIL FROM:<a@x>\\r\\nRCPT TO:<b@y>\\r\\nDATA\\r\\nSubject: hi\\r\\n\\r\\nhello\\r\\n.\\r\\nQUIT\\r\\n" | ${NC} 127.0.0.1 ${P.smtp}`,
  );
  const codes = r.out
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.slice(0, 4));
  assert.equal(codes[0], '220 ', r.out);
  assert.deepEqual(codes.filter((c) => c === '250 ').length, 4, r.out); // EHLO's last line, MAIL, RCPT, queued
  assert.ok(codes.includes('354 ') && codes[codes.length - 1] === '221 ', r.out);
  assert.match(r.out, /^250-AUTH PLAIN LOGIN\r$/m);
  assert.match(r.out, /^250-STARTTLS\r$/m);
});

test('a telnet-style POP3 session: user pari, pass ninja, stat, list, retr 1, quit — all +OK, the message as sent', () => {
  const r = sh(
    `printf "user pari\\r\\npass ninja\\r\\nstat\\r\\nlist\\r\\nretr 1\\r\\nquit\\r\\n" | ${NC} 127.0.0.1 ${P.pop3}`,
  );
  const lines = r.out.split('\r\n');
  assert.equal(lines[0], '+OK Wirelens lab POP3 server ready');
  assert.equal(lines[1], '+OK');
  assert.equal(lines[2], '+OK Logged in: 1 message');
  assert.match(lines[3], /^\+OK 1 \d+$/);
  assert.match(r.out, /\+OK \d+ octets\r\n(?:.*\r\n)*Subject: hi\r\n\r\nhello\r\n\.\r\n\+OK Logging out/);
});

test('openssl s_client on implicit TLS with AUTH LOGIN: 334 prompts, 235 for pari/ninja; 535 for a wrong password', () => {
  const ok = sh(
    `openssl s_client -connect 127.0.0.1:${P.smtps} -crlf -quiet 2>/dev/null`,
    'EHLO sam\nAUTH LOGIN\ncGFyaQ==\nbmluamE=\nQUIT\n',
  );
  assert.match(ok.out, /^220 /);
  assert.match(ok.out, /334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 Authentication successful\r\n221 /);
  const bad = sh(
    `openssl s_client -connect 127.0.0.1:${P.smtps} -crlf -quiet 2>/dev/null`,
    'EHLO sam\nAUTH LOGIN\ncGFyaQ==\nd3Jvbmc=\nQUIT\n',
  );
  assert.match(bad.out, /334 UGFzc3dvcmQ6\r\n535 /);
});

test('curl on POP3, HTTP (keep-alive, chunked, gzip, Basic auth) and FTP (PASV, anonymous and pari)', () => {
  assert.equal(sh(`curl -s pop3://pari:ninja@127.0.0.1:${P.pop3}/1`).out, 'Subject: hi\r\n\r\nhello\r\n');
  const base = `http://127.0.0.1:${P.http}`;
  const two = sh(`curl -sv ${base}/ ${base}/style.css -o /dev/null -o /dev/null 2>&1`).out;
  assert.equal((two.match(/^< HTTP\/1\.1 200 OK/gm) ?? []).length, 2);
  assert.match(two, /Re-using existing connection|Reusing existing/i);
  assert.match(
    sh(`curl -sv ${base}/chunked 2>&1`).out,
    /< Transfer-Encoding: chunked[\s\S]*A chunk of size 0 ends the answer/,
  );
  assert.match(sh(`curl -sv --compressed ${base}/gzip 2>&1`).out, /< Content-Encoding: gzip[\s\S]*Line 40: /);
  assert.equal(sh(`curl -s -o /dev/null -w "%{http_code}" ${base}/secret`).out, '401');
  assert.match(sh(`curl -s -u pari:ninja ${base}/secret`).out, /You are in/);
  const ftp = `ftp://127.0.0.1:${P.ftp}`;
  const pasv = sh(`curl -sv --disable-epsv ${ftp}/hello.txt 2>&1`).out;
  assert.match(pasv, /> PASV\r?\n[\s\S]*?< 227 PASV OK \(127,0,0,1,\d+,\d+\)/);
  assert.match(pasv, /\nhello\n/);
  assert.match(sh(`curl -s ${ftp}/`).out, /readme\.txt/);
  assert.match(sh(`curl -s ftp://pari:ninja@127.0.0.1:${P.ftp}/pari.txt`).out, /^Only pari sees this file/);
  const active = sh(`curl -sv -P - ${ftp}/hello.txt 2>&1`).out;
  assert.match(
    active,
    /> (?:EPRT|PORT) /,
    'active mode: the client names a port and the server connects to it',
  );
  assert.match(active, /\nhello\n/);
  assert.match(sh(`curl -sv ftp://pari:wrong@127.0.0.1:${P.ftp}/ 2>&1`).out, /< 530 /);
});

test("Python's poplib: CAPA, STLS, login, STAT, RETR inside TLS, and POP3S", () => {
  const script = `
import poplib, ssl
ctx = ssl._create_unverified_context()
p = poplib.POP3('127.0.0.1', ${P.pop3})
assert 'STLS' in p.capa()
p.stls(ctx)
p.user('pari'); p.pass_('ninja')
n, size = p.stat()
resp, lines, octets = p.retr(1)
print(n, resp.decode(), lines[0].decode())
p.quit()
q = poplib.POP3_SSL('127.0.0.1', ${P.pop3s}, context=ctx)
q.user('pari'); print(q.pass_('ninja').decode()); q.quit()
`;
  const r = spawnSync('python3', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^1 \+OK \d+ octets Subject: hi\n\+OK Logged in: 1 message\n$/);
});

test('the app: the lab inbox holds the message with its envelope, headers and raw source, and who retrieved it', async () => {
  const url = new URL(/Wirelens is serving the lab at (\S+)/.exec(banner)![1]);
  const ws = new WebSocket(`ws://${url.host}${WS_PATH}?token=${url.searchParams.get('token')}`, {
    origin: `http://${url.host}`,
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let next = 1;
  const call = <T>(method: string, ...params: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      const on = (data: WebSocket.RawData) => {
        const msg = JSON.parse(String(data));
        if (msg.id !== id) return;
        ws.off('message', on);
        if ('error' in msg) reject(new Error(msg.error));
        else resolve(msg.result as T);
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ id, method, params }));
    });
  const view = await call<LabView>('getLab');
  ws.close();
  assert.equal(view.capture.state, 'capturing');
  assert.deepEqual(view.login, { user: 'pari', password: 'ninja' });
  assert.deepEqual(
    view.services.map((s) => s.port).sort(),
    [P.smtp, P.smtps, P.pop3, P.pop3s, P.http, P.ftp].sort(),
  );
  assert.ok(view.exercises.some((e) => e.lines.some((l) => l.includes(`| nc 127.0.0.1 ${P.smtp}`))));
  assert.equal(view.messages.length, 1);
  const m = view.messages[0];
  assert.deepEqual(m.envelope, { mailFrom: 'a@x', rcptTo: ['b@y'] });
  assert.deepEqual(m.headers, [{ name: 'Subject', value: 'hi' }]);
  assert.equal(m.subject, 'hi');
  assert.equal(m.deliveredBy.address, '127.0.0.1');
  assert.equal(m.deliveredBy.tls, false);
  assert.ok(m.retrievedBy.length >= 3, 'nc, curl and poplib retrieved it');
  assert.ok(m.retrievedBy.some((r) => r.tls));
  const ws2 = new WebSocket(`ws://${url.host}${WS_PATH}?token=${url.searchParams.get('token')}`, {
    origin: `http://${url.host}`,
  });
  await new Promise((resolve, reject) => ws2.once('open', resolve).once('error', reject));
  const raw = await new Promise<{ raw: string; size: number; truncated: boolean }>((resolve) => {
    ws2.on('message', (d) => {
      const msg = JSON.parse(String(d));
      if (msg.id === 7) resolve(msg.result);
    });
    ws2.send(JSON.stringify({ id: 7, method: 'getLabMessage', params: [m.uid] }));
  });
  ws2.close();
  assert.deepEqual(raw, { uid: m.uid, raw: 'Subject: hi\r\n\r\nhello\r\n', size: 22, truncated: false });
});

test('in Chromium: the Lab button opens "Type this" with the lab\'s ports and the inbox with the message, its envelope and raw source', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectConsoleErrors(page);
    await page.goto(/Wirelens is serving the lab at (\S+)/.exec(banner)![1]);
    const button = page.getByTestId('lab-button');
    await button.waitFor();
    assert.equal(await button.textContent(), 'Lab · 1 message');
    await button.click();
    const typeThis = page.getByTestId('lab-type-this');
    assert.match((await typeThis.textContent()) ?? '', new RegExp(`\\| nc 127\\.0\\.0\\.1 ${P.smtp}`));
    assert.match((await typeThis.textContent()) ?? '', /CRLF/);
    assert.match((await page.getByTestId('lab-capture').textContent()) ?? '', /^Capturing on lo/);
    await page.getByTestId('lab-tab-inbox').click();
    await page.getByTestId('lab-message').first().click();
    const detail = (await page.getByTestId('lab-message-detail').textContent()) ?? '';
    assert.match(detail, /Envelope sender \(MAIL FROM\)a@x/);
    assert.match(detail, /Envelope recipients \(RCPT TO\)b@y/);
    assert.match(detail, /SubjecthiHeader|Subjecthi/);
    await page.getByTestId('lab-show-connection').first().click();
    const port = Number(/from 127\.0\.0\.1 port (\d+)/.exec(detail)![1]);
    await page.waitForFunction(
      (f) => (document.querySelector('[data-testid=filter-input]') as HTMLInputElement | null)?.value === f,
      `tcp.port == ${port}`,
    );
    await page.getByTestId('lab-show-raw').click();
    assert.equal(await page.getByTestId('lab-raw').textContent(), 'Subject: hi\r\n\r\nhello\r\n');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a second lab on a taken port stops at once and names the option to change', () => {
  const r = spawnSync(
    process.execPath,
    [BIN, 'lab', '--smtp', `${P.smtp}`, '--dir', dir, '--no-open', '--no-capture'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`port ${P.smtp} \\(SMTP\\) is already in use by another program .*--smtp N`),
  );
});

test('without capture rights (as nobody) the lab still runs and says in one sentence how to grant them', async () => {
  const ports = await freePorts();
  const home = mkdtempSync(join(tmpdir(), 'wirelens-lab-nobody-'));
  chownSync(home, 65534, 65534);
  const child = spawn(
    'runuser',
    [
      '-u',
      'nobody',
      '--',
      'env',
      `HOME=${home}`,
      `TMPDIR=${home}`,
      process.execPath,
      BIN,
      'lab',
      '--smtp',
      `${ports[0]}`,
      '--smtps',
      `${ports[1]}`,
      '--pop3',
      `${ports[2]}`,
      '--pop3s',
      `${ports[3]}`,
      '--http',
      `${ports[4]}`,
      '--ftp',
      `${ports[5]}`,
      '--port',
      `${ports[6]}`,
      '--ftp-pasv',
      `${ports[8]}-${ports[17]}`,
      '--dir',
      join(home, 'lab'),
      '--no-open',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const text = await waitForOutput(child, /Press Ctrl\+C to stop/);
    assert.match(
      text,
      /^Capture is off because this user may not capture packets: [^\n]*start the lab again\.$/m,
    );
    assert.match(text, /Press Ctrl\+C to stop\.\n/);
    const smtp = sh(`printf "EHLO sam\\r\\nQUIT\\r\\n" | ${NC} 127.0.0.1 ${ports[0]}`);
    assert.match(smtp.out, /^220 [\s\S]*\r\n221 /);
  } finally {
    const node = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim();
    if (node) process.kill(Number(node), 'SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
});

test('Ctrl+C stops the lab and keeps the capture; Wirelens finds every session in it, and the key log has the TLS secrets', async () => {
  let text = '';
  lab.stdout!.on('data', (d) => (text += d));
  lab.kill('SIGINT');
  assert.equal(await exits[0], 0, labErrors);
  const saved = /The capture is saved: (\S+\.pcapng)/.exec(text)?.[1];
  assert.ok(text.includes(`wirelens serve ${saved} --keylog ${join(dir, 'tls-keys.log')}\n`), text);
  assert.ok(saved && existsSync(saved), text);
  const r = spawnSync(process.execPath, [BIN, 'analyze', '--json', saved], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    connections: Array<{
      server: string;
      protocol: string;
      handshake: { complete: boolean };
      ladder: Array<{ from: string; label: string }>;
    }>;
  };
  const to = (port: number) => report.connections.filter((c) => c.server === `127.0.0.1:${port}`);
  const labels = (port: number) => to(port).flatMap((c) => c.ladder.map((e) => e.label));
  const seen = report.connections.map((c) => `${c.server} ${c.protocol}`).join(', ');
  assert.ok(
    labels(P.smtp).includes('EHLO sam') && labels(P.smtp).includes('MAIL FROM:<a@x>'),
    `the nc SMTP session; seen: ${seen}`,
  );
  assert.ok(
    to(P.smtp).every((c) => c.protocol === 'smtp' && c.handshake.complete),
    seen,
  );
  assert.ok(
    labels(P.pop3).includes('USER pari') || labels(P.pop3).includes('user pari'),
    `the POP3 sessions; seen: ${seen}`,
  );
  assert.ok(to(P.pop3).length >= 3, `nc, curl and poplib (STLS) sessions; seen: ${seen}`);
  assert.ok(
    to(P.smtps).length >= 2 && to(P.smtps).every((c) => c.protocol === 'tls'),
    `the two openssl sessions on implicit TLS; seen: ${seen}`,
  );
  assert.ok(
    labels(P.smtps).some((l) => /ClientHello/.test(l)),
    seen,
  );
  assert.ok(
    to(P.http).some((c) => c.protocol === 'http' && c.ladder.filter((e) => e.from === 'client').length >= 2),
    `two requests on one kept-alive connection; seen: ${seen}`,
  );
  assert.ok(
    labels(P.ftp).some((l) => l.startsWith('PASV')),
    `the FTP session with PASV; seen: ${seen}`,
  );
  assert.ok(
    report.connections.some((c) => c.protocol === 'ftp-data'),
    `its data connection; seen: ${seen}`,
  );
  // With the lab's key log, the implicit-TLS SMTP sessions decrypt: AUTH LOGIN inside TLS, and its answers.
  const keyLogPath = join(dir, 'tls-keys.log');
  const d = spawnSync(process.execPath, [BIN, 'analyze', '--json', '--keylog', keyLogPath, saved], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  assert.equal(d.status, 0, d.stderr);
  const decrypted = (
    JSON.parse(d.stdout) as {
      connections: Array<{
        server: string;
        protocol: string;
        ladder: Array<{ label: string; insideTls?: boolean }>;
      }>;
    }
  ).connections.filter((c) => c.server === `127.0.0.1:${P.smtps}`);
  assert.ok(
    decrypted.length >= 2 && decrypted.every((c) => c.protocol === 'smtp'),
    'decrypted, the sessions are SMTP',
  );
  const inside = decrypted.flatMap((c) => c.ladder.filter((e) => e.insideTls).map((e) => e.label));
  assert.ok(
    inside.includes('AUTH LOGIN') &&
      inside.some((l) => l.startsWith('235')) &&
      inside.some((l) => l.startsWith('535')),
    inside.join(' | '),
  );
  const keys = readFileSync(join(dir, 'tls-keys.log'), 'latin1').trim().split('\n');
  // openssl twice on SMTPS, poplib's STLS and its POP3S: TLS 1.3, five secrets each.
  assert.ok(keys.length >= 20, `${keys.length} key log lines`);
  assert.ok(keys.every((l) => /^[A-Z0-9_]+ [0-9a-f]{64} [0-9a-f]+$/.test(l)));
});
