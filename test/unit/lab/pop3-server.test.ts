/**
 * The lab's POP3 server on real loopback sockets: an RFC 1939 session over messages put in the
 * mailbox (USER/PASS, STAT, LIST, UIDL, RETR with byte-stuffing, TOP, DELE, RSET, NOOP, QUIT and
 * the UPDATE state), CAPA and STLS (the TLS session's secrets reach the key log), implicit TLS, and
 * its limits: wrong passwords, long lines, too many connections, commands sent after STLS in clear.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { after, test } from 'node:test';
import { KeyLog } from '../../../electron/lab/key-log';
import { LabMailbox } from '../../../electron/lab/lab-mailbox';
import { createPop3Servers, type Pop3Servers } from '../../../electron/lab/pop3-server';
import { makeSelfSignedCertificate } from '../../../electron/lab/self-signed-cert';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-pop3-'));
const cert = makeSelfSignedCertificate();
const running: Pop3Servers[] = [];
after(async () => {
  for (const s of running) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const checkLogin = (u: string, p: string) => u === 'pari' && p === 'ninja';
const client = { address: '127.0.0.1', port: 40000, tls: false, user: null };

async function start(mailbox: LabMailbox, extra: { maxConnections?: number; maxLine?: number } = {}) {
  const servers = createPop3Servers({ mailbox, checkLogin, tls: cert, ...extra });
  running.push(servers);
  await new Promise<void>((r) => servers.plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => servers.secure!.listen(0, '127.0.0.1', r));
  return {
    servers,
    port: (servers.plain.address() as net.AddressInfo).port,
    tlsPort: (servers.secure!.address() as net.AddressInfo).port,
  };
}

/** A client that sends one command at a time and reads its whole reply (one line, or multi-line up to "."). */
class Client {
  private buf = '';
  private waiters: Array<() => void> = [];
  closed = false;
  constructor(public socket: net.Socket | tls.TLSSocket) {
    this.listen(socket);
  }
  listen(socket: net.Socket | tls.TLSSocket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  async read(multi = false): Promise<string> {
    for (;;) {
      const end =
        multi && this.buf.startsWith('+OK') ? this.buf.indexOf('\r\n.\r\n') : this.buf.indexOf('\r\n');
      if (end >= 0) {
        const cut = end + (multi && this.buf.startsWith('+OK') ? 5 : 2);
        const out = this.buf.slice(0, cut);
        this.buf = this.buf.slice(cut);
        return out;
      }
      if (this.closed) {
        const rest = this.buf;
        this.buf = '';
        return rest;
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async cmd(line: string, multi = false): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.read(multi);
  }
}

async function connect(port: number): Promise<Client> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  const c = new Client(s);
  assert.match(await c.read(), /^\+OK Wirelens lab POP3 server ready\r\n$/);
  return c;
}

function mailboxWith(...bodies: string[]): LabMailbox {
  const m = new LabMailbox();
  for (const b of bodies) m.add({ mailFrom: 'a@x', rcptTo: ['b@y'] }, Buffer.from(b), client);
  return m;
}

test('a whole RFC 1939 session: login, STAT, LIST, UIDL, RETR (byte-stuffed), TOP, DELE, RSET, NOOP, QUIT removes what was deleted', async () => {
  const one = 'Subject: one\r\nFrom: a@x\r\n\r\nfirst line\r\n.starts with a dot\r\nlast\r\n';
  const two = 'Subject: two\n\nunix line ends\n';
  const mailbox = mailboxWith(one, two);
  const { port } = await start(mailbox);
  const c = await connect(port);
  assert.equal(await c.cmd('STAT'), '-ERR Log in first (USER, then PASS)\r\n');
  assert.equal(await c.cmd('user pari'), '+OK\r\n');
  assert.equal(await c.cmd('pass ninja'), '+OK Logged in: 2 messages\r\n');
  const twoCrlf = 'Subject: two\r\n\r\nunix line ends\r\n';
  assert.equal(await c.cmd('stat'), `+OK 2 ${one.length + twoCrlf.length}\r\n`);
  assert.equal(
    await c.cmd('list', true),
    `+OK 2 messages\r\n1 ${one.length}\r\n2 ${twoCrlf.length}\r\n.\r\n`,
  );
  assert.equal(await c.cmd('list 2'), `+OK 2 ${twoCrlf.length}\r\n`);
  assert.equal(await c.cmd('list 3'), '-ERR No message 3 (there are 2)\r\n');
  assert.equal(await c.cmd('list x'), '-ERR A message number is a number from 1\r\n');
  const uidl = await c.cmd('uidl', true);
  const uids = mailbox.list().map((m) => m.uid);
  assert.equal(uidl, `+OK\r\n1 ${uids[0]}\r\n2 ${uids[1]}\r\n.\r\n`);
  assert.equal(
    await c.cmd('retr 1', true),
    `+OK ${one.length} octets\r\n${one.replace('\r\n.starts', '\r\n..starts')}.\r\n`,
  );
  assert.equal(await c.cmd('top 1 1', true), '+OK\r\nSubject: one\r\nFrom: a@x\r\n\r\nfirst line\r\n.\r\n');
  assert.equal(await c.cmd('top 1 0', true), '+OK\r\nSubject: one\r\nFrom: a@x\r\n\r\n.\r\n');
  assert.equal(await c.cmd('dele 1'), '+OK Message 1 marked to be deleted\r\n');
  assert.equal(await c.cmd('retr 1'), '-ERR Message 1 is marked to be deleted\r\n');
  assert.equal(await c.cmd('stat'), `+OK 1 ${twoCrlf.length}\r\n`);
  assert.equal(await c.cmd('rset'), '+OK 2 messages, none marked to be deleted\r\n');
  assert.equal(await c.cmd('stat'), `+OK 2 ${one.length + twoCrlf.length}\r\n`);
  assert.equal(await c.cmd('noop'), '+OK\r\n');
  assert.equal(await c.cmd('dele 2'), '+OK Message 2 marked to be deleted\r\n');
  assert.equal(await c.cmd('bogus'), '-ERR Unknown command\r\n');
  assert.equal(await c.cmd('quit'), '+OK Logging out: 1 deleted, 1 left\r\n');
  assert.deepEqual(
    mailbox.list().map((m) => m.uid),
    [uids[0]],
  );
  assert.equal(mailbox.list()[0].retrievedBy.length, 3, 'RETR and both TOPs noted on the message');
});

test('a wrong password is refused; the third failure closes the connection', async () => {
  const { port } = await start(mailboxWith('Subject: a\r\n\r\nx\r\n'));
  const c = await connect(port);
  assert.equal(await c.cmd('PASS ninja'), '-ERR Give USER first\r\n');
  for (let i = 1; i <= 3; i++) {
    assert.equal(await c.cmd('USER pari'), '+OK\r\n');
    const r = await c.cmd('PASS wrong');
    assert.match(r, /^-ERR \[AUTH\] Authentication failed/);
  }
  await c.read();
  assert.ok(c.closed);
});

test('CAPA lists STLS; after STLS the session runs over TLS, its secrets go to the key log, and clear-text commands sent after STLS are dropped', async () => {
  const { servers, port } = await start(mailboxWith('Subject: a\r\n\r\nx\r\n'));
  const log = new KeyLog(join(dir, 'keys.txt'));
  log.attach(servers.secure!);
  const c = await connect(port);
  assert.equal(
    await c.cmd('CAPA', true),
    '+OK Capability list follows\r\nUSER\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nSTLS\r\nIMPLEMENTATION Wirelens-lab\r\n.\r\n',
  );
  // An injected command in the same segment as STLS must not be answered inside TLS.
  assert.equal(await c.cmd('STLS\r\nUSER injected'), '+OK Begin TLS negotiation now\r\n');
  c.socket.removeAllListeners('data');
  const secured = tls.connect({ socket: c.socket as net.Socket, rejectUnauthorized: false });
  await new Promise((r) => secured.once('secureConnect', r));
  const s = new Client(secured);
  assert.equal(await s.cmd('PASS ninja'), '-ERR Give USER first\r\n', 'the injected USER was not kept');
  assert.doesNotMatch(await s.cmd('CAPA', true), /STLS/);
  assert.equal(await s.cmd('USER pari'), '+OK\r\n');
  assert.equal(await s.cmd('PASS ninja'), '+OK Logged in: 1 message\r\n');
  assert.equal(await s.cmd('STLS'), '-ERR Already logged in\r\n');
  assert.match(await s.cmd('QUIT'), /^\+OK Logging out/);
  const keys = readFileSync(log.path, 'latin1');
  assert.match(
    keys,
    /^(CLIENT_RANDOM|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_HANDSHAKE_TRAFFIC_SECRET|EXPORTER_SECRET|SERVER_TRAFFIC_SECRET_0|CLIENT_TRAFFIC_SECRET_0) [0-9a-f]{64} [0-9a-f]+$/m,
  );
  assert.ok(log.count >= 1);
});

test('implicit TLS: the greeting comes inside TLS and the session works', async () => {
  const { tlsPort } = await start(mailboxWith('Subject: a\r\n\r\nx\r\n'));
  const secured = tls.connect({ port: tlsPort, host: '127.0.0.1', rejectUnauthorized: false });
  const c = new Client(secured);
  assert.equal(await c.read(), '+OK Wirelens lab POP3 server ready\r\n');
  assert.doesNotMatch(await c.cmd('CAPA', true), /STLS/);
  assert.equal(await c.cmd('USER pari'), '+OK\r\n');
  assert.equal(await c.cmd('PASS ninja'), '+OK Logged in: 1 message\r\n');
  assert.match(await c.cmd('RETR 1', true), /^\+OK 17 octets\r\nSubject: a\r\n\r\nx\r\n\.\r\n$/);
  await c.cmd('QUIT');
});

test('limits: a line longer than the bound closes the connection; connections beyond the bound are told to come back later', async () => {
  const { port } = await start(new LabMailbox(), { maxConnections: 2, maxLine: 64 });
  const c = await connect(port);
  assert.equal(await c.cmd('USER ' + 'x'.repeat(200)), '-ERR Line too long; closing\r\n');
  const a = await connect(port);
  const b = await connect(port);
  const s = net.connect(port, '127.0.0.1');
  const third = new Client(s);
  assert.match(await third.read(), /^-ERR \[SYS\/TEMP\] Too many connections \(2\)/);
  a.socket.destroy();
  b.socket.destroy();
});
