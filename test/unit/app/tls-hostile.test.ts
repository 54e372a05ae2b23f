/**
 * Hostile input to TLS decryption: a capture whose bytes were changed at random (seeded) still loads
 * with its key log — records that no longer authenticate are counted and the load goes on; records
 * and key log lines never make decryption hold more than their own size (the inside of a record is
 * at most the record: 16 KiB + 2 KiB, and the plaintext is never longer than the ciphertext).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecordCipher } from '../../../dissectors/app/tls/record-cipher';
import { SUITES } from '../../../dissectors/app/tls/key-schedule';
import { nodeTlsCrypto } from '../../../electron/engine/tls-crypto';
import { FIXTURES } from '../../helpers/fixtures';
import { decrypt } from '../../helpers/tls-decrypt';

const DIR = join(FIXTURES, 'tls');
const work = mkdtempSync(join(tmpdir(), 'wirelens-tls-hostile-'));
after(() => rmSync(work, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const name of [
  'smtps-465-auth-login',
  'tls12-cbc-sha256-noetm',
  'tls12-cbc-sha256-etm',
  'tls12-chacha20',
]) {
  test(`randomly changed bytes never stop the load, and what does not authenticate is counted: ${name}`, async () => {
    const original = readFileSync(join(DIR, `${name}.pcap`));
    const clean = await decrypt(join(DIR, `${name}.pcap`), [join(DIR, `${name}.keys`)]);
    const cleanRecords = clean.report.connections[0].tls!.decryption.records;
    const random = rng(name.length * 7919);
    for (let round = 0; round < 12; round++) {
      const bytes = Buffer.from(original);
      // Change a few bytes past the pcap header (packet headers and payloads alike).
      for (let k = 0; k < 1 + (round % 4); k++)
        bytes[24 + Math.floor(random() * (bytes.length - 24))] ^= 1 + Math.floor(random() * 255);
      const file = join(work, `${name}-${round}.pcap`);
      writeFileSync(file, bytes);
      const { report, plain } = await decrypt(file, [join(DIR, `${name}.keys`)]);
      for (const c of report.connections) {
        const d = c.tls?.decryption;
        if (!d) continue;
        assert.ok(d.records + d.failedRecords <= cleanRecords + 2, `${round}: ${JSON.stringify(d)}`);
        if (d.failedRecords) assert.match(d.reason ?? '', /did not decrypt/);
      }
      assert.ok(
        plain.client.length / 2 + plain.server.length / 2 <= original.length,
        'never more plaintext than the capture',
      );
    }
  });
}

test('a record of any shape is opened or refused, never more plaintext than the record', () => {
  const random = rng(42);
  for (const id of [0x1301, 0x1302, 0x1303, 0xc02f, 0xcca8, 0xc027, 0x002f, 0xc028]) {
    const suite = SUITES[id];
    for (const tls13 of id >> 8 === 0x13 ? [true] : [false]) {
      for (const etm of suite.mac ? [false, true] : [false]) {
        const key = new Uint8Array(suite.keyLen).map(() => Math.floor(random() * 256));
        const iv = new Uint8Array(tls13 ? 12 : suite.fixedIvLen).map(() => Math.floor(random() * 256));
        const cipher = new RecordCipher(nodeTlsCrypto, suite, tls13, key, iv, new Uint8Array(48), etm);
        for (const len of [0, 1, 15, 16, 17, 31, 32, 33, 48, 64, 100, 18432]) {
          const body = new Uint8Array(len).map(() => Math.floor(random() * 256));
          const r = cipher.open(Uint8Array.of(23, 3, 3, len >> 8, len & 0xff), body);
          if ('failed' in r) assert.ok(r.failed.length > 0);
          else assert.ok(r.plaintext.length <= len);
        }
      }
    }
  }
});
