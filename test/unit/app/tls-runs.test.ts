/**
 * Consecutive encrypted TLS records of a direction are shown as one "N encrypted records" event
 * listing each frame once, in the order first seen — also when a retransmitted or reordered
 * segment brings an older frame number after newer ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HandlerHost } from '../../../dissectors/app/handler';
import { laterHash } from '../../../dissectors/app/later-hash';
import { AppOutput } from '../../../dissectors/app/output';
import { StreamBuffer } from '../../../dissectors/app/stream-buffer';
import { createTlsHandler } from '../../../dissectors/app/tls/tls-handler';
import type { AppContext } from '../../../dissectors/app/types';
import type { Direction } from '../../../dissectors/tcp/types';
import { nodeHashes } from '../../../electron/engine/hashes';

test('a run of encrypted records lists each frame once, in the order first seen', () => {
  const ctx = {
    sha256: nodeHashes.sha256,
    laterSha256: () => laterHash(nodeHashes),
  } as unknown as AppContext;
  const out = new AppOutput('tls', 0);
  const bufs: Record<Direction, StreamBuffer> = { client: new StreamBuffer(), server: new StreamBuffer() };
  const host: HandlerHost = { out, bufs, ctx, switchTo: () => undefined };
  const tls = createTlsHandler(host, null);
  // Application-data records of 5 bytes, one per segment; frame numbers as a capture with a
  // retransmission and reordering would give them (7 again, 6 after 9, then 7 once more).
  const frames = [5, 7, 9, 7, 6, 7, 10, 9, 11];
  let offset = 0;
  for (const frame of frames) {
    const bytes = Uint8Array.of(23, 3, 3, 0, 5, 1, 2, 3, 4, 5);
    bufs.server.push({
      dir: 'server',
      offset,
      bytes,
      frames: [{ frame, offset, length: bytes.length }],
      time: frame / 10,
    });
    tls.pump('server', false);
    bufs.server.settle();
    offset += bytes.length;
  }
  tls.end();
  const run = out.ladder.find((e) => e.kind === 'data');
  assert.ok(run, 'a run event');
  assert.equal(run.label, '9 encrypted records, 45 bytes');
  assert.deepEqual(run.frames, [5, 7, 9, 6, 10, 11]);
});
