/**
 * The engine hands out an email attachment's decoded bytes (re-dissecting only that connection with
 * payloads kept), for SMTP DATA and for the same message retrieved over POP3.
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
