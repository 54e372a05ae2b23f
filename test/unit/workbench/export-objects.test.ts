/**
 * Export Objects against tshark: on every fixture with HTTP, the HTTP objects Wirelens saves are
 * exactly tshark's `--export-objects http` objects (sha256 of each, fixtures/golden/http-objects from
 * scripts/golden/http-objects.ts), read again from the capture by replaying the connection. Mail
 * messages save as .eml whose bytes hash as the first pass's; FTP-DATA files as the data connection
 * carried them. File names are safe.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { listObjects, objectBytes } from '../../../electron/engine/export-objects';
import { safeFilename, UniqueNames } from '../../../electron/engine/safe-filename';
import { captureFixtures, FIXTURES, fixtureName, goldenPath } from '../../helpers/fixtures';

/** Fixtures where tshark exports HTTP objects differently, and why. */
const KNOWN: Record<string, string> = {
  'bench-small/bench-eth-s7.pcapng':
    'segments arrive out of order: tshark frames some responses from the wrong bytes and exports those; Wirelens reassembles them',
  'corpus/chrissanders-packets/tcp_dupack.pcapng':
    'the capture starts inside a response body: tshark exports those bytes as an object; Wirelens sees no HTTP message',
  'corpus/suricata-verify/tests/http-connect/http-connect-tls/input.pcap':
    'after CONNECT … 200 the tunnel carries TLS: tshark exports its first byte as an object',
  'corpus/suricata-verify/tests/http-multiple-cl/input.pcap':
    'two Content-Length headers: tshark frames the body by the last one, Wirelens by the first',
  'corpus/suricata-verify/tests/http-pipeline-files-with-gap/input.pcap':
    'a body with bytes missing from the capture (a gap): tshark does not export it, Wirelens lists it',
  'corpus/tcpdump/tests/arcnet-rfc1201-arp-icmp-http.pcap':
    'ARCNET (link type 129) is not a supported link layer',
};

const engine = new Engine({ batch: true, workers: 0 });
after(() => engine.close());
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let compared = 0;
for (const file of captureFixtures()) {
  const gp = goldenPath('http-objects', file, '.json');
  if (!existsSync(gp) || KNOWN[fixtureName(file)]) continue;
  test(`HTTP objects equal tshark --export-objects http: ${fixtureName(file)}`, async () => {
    const gold = (JSON.parse(readFileSync(gp, 'utf8')) as Array<{ sha256: string }>)
      .map((o) => o.sha256)
      .sort();
    const s = await engine.openAndWait(file);
    const ours: string[] = [];
    for (const o of listObjects(s).filter((x) => x.info.protocol === 'http')) {
      const { bytes, info } = await objectBytes(s, o.info.index);
      assert.equal(bytes.length, info.size);
      ours.push(sha(bytes));
    }
    assert.deepEqual(ours.sort(), gold);
    compared += gold.length;
  });
}

test('more than 100 tshark HTTP objects were compared', () => assert.ok(compared > 100, `${compared}`));

test('mail: each message saves as .eml, each attachment as its file, with the first pass sha256', async () => {
  const s = await engine.openAndWait(join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap'));
  const mail = listObjects(s).filter((o) => o.info.protocol === 'imf');
  assert.ok(
    mail.some((o) => o.info.filename.endsWith('.eml')),
    'a message',
  );
  for (const o of mail) {
    const { bytes, info } = await objectBytes(s, o.info.index);
    assert.equal(sha(bytes), info.sha256, info.filename);
  }
  const eml = mail.find((o) => o.info.filename.endsWith('.eml'))!;
  const text = Buffer.from((await objectBytes(s, eml.info.index)).bytes).toString('latin1');
  assert.match(text, /^[\s\S]*\r?\nSubject: /i, 'the .eml holds the header section');
});

test('FTP-DATA: a transfer saves under the name RETR/STOR gave it, with the stream sha256', async () => {
  const s = await engine.openAndWait(join(FIXTURES, 'recorded/ftp-transfers-and-mistakes.pcap'));
  const ftp = listObjects(s).filter((o) => o.info.protocol === 'ftp-data');
  assert.ok(ftp.length >= 1);
  for (const o of ftp) {
    const { bytes, info } = await objectBytes(s, o.info.index);
    assert.equal(sha(bytes), info.sha256);
    assert.equal(bytes.length, info.size);
  }
  assert.ok(
    ftp.some((o) => !/^ftp-data-\d+\.bin$/.test(o.info.filename)),
    `named from the commands: ${ftp.map((o) => o.info.filename).join(', ')}`,
  );
});

test('file names from the traffic cannot leave the folder or hide their extension', () => {
  assert.equal(safeFilename('../../etc/passwd', 'x'), '_.._etc_passwd');
  assert.equal(safeFilename('..', 'fallback'), 'fallback');
  assert.equal(safeFilename('C:\\Windows\\evil.exe', 'x'), 'C__Windows_evil.exe');
  assert.equal(safeFilename('invoice\u202Efdp.exe', 'x'), 'invoicefdp.exe');
  assert.equal(safeFilename('a\u0000b\u001b[31mc\r\n', 'x'), 'ab[31mc');
  assert.equal(safeFilename('CON', 'x'), '_CON');
  assert.equal(safeFilename('lpt1.txt', 'x'), '_lpt1.txt');
  assert.equal(safeFilename('', 'object-3'), 'object-3');
  const long = safeFilename(`${'é'.repeat(200)}.jpeg`, 'x');
  assert.ok(Buffer.byteLength(long) <= 120 && long.endsWith('.jpeg'), long);
  const u = new UniqueNames();
  assert.deepEqual(
    ['a.txt', 'A.txt', 'a.txt', 'b'].map((n) => u.take(n)),
    ['a.txt', 'A (2).txt', 'a (3).txt', 'b'],
  );
});
