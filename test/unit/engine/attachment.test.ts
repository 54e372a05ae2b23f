/**
 * The engine hands out an email attachment's decoded bytes (re-dissecting only that connection with
 * payloads kept), for SMTP DATA and for the same message retrieved over POP3; and an FTP data
 * connection's file.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { FIXTURES } from '../../helpers/fixtures';

test('the lesson attachment comes back byte for byte from SMTP and from POP3', async () => {
  const e = new Engine({});
  try {
    const c = await e.openFile(join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'));
    while ((await e.getStatus(c.id)).state === 'loading') await new Promise((r) => setTimeout(r, 5));
    const want = 'Homework 3: explain the difference between the envelope and the headers.\n';
    for (const conn of [0, 1]) {
      const a = await e.getAttachment(c.id, conn, 0, 0);
      assert.deepEqual([a.name, a.type, Buffer.from(a.bytesBase64, 'base64').toString()], ['homework.txt', 'text/plain', want]);
    }
    await assert.rejects(e.getAttachment(c.id, 0, 0, 1), /no attachment 1 in message 0/);
  } finally {
    await e.close();
  }
});

test('an FTP data connection hands out the file it carried, matching the transfer summary', async () => {
  const e = new Engine({});
  try {
    const c = await e.openFile(join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'filestore-ftp-passive-mode', 'ftp-passive-mode.pcap'));
    while ((await e.getStatus(c.id)).state === 'loading') await new Promise((r) => setTimeout(r, 5));
    const t = await e.getTransfer(c.id, 1);
    assert.equal(t.direction, 'server');
    assert.equal(Buffer.from(t.bytesBase64, 'base64').toString(), 'uid=0(root) gid=0(root) groups=0(root)\n');
    const view = await e.getConnection(c.id, 1);
    const summary = view.summary.ftpData as { bytes: number; sha256: string };
    assert.deepEqual([t.bytes, t.sha256], [summary.bytes, summary.sha256]);
    await assert.rejects(e.getTransfer(c.id, 0), /not an FTP data connection/);
  } finally {
    await e.close();
  }
});
