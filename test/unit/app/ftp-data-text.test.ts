/**
 * An FTP data connection's text: the first 64 KiB decide whether it is text (a listing) and the
 * first 16 KiB are kept, with "…" when more came — whatever the sizes of the pieces the bytes
 * arrive in, and wherever a byte that is not text sits (inside the first 16 KiB, after them, past
 * 64 KiB where it no longer counts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFtpDataHandler, type FtpDataSummary } from '../../../dissectors/app/ftp/ftp-data';
import { laterHash } from '../../../dissectors/app/later-hash';
import { AppOutput } from '../../../dissectors/app/output';
import { StreamBuffer } from '../../../dissectors/app/stream-buffer';
import type { AppContext } from '../../../dissectors/app/types';
import type { Direction } from '../../../dissectors/tcp/types';
import { nodeHashes } from '../../../electron/engine/hashes';

function transfer(content: Uint8Array, piece: number, bulk: boolean): { summary: FtpDataSummary; lines: string[] | undefined } {
  const ctx: AppContext = {
    connection: { id: 1, client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port: 47373 } },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    expectDataConnection: () => undefined,
  };
  const out = new AppOutput('ftp-data', 1);
  const bufs: Record<Direction, StreamBuffer> = { client: new StreamBuffer(), server: new StreamBuffer() };
  const handler = createFtpDataHandler({ out, bufs, ctx, switchTo: () => undefined }, { controlConnection: 0, host: null, port: 47373, mode: 'PASV', frame: 1 });
  let frame = 10;
  for (let o = 0; o < content.length; o += piece) {
    // A copy that is wiped after the call: nothing may keep a view of the bytes it was given.
    const bytes = content.slice(o, o + piece);
    const chunk = { dir: 'server' as const, offset: o, bytes, frames: [{ frame: frame++, offset: o, length: bytes.length }], time: frame / 1000 };
    if (bulk) handler.bulk!('server', chunk);
    else {
      bufs.server.push(chunk);
      handler.pump('server', false);
      bufs.server.settle();
    }
    bytes.fill(0);
  }
  handler.end();
  const r = out.result();
  return { summary: r.summary.ftpData as FtpDataSummary, lines: r.ladder[0]?.lines };
}

/** What the text must be: the first 64 KiB all text, then the first 16 KiB as latin1 and "…" after more. */
function expected(content: Uint8Array): string | null {
  const look = content.subarray(0, 65536);
  if (!look.every((c) => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c !== 0x7f))) return null;
  return Buffer.from(content.subarray(0, 16384)).toString('latin1') + (content.length > 16384 ? '…' : '');
}

function listing(bytes: number): Uint8Array {
  const line = Buffer.from('-rw-r--r--    1 ftp      ftp        1234 Nov 30 10:00 café-notes.txt\r\n', 'latin1');
  const out = new Uint8Array(bytes);
  for (let o = 0; o < bytes; o += line.length) out.set(line.subarray(0, bytes - o), o);
  return out;
}

test('an FTP data connection is text only when its first 64 KiB are, and keeps its first 16 KiB', () => {
  let cases = 0;
  for (const size of [1, 100, 16383, 16384, 16385, 40000, 65535, 65536, 65537, 200_000]) {
    for (const bad of [-1, 0, 5000, 16383, 16384, 30000, 65535, 65536, 100_000]) {
      if (bad >= size) continue;
      const content = listing(size);
      if (bad >= 0) content[bad] = 0x01;
      for (const piece of [1, 1448, 7000, 65536]) {
        if (piece === 1 && size > 20000) continue;
        for (const bulk of [true, false]) {
          const { summary } = transfer(content, piece, bulk);
          assert.equal(summary.bytes, size);
          assert.equal(summary.text, expected(content), `size ${size}, byte 0x01 at ${bad}, pieces of ${piece}, bulk ${bulk}`);
          cases++;
        }
      }
    }
  }
  assert.ok(cases > 300, `${cases} cases`);
  // The listing's lines are shown in the ladder.
  const { lines } = transfer(listing(5000), 1448, true);
  assert.equal(lines?.[0], '-rw-r--r--    1 ftp      ftp        1234 Nov 30 10:00 café-notes.txt');
});
