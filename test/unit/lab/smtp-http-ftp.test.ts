/**
 * The lab's SMTP (smtp-server), HTTP and FTP (ftp-srv) servers on real loopback sockets, with Node
 * alone as the client: SMTP answers lines sent all at once before its greeting (the lessons'
 * `printf | nc`), accepts pari/ninja and refuses anything else with 535, keeps the envelope and the
 * message, and hands the secrets of STARTTLS and implicit-TLS sessions to the key log; HTTP keeps
 * connections alive and sends chunked, gzip and Basic-auth answers; FTP lists and sends files in
 * passive mode and refuses uploads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, Agent } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createFtpLabServer } from '../../../electron/lab/ftp-lab';
import { createHttpLabServer } from '../../../electron/lab/http-lab';
import { KeyLog } from '../../../electron/lab/key-log';
import { LabMailbox } from '../../../electron/lab/lab-mailbox';
import { makeSelfSignedCertificate } from '../../../electron/lab/self-signed-cert';
import { createSmtpServers } from '../../../electron/lab/smtp-lab';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-lab-unit-'));
const cert = makeSelfSignedCertificate();
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers) await c();
  for (const s of clientSockets) s.destroy();
  rmSync(dir, { recursive: true, force: true });
});
const checkLogin = (u: string, p: string) => u === 'pari' && p === 'ninja';
/** Client sockets a server may leave open (a data connection of a refused upload): destroyed at the end. */
const clientSockets: net.Socket[] = [];

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/** Sends `input` at once and reads everything until the server closes. */
function converse(socket: net.Socket | tls.TLSSocket, input: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
    socket.write(input);
  });
}

async function smtp() {
  const mailbox = new LabMailbox();
  const keyLog = new KeyLog(join(dir, `keys-${closers.length}.log`));
  const servers = createSmtpServers({ mailbox, checkLogin, tls: cert, keyLog });
  const plain = await listen((servers.plain as unknown as { server: net.Server }).server);
  const secure = await listen((servers.secure as unknown as { server: net.Server }).server);
  closers.push(() => new Promise((r) => servers.plain.close(() => servers.secure.close(() => r()))));
  return { mailbox, keyLog, plain, secure };
}

test('SMTP: every line sent before the greeting is answered in order (no 421 "talk too soon"); the message and its envelope are kept', async () => {
  const { mailbox, plain } = await smtp();
  const out = await converse(
    net.connect(plain, '127.0.0.1'),
    'EHLO sam\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nRCPT TO:<c@z>\r\nDATA\r\nSubject: hi\r\n\r\nhello\r\n..dot\r\n.\r\nQUIT\r\n',
  );
  const codes = out
    .split('\r\n')
    .filter((l) => /^\d{3} /.test(l))
    .map((l) => l.slice(0, 3));
  assert.deepEqual(codes, ['220', '250', '250', '250', '250', '354', '250', '221'], out);
  assert.equal(mailbox.list().length, 1);
  const m = mailbox.list()[0];
  assert.deepEqual(m.envelope, { mailFrom: 'a@x', rcptTo: ['b@y', 'c@z'] });
  assert.equal(m.raw.toString(), 'Subject: hi\r\n\r\nhello\r\n.dot\r\n');
  assert.equal(m.deliveredBy.address, '127.0.0.1');
  assert.equal(m.deliveredBy.tls, false);
  assert.equal(m.deliveredBy.user, null);
});

test('SMTP AUTH: PLAIN and LOGIN accept pari/ninja (235), anything else gets 535; the user is noted on the message', async () => {
  const { mailbox, plain } = await smtp();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const good = await converse(
    net.connect(plain, '127.0.0.1'),
    `EHLO sam\r\nAUTH LOGIN\r\n${b64('pari')}\r\n${b64('ninja')}\r\nMAIL FROM:<p@x>\r\nRCPT TO:<q@y>\r\nDATA\r\nSubject: s\r\n\r\nb\r\n.\r\nQUIT\r\n`,
  );
  assert.match(good, /334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 /);
  assert.equal(mailbox.list()[0].deliveredBy.user, 'pari');
  const bad = await converse(
    net.connect(plain, '127.0.0.1'),
    `EHLO sam\r\nAUTH PLAIN ${b64('\0pari\0wrong')}\r\nQUIT\r\n`,
  );
  assert.match(bad, /\r\n535 /);
  const plainOk = await converse(
    net.connect(plain, '127.0.0.1'),
    `EHLO sam\r\nAUTH PLAIN ${b64('\0pari\0ninja')}\r\nQUIT\r\n`,
  );
  assert.match(plainOk, /\r\n235 /);
});

