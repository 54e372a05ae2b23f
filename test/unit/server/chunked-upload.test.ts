/**
 * The server's chunked uploads, one page's: the bytes written as sent, in order only, within the
 * declared size and the server's upload limit, one upload at a time, chunks no larger than
 * UPLOAD_CHUNK_BYTES, an unfinished upload refused at its end, and aborting (or the page leaving)
 * deletes the partial file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { UPLOAD_CHUNK_BYTES } from '../../../api/engine-api';
import { ChunkedUploads } from '../../../electron/server/chunked-upload';

const b64 = (b: Buffer) => b.toString('base64');

test('chunks in order make the file, byte for byte, private to the server user', async () => {
  const up = new ChunkedUploads(10 * UPLOAD_CHUNK_BYTES);
  const data = Buffer.alloc(UPLOAD_CHUNK_BYTES + 1000, 0);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
  const { upload } = await up.begin('../../etc/evil name.pcap', data.length);
  assert.match(upload, /^[0-9a-f]{32}$/);
  assert.deepEqual(await up.chunk(upload, 0, b64(data.subarray(0, UPLOAD_CHUNK_BYTES))), {
    received: UPLOAD_CHUNK_BYTES,
  });
  // Out of order, repeated or past the declared size: refused, nothing counted.
  await assert.rejects(
    up.chunk(upload, 0, b64(data.subarray(0, 10))),
    /expected byte \d+: send the chunks in order/,
  );
  await assert.rejects(
    up.chunk(upload, UPLOAD_CHUNK_BYTES + 5, b64(data.subarray(0, 10))),
    /send the chunks in order/,
  );
  await assert.rejects(
    up.chunk(upload, UPLOAD_CHUNK_BYTES, b64(Buffer.alloc(2000))),
    /more than the \d+ bytes it announced/,
  );
  await assert.rejects(up.end(upload), /ended after \d+ of its \d+ bytes: send the rest first/);
  await up.chunk(upload, UPLOAD_CHUNK_BYTES, b64(data.subarray(UPLOAD_CHUNK_BYTES)));
  const { path, name } = await up.end(upload);
  assert.equal(name, 'evil name.pcap');
  assert.ok(!path.includes('..') && path.endsWith('evil_name.pcap'), path);
  assert.deepEqual(readFileSync(path), data);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  // The upload is over: its id no longer works.
  await assert.rejects(up.chunk(upload, 0, b64(Buffer.alloc(1))), /no such upload/);
});

test('limits: the declared size, one upload at a time, the chunk size, a sane size', async () => {
  const up = new ChunkedUploads(4 * UPLOAD_CHUNK_BYTES);
  await assert.rejects(
    up.begin('big.pcap', 4 * UPLOAD_CHUNK_BYTES + 1),
    /upload too large \(2 MiB at most in the browser\)/,
  );
  for (const bad of [-1, 1.5, '10', Number.NaN])
    await assert.rejects(up.begin('x.pcap', bad), /whole number of bytes/);
  const { upload } = await up.begin('a.pcap', 3 * UPLOAD_CHUNK_BYTES);
  await assert.rejects(up.begin('b.pcap', 10), /another upload of this page is still under way/);
  await assert.rejects(up.chunk(upload, 0, b64(Buffer.alloc(UPLOAD_CHUNK_BYTES + 3))), /at most \d+ bytes/);
  await assert.rejects(up.chunk(upload, 0, 42), /at most \d+ bytes/);
  await assert.rejects(up.chunk('0'.repeat(32), 0, b64(Buffer.alloc(1))), /no such upload/);
  await up.abort(upload);
  // After an abort the next upload may begin.
  const next = await up.begin('c.pcap', 1);
  await up.chunk(next.upload, 0, b64(Buffer.from([1])));
  assert.equal((await up.end(next.upload)).name, 'c.pcap');
});

test('aborting, or the page leaving, deletes the partial file', async () => {
  const up = new ChunkedUploads(4 * UPLOAD_CHUNK_BYTES);
  const { upload } = await up.begin('part.pcap', 100);
  await up.chunk(upload, 0, b64(Buffer.alloc(50, 1)));
  // The partial file exists while the upload is under way (found through a second, completed upload's directory).
  await up.abortAll();
  await assert.rejects(up.end(upload), /no such upload/);
  const again = await up.begin('part.pcap', 2);
  await up.chunk(again.upload, 0, b64(Buffer.from([1, 2])));
  const { path } = await up.end(again.upload);
  const partial = path.replace(/\/(\d+)-part\.pcap$/, (_, n: string) => `/${Number(n) - 1}-part.pcap`);
  assert.notEqual(partial, path);
  assert.equal(existsSync(partial), false, 'the aborted upload left no file');
});
