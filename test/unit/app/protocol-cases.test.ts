/**
 * Protocol cases the fixtures do not all show, as byte streams written from the RFCs' examples and
 * fed through the protocol selector in capture order: SMTP pipelining, AUTH PLAIN and CRAM-MD5,
 * BDAT, STARTTLS; POP3 APOP and STLS; FTP AUTH TLS and EPSV; HTTP chunked with trailers, HEAD, 304,
 * 100-continue, CONNECT and WebSocket upgrade, Basic authorization.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProtocolSelector } from '../../../dissectors/app/selector';
import type { AppContext, AppResult, DataConnectionExpectation } from '../../../dissectors/app/types';
import { nodeHashes } from '../../../electron/engine/hashes';
import { laterHash } from '../../../dissectors/app/later-hash';

type Part = ['C' | 'S', string | Uint8Array];

function run(port: number, parts: Part[]): AppResult & { expected: DataConnectionExpectation[] } {
  const expected: DataConnectionExpectation[] = [];
  const ctx: AppContext = {
    connection: { id: 3, client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port } },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    expectDataConnection: (e) => expected.push(e),
  };
  const sel = createProtocolSelector(ctx);
  const off = { client: 0, server: 0 };
  parts.forEach(([who, p], i) => {
    const dir = who === 'C' ? 'client' : 'server';
    const bytes = typeof p === 'string' ? new TextEncoder().encode(p) : p;
    sel.onData({ dir, offset: off[dir], bytes, frames: [{ frame: i + 1, offset: off[dir], length: bytes.length }], time: i / 10 });
    off[dir] += bytes.length;
  });
  sel.onEnd();
  return { ...sel.result(), expected };
}

const labels = (r: AppResult) => r.ladder.map((e) => `${e.from === 'client' ? 'C' : 'S'} ${e.kind} ${e.label}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A minimal TLS 1.2 ClientHello record with an SNI, as a ClientHello after an upgrade would start. */
function clientHello(sni: string): Uint8Array {
  const name = Buffer.from(sni);
  const sniExt = Buffer.concat([Buffer.from([0, 0]), u16(name.length + 5), u16(name.length + 3), Buffer.from([0]), u16(name.length), name]);
  const body = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0]), u16(2), Buffer.from([0xc0, 0x2f]), Buffer.from([1, 0]), u16(sniExt.length), sniExt]);
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([0x16, 3, 1]), u16(hs.length), hs]);
}
function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

test('SMTP pipelining: replies are paired with commands in order, even when they arrive together', () => {
  const r = run(25, [
    ['S', '220 mx ESMTP\r\n'],
    ['C', 'EHLO pc\r\n'],
    ['S', '250-mx\r\n250-PIPELINING\r\n250 AUTH PLAIN CRAM-MD5\r\n'],
    ['C', 'MAIL FROM:<a@x> SIZE=120 BODY=8BITMIME\r\nRCPT TO:<b@y>\r\nRCPT TO:<c@z>\r\nDATA\r\n'],
    ['S', '250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n354 go ahead\r\n'],
    ['C', 'Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n'],
    ['S', '250 2.0.0 queued\r\n221 bye\r\n'],
  ]);
  const cmds = r.ladder.filter((e) => e.kind === 'command');
  assert.deepEqual(cmds.map((e) => e.fields?.['smtp.req.command']), ['EHLO', 'MAIL', 'RCPT', 'RCPT', 'DATA', 'QUIT']);
  assert.match(cmds[2].explain, /PIPELINING/);
  assert.deepEqual(cmds[1].lines, ['SIZE=120', 'BODY=8BITMIME']);
  const replies = r.ladder.filter((e) => e.from === 'server').map((e) => [e.fields?.['smtp.response.code'], e.fields?.['smtp.response.enhanced'] ?? null]);
  assert.deepEqual(replies, [[220, null], [250, null], [250, '2.1.0'], [250, '2.1.5'], [550, '5.1.1'], [354, null], [250, '2.0.0'], [221, null]]);
  const smtp = r.summary.smtp as { extensions: string[]; messages: Array<{ size: number; envelope: { rcptTo: string[] } }> };
  assert.deepEqual(smtp.extensions, ['PIPELINING', 'AUTH PLAIN CRAM-MD5']);
  assert.equal(smtp.messages[0].size, 'Subject: hi\r\n\r\nbody\r\n'.length);
  assert.deepEqual(smtp.messages[0].envelope.rcptTo, ['b@y', 'c@z']);
});