test("SMTP over TLS: STARTTLS and the implicit-TLS port work, and each session's secrets reach the key log", async () => {
  const { keyLog, plain, secure, mailbox } = await smtp();
  // STARTTLS by hand: the clear-text part, then TLS over the same socket.
  const raw = net.connect(plain, '127.0.0.1');
  let text = '';
  await new Promise<void>((resolve) => {
    raw.setEncoding('latin1');
    const on = (d: string) => {
      text += d;
      if (/220 [^\r\n]*ready[^\r\n]*\r\n|^220 .*\r\n[\s\S]*\r\n220 /i.test(text)) {
        raw.off('data', on);
        resolve();
      }
    };
    raw.on('data', on);
    raw.write('EHLO sam\r\nSTARTTLS\r\n');
  });
  assert.match(text, /250-STARTTLS/);
  const upgraded = tls.connect({ socket: raw, rejectUnauthorized: false });
  await new Promise((r) => upgraded.once('secureConnect', r));
  const inside = await converse(
    upgraded,
    'EHLO sam\r\nMAIL FROM:<t@x>\r\nRCPT TO:<u@y>\r\nDATA\r\nSubject: tls\r\n\r\nx\r\n.\r\nQUIT\r\n',
  );
  assert.match(inside, /^250-/);
  assert.match(inside, /\r\n221 /);
  assert.equal(mailbox.list()[0].deliveredBy.tls, true);
  const afterStarttls = keyLog.count;
  assert.ok(afterStarttls >= 1, 'STARTTLS secrets logged');
  const implicit = tls.connect({ port: secure, host: '127.0.0.1', rejectUnauthorized: false });
  const out = await converse(implicit, 'EHLO sam\r\nQUIT\r\n');
  assert.match(out, /^220 /);
  assert.ok(keyLog.count > afterStarttls, 'implicit-TLS secrets logged');
  const lines = readFileSync(keyLog.path, 'latin1').trim().split('\n');
  assert.equal(lines.length, keyLog.count);
  for (const l of lines) assert.match(l, /^[A-Z0-9_]+ [0-9a-f]{64} [0-9a-f]+$/);
});

test('HTTP: two requests on one kept-alive connection, a chunked answer, a gzip answer only when accepted, Basic auth pari/ninja', async () => {
  const server = createHttpLabServer({ checkLogin });
  const port = await listen(server);
  closers.push(() => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
      socket: net.Socket;
    }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
            socket: req.socket!,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  const home = await get('/');
  const css = await get('/style.css');
  assert.equal(home.status, 200);
  assert.equal(css.headers['content-type'], 'text/css');
  assert.equal(home.socket, css.socket, 'the same connection');
  const chunked = await get('/chunked');
  assert.equal(chunked.headers['transfer-encoding'], 'chunked');
  assert.match(
    chunked.body.toString(),
    /^This answer comes in pieces\.\n[\s\S]*A chunk of size 0 ends the answer\.\n$/,
  );
  const gz = await get('/gzip', { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(gz.body).toString(), /^Line 1: [\s\S]*Line 40: /);
  const plainGz = await get('/gzip');
  assert.equal(plainGz.headers['content-encoding'], undefined);
  assert.equal((await get('/secret')).status, 401);
  assert.equal(
    (await get('/secret', { Authorization: `Basic ${Buffer.from('pari:wrong').toString('base64')}` })).status,
    401,
  );
  const ok = await get('/secret', { Authorization: `Basic ${Buffer.from('pari:ninja').toString('base64')}` });
  assert.equal(ok.status, 200);
  assert.equal((await get('/nothing')).status, 404);
  agent.destroy();
});

/** An FTP control connection: send a line, read the reply (up to the final "NNN " line). */
function ftpClient(port: number) {
  const s = net.connect(port, '127.0.0.1');
  let buf = '';
  const waiters: Array<() => void> = [];
  s.setEncoding('latin1');
  s.on('data', (d: string) => {
    buf += d;
    for (const w of waiters.splice(0)) w();
  });
  const reply = async (): Promise<string> => {
    for (;;) {
      const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buf);
      if (m) {
        const end = m.index + m[0].length;
        const out = buf.slice(0, end);
        buf = buf.slice(end);
        return out.replace(/^\r\n/, '');
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { s, reply, cmd: async (line: string) => (s.write(`${line}\r\n`), reply()) };
}

function readAll(port: number): Promise<string> {
  return new Promise((resolve) => {
    const d = net.connect(port, '127.0.0.1');
    clientSockets.push(d);
    let text = '';
    d.setEncoding('latin1');
    d.on('data', (x: string) => (text += x));
    d.on('close', () => resolve(text));
  });
}

test('FTP: anonymous lists pub/ in passive mode, pari/ninja reads its own file, a wrong password gets 530, uploads are refused', async () => {
  const min = 50000 + Math.floor(Math.random() * 10000);
  const server = createFtpLabServer({ dir, port: 0, passive: { min, max: min + 20 }, checkLogin });
  const srv = (server as unknown as { server: net.Server }).server;
  const port = await listen(srv);
  closers.push(async () => void (await server.close()));
  const c = ftpClient(port);
  assert.match(await c.reply(), /^220-Wirelens lab FTP server/);
  assert.match(await c.cmd('USER anonymous'), /^230 /, 'anonymous needs no password here');
  const pasv = await c.cmd('PASV');
  const m = /227 .*\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(pasv);
  assert.ok(m, pasv);
  const listing = readAll(Number(m[5]) * 256 + Number(m[6]));
  assert.match(await c.cmd('LIST'), /^150 /);
  assert.match(await c.reply(), /^226 /);
  const names = await listing;
  assert.match(names, /readme\.txt/);
  assert.doesNotMatch(names, /pari\.txt/);
  const p2 = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(await c.cmd('PASV'))!;
  void readAll(Number(p2[5]) * 256 + Number(p2[6]));
  assert.match(await c.cmd('STOR up.txt'), /^550 This lab server is read-only/);
  await c.cmd('QUIT');
  const p = ftpClient(port);
  await p.reply();
  await p.cmd('USER pari');
  assert.match(await p.cmd('PASS wrong'), /^530 Login incorrect/);
  await p.cmd('USER pari');
  assert.match(await p.cmd('PASS ninja'), /^230 /);
  const p3 = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(await p.cmd('PASV'))!;
  const file = readAll(Number(p3[5]) * 256 + Number(p3[6]));
  assert.match(await p.cmd('RETR pari.txt'), /^150 /);
  assert.match(await p.reply(), /^226 /);
  assert.match(await file, /^Only pari sees this file/);
  await p.cmd('QUIT');
});
