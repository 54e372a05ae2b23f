/**
 * Save with TLS keys: a capture decrypted with a key log is written as pcapng with a Decryption
 * Secrets Block holding only the keys that matched; the file then decrypts with no key log given
 * (read back by Wirelens; tshark reads it too in the system tier), and without a match it refuses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { decryptionSecretsBlock } from '../../../electron/engine/tls-keys-export';
import { FIXTURES } from '../../helpers/fixtures';
import { decrypt } from '../../helpers/tls-decrypt';

const DIR = join(FIXTURES, 'tls');
const work = mkdtempSync(join(tmpdir(), 'wirelens-tls-save-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('the block is what editcap --inject-secrets writes for the same key log', () => {
  const keys = readFileSync(join(DIR, 'tls13-aes128gcm.keys'), 'utf8');
  const edited = readFileSync(join(DIR, 'tls13-aes128gcm-dsb.pcapng'));
  const shb = edited.readUInt32LE(4);
  const dsbLen = edited.readUInt32LE(shb + 4);
  assert.deepEqual(decryptionSecretsBlock(keys), edited.subarray(shb, shb + dsbLen));
});

test('a decrypted capture saved with its keys decrypts alone; only the matching keys go in', async () => {
  const e = new Engine({});
  try {
    const s = await e.openAndWait(join(DIR, 'smtps-465-auth-login.pcap'));
    await assert.rejects(e.saveWithTlsKeys(s.info.id), /no TLS key of this capture matched a session/);
    const both =
      readFileSync(join(DIR, 'smtps-465-auth-login.keys'), 'utf8') +
      readFileSync(join(DIR, 'curl-nginx.keys'), 'utf8');
    const r = await e.loadKeyLog(s.info.id, 'both.keys', both);
    assert.deepEqual(r.decrypted, [0]);
    const saved = await e.saveWithTlsKeys(r.capture.id);
    assert.equal(saved.filename, 'smtps-465-auth-login-with-keys.pcapng');
    assert.equal(saved.keys, 5); // the SMTP session's five secrets, not curl's
    const out = join(work, saved.filename);
    writeFileSync(out, Buffer.from(saved.bytesBase64, 'base64'));
    const { report, keys } = await decrypt(out, []);
    assert.equal(keys.size, 1);
    assert.equal(saved.packets, report.capture.packets);
    const c = report.connections[0];
    assert.equal(c.tls?.decrypted, true);
    assert.equal(c.tls?.decryption.keySource, 'pcapng');
    assert.deepEqual(
      report.credentials.map((x) => [x.username, x.password, x.insideTls]),
      [['pari@lab.local', 'ninja-secret', true]],
    );
  } finally {
    await e.close();
  }
});