test('SMTP AUTH PLAIN (initial response) and CRAM-MD5: decoded, credentials listed, CRAM-MD5 without a password', () => {
  const plain = run(587, [['S', '220 mx\r\n'], ['C', `AUTH PLAIN ${b64('\0alice\0wonderland')}\r\n`], ['S', '235 2.7.0 ok\r\n']]);
  assert.deepEqual(plain.credentials.map((c) => [c.mechanism, c.username, c.password]), [['AUTH PLAIN', 'alice', 'wonderland']]);
  assert.match(plain.ladder[1].lines?.[0] ?? '', /username “alice”, password “wonderland”/);
  const cram = run(25, [
    ['S', '220 mx\r\n'],
    ['C', 'AUTH CRAM-MD5\r\n'],
    ['S', `334 ${b64('<1896.697170952@mx>')}\r\n`],
    ['C', `${b64('tim b913a602c7eda7a495b4e6e7334d3890')}\r\n`],
    ['S', '235 ok\r\n'],
  ]);
  assert.deepEqual(cram.credentials.map((c) => [c.mechanism, c.username, c.password]), [['CRAM-MD5', 'tim', null]]);
  assert.ok(labels(cram).includes('S auth 334 PDE4OTYuNjk3MTcwOTUyQG14Pg== → “<1896.697170952@mx>”'));
});

test('SMTP BDAT chunks make one message; STARTTLS hands the rest to TLS', () => {
  const r = run(25, [
    ['S', '220 mx\r\n'],
    ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nBDAT 10\r\nSubject: h'],
    ['C', 'BDAT 8 LAST\r\ni\r\n\r\nyo\r\n'],
    ['S', '250 ok\r\n250 ok\r\n250 10 octets\r\n250 done\r\n'],
    ['C', 'STARTTLS\r\n'],
    ['S', '220 2.0.0 Ready to start TLS\r\n'],
    ['C', clientHello('mail.lab.local')],
  ]);
  const smtp = r.summary.smtp as { messages: Array<{ size: number; headers: { subject: string } }> };
  assert.equal(smtp.messages.length, 1);
  assert.equal(smtp.messages[0].size, 18);
  assert.equal(smtp.messages[0].headers.subject, 'hi');
  assert.equal(r.protocol, 'smtp');
  assert.equal(r.tls?.upgrade, 'starttls');
  assert.equal(r.tls?.clientHello?.sni, 'mail.lab.local');
  assert.ok(labels(r).includes('C tls ClientHello SNI=mail.lab.local'));
});

