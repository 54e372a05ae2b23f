/**
 * TLS handshakes inside protocols Wirelens does not read (STARTTLS-style upgrades): found by their
 * record header and a plausible hello. Real bytes: IMAP STARTTLS to Dovecot on port 143 in
 * chrissanders/packets' mail_receiver_server_3.pcapng (tshark finds the same hellos: frames 24 and 25,
 * fixtures/golden/app). XMPP and PostgreSQL upgrades as byte streams written from RFC 6120 §5.4 and the
 * PostgreSQL protocol's SSLRequest (8 bytes: length 8, code 80877103; the server answers `S`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { findHello } from '../../../dissectors/app/tls/hello-finder';
import { loadCapture } from '../../../electron/engine/load-capture';
import { dissectStream } from '../../helpers/app-stream';

const run = dissectStream;

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
/** A TLS 1.2 ClientHello record (one cipher suite, an SNI). */
function clientHello(sni: string): Buffer {
  const name = Buffer.from(sni);
  const ext = Buffer.concat([
    u16(0),
    u16(name.length + 5),
    u16(name.length + 3),
    Buffer.from([0]),
    u16(name.length),
    name,
  ]);
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 7),
    Buffer.from([0]),
    u16(2),
    Buffer.from([0xc0, 0x2f]),
    Buffer.from([1, 0]),
    u16(ext.length),
    ext,
  ]);
  return Buffer.concat([
    Buffer.from([0x16, 3, 1]),
    u16(body.length + 4),
    Buffer.from([1, 0, body.length >> 8, body.length & 0xff]),
    body,
  ]);
}
/** A TLS 1.2 ServerHello record choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
function serverHello(): Buffer {
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 9),
    Buffer.from([0]),
    Buffer.from([0xc0, 0x2f]),
    Buffer.from([0]),
    u16(0),
  ]);
  return Buffer.concat([
    Buffer.from([0x16, 3, 3]),
    u16(body.length + 4),
    Buffer.from([2, 0, 0, body.length]),
    body,
  ]);
}

test('IMAP STARTTLS in a real capture: the hellos after the upgrade are found, as tshark finds them', async () => {
  const loaded = await loadCapture(
    new URL('../../../fixtures/corpus/chrissanders-packets/mail_receiver_server_3.pcapng', import.meta.url)
      .pathname,
  );
  const r = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const imap = r.connections[1];
  assert.match(imap.server, /:143$/);
  assert.equal(imap.protocol, 'tls');
  assert.equal(imap.protocolBy, 'content');
  const hello = imap.ladder[0];
  assert.equal(hello.frame, 24);
  assert.equal(hello.label, 'ClientHello SNI=mail02.cyberdyne.local');
  assert.ok(hello.lines?.some((l) => l.includes('a protocol Wirelens does not read')));
  assert.equal(imap.ladder[1].frame, 25);
  assert.equal(imap.ladder[1].fields?.['tls.handshake.type'], 2);
  assert.equal(imap.tls?.serverHello?.cipher, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  assert.equal(imap.tls?.upgrade, 'starttls', 'the client asked with "STARTTLS" (not implicit TLS)');
});

test('XMPP <starttls/> and a PostgreSQL SSLRequest: the hellos after them are found', () => {
  const xmpp = run(5222, [
    [
      'C',
      "<?xml version='1.0'?><stream:stream to='lab' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
    ],
    [
      'S',
      "<?xml version='1.0'?><stream:stream from='lab' id='x1' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
    ],
    ['C', "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"],
    ['S', "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"],
    ['C', clientHello('chat.lab')],
    ['S', serverHello()],
  ]);
  assert.deepEqual(
    xmpp.ladder.map((e) => `${e.frame} ${e.label}`),
    ['5 ClientHello SNI=chat.lab', '6 ServerHello TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  );
  const pg = run(5432, [
    ['C', Uint8Array.of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f)],
    ['S', 'S'],
    ['C', clientHello('db.lab')],
    ['S', serverHello()],
  ]);
  assert.equal(xmpp.tls?.upgrade, 'starttls');
  assert.equal(pg.tls?.clientHello?.sni, 'db.lab');
  assert.equal(pg.tls?.upgrade, null, 'no STARTTLS word: the upgrade is not named');
  assert.equal(pg.ladder[0].frame, 3);
});

test('findHello: a record header alone is not enough (type, lengths and version must fit)', () => {
  const hello = clientHello('x.lab');
  const noise = Buffer.from([0x16, 3, 1, 0, 5, 1, 0, 0, 1, 3, 3]); // handshake claims 1 byte: too short for a hello
  assert.equal(findHello(Buffer.concat([Buffer.from('a STARTTLS\r\n'), hello]), 1), 12);
  assert.equal(findHello(Buffer.concat([noise, Buffer.from('zz')]), 1), -1);
  assert.equal(findHello(hello, 2), -1, 'a ClientHello is not a ServerHello');
  assert.equal(findHello(Buffer.from([0x41, 0x16, 3, 1]), 1), 'more', 'a header cut at the end may continue');
  const wrongVersion = Buffer.from(hello);
  wrongVersion[9] = 2;
  assert.equal(findHello(wrongVersion, 1), -1);
});