test('POP3 APOP (no password on the wire), multi-line TOP, STLS then TLS', () => {
  const r = run(110, [
    ['S', '+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n'],
    ['C', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n'],
    ['S', '+OK maildrop has 1 message (369 octets)\r\n'],
    ['C', 'TOP 1 0\r\n'],
    ['S', '+OK\r\nSubject: x\r\n..dotted\r\n\r\n.\r\n'],
    ['C', 'STLS\r\n'],
    ['S', '+OK Begin TLS negotiation\r\n'],
    ['C', clientHello('pop.lab.local')],
  ]);
  assert.deepEqual(r.credentials.map((c) => [c.mechanism, c.username, c.password]), [['APOP', 'mrose', null]]);
  const pop3 = r.summary.pop3 as { state: string; retrieved: Array<{ headers: { subject: string }; size: number }> };
  assert.equal(pop3.state, 'transaction');
  assert.equal(pop3.retrieved[0].headers.subject, 'x');
  assert.equal(pop3.retrieved[0].size, 'Subject: x\r\n.dotted\r\n\r\n'.length, 'dot-unstuffed');
  assert.equal(r.tls?.upgrade, 'stls');
  assert.equal(r.tls?.clientHello?.sni, 'pop.lab.local');
});

test('FTP: multi-line 230, EPSV and PORT announce data connections, AUTH TLS hands over to TLS', () => {
  const r = run(21, [
    ['S', '220 ftp ready\r\n'],
    ['C', 'USER anna\r\n'],
    ['S', '331 Password please\r\n'],
    ['C', 'PASS s3cret\r\n'],
    ['S', '230-Welcome\r\n230-to the lab\r\n230 Logged in\r\n'],
    ['C', 'EPSV\r\n'],
    ['S', '229 Entering Extended Passive Mode (|||40012|)\r\n'],
    ['C', 'RETR notes.txt\r\n'],
    ['S', '150 Opening\r\n226 Done\r\n'],
    ['C', 'PORT 127,0,0,1,195,80\r\n'],
    ['S', '200 PORT ok\r\n'],
    ['C', 'STOR up.bin\r\n'],
    ['S', '150 ok\r\n226 ok\r\n'],
    ['C', 'AUTH TLS\r\n'],
    ['S', '234 Proceed with negotiation\r\n'],
    ['C', clientHello('ftp.lab.local')],
  ]);
  assert.deepEqual(r.credentials.map((c) => [c.mechanism, c.username, c.password]), [['USER/PASS', 'anna', 's3cret']]);
  assert.ok(labels(r).includes('S auth 230-Welcome (+2 lines)'), labels(r).join('\n'));
  assert.deepEqual(r.expected.map((e) => [e.mode, e.host, e.port]), [['EPSV', null, 40012], ['PORT', '127.0.0.1', 50000]]);
  const ftp = r.summary.ftp as { transfers: Array<{ command: string; argument: string; mode: string; port: number }> };
  assert.deepEqual(ftp.transfers.map((t) => [t.command, t.argument, t.mode, t.port]), [['RETR', 'notes.txt', 'EPSV', 40012], ['STOR', 'up.bin', 'PORT', 50000]]);
  assert.equal(r.tls?.upgrade, 'auth-tls');
  assert.equal(r.tls?.clientHello?.sni, 'ftp.lab.local');
});

test('HTTP: chunked body with trailers, HEAD and 304 without body, 100-continue, Basic authorization', () => {
  const r = run(80, [
    ['C', `GET /a HTTP/1.1\r\nHost: lab\r\nAuthorization: Basic ${b64('bob:hunter2')}\r\n\r\n`],
    ['S', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n'],
    ['C', 'HEAD /b HTTP/1.1\r\nHost: lab\r\n\r\nGET /c HTTP/1.1\r\nHost: lab\r\nIf-None-Match: "x"\r\n\r\n'],
    ['S', 'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n'],
    ['C', 'POST /d HTTP/1.1\r\nHost: lab\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n'],
    ['S', 'HTTP/1.1 100 Continue\r\n\r\n'],
    ['C', 'abc'],
    ['S', 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok'],
  ]);
  const http = r.summary.http as { exchanges: Array<{ request: { method: string; uri: string; bodyBytes: number }; response: { status: number; bodyBytes: number; headers: Array<[string, string]> } }> };
  assert.deepEqual(
    http.exchanges.map((x) => [x.request.method, x.request.uri, x.request.bodyBytes, x.response.status, x.response.bodyBytes]),
    [['GET', '/a', 0, 200, 9], ['HEAD', '/b', 0, 200, 0], ['GET', '/c', 0, 304, 0], ['POST', '/d', 3, 201, 2]],
  );
  assert.deepEqual(http.exchanges[0].response.headers.at(-1), ['X-Trailer', 'yes']);
  assert.deepEqual(r.credentials.map((c) => [c.mechanism, c.username, c.password]), [['Basic', 'bob', 'hunter2']]);
  assert.ok(labels(r).includes('S reply 100 Continue'));
});

test("HTTP CONNECT and WebSocket upgrade: after CONNECT's 2xx the tunnel is read as TLS; after a 101 the bytes are raw, not HTTP", () => {
  const hello = clientHello('mail.lab');
  const tunnel = run(3128, [['C', 'CONNECT mail.lab:443 HTTP/1.1\r\nHost: mail.lab:443\r\n\r\n'], ['S', 'HTTP/1.1 200 Connection established\r\n\r\n'], ['C', hello]]);
  assert.deepEqual(labels(tunnel).slice(-1), ['C tls ClientHello SNI=mail.lab']);
  assert.equal(tunnel.tls?.upgrade, 'connect');
  const ws = run(8080, [
    ['C', 'GET /chat HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
    ['S', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'],
    ['S', Uint8Array.of(0x81, 0x02, 0x68, 0x69)],
  ]);
  assert.deepEqual(labels(ws).slice(-2), ['S reply 101 Switching Protocols', 'S data 4 bytes of tunnelled/upgraded data']);
  assert.match(ws.ladder.at(-2)!.explain, /no longer speaks HTTP/);
});
