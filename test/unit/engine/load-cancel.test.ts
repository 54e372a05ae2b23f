/**
 * Closing a capture while it is being read stops the reading (and the analysis or helper threads):
 * the load ends with a message instead of running on to the end of the file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startLoad } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

const FILE = join(FIXTURES, 'bench-small', 'bench-raw-s15.pcap');

/** This process's open descriptors on FILE (Linux: /proc/self/fd). */
function openOnCapture(): number {
  const target = realpathSync(FILE);
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === target) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

for (const [workers, offload] of [[0, false], [0, true], [2, false]] as const) {
  test(`a load cancelled after its first chunks stops there (${workers ? `${workers} worker threads` : offload ? 'one thread and the helper thread' : 'one thread'})`, async () => {
    let read = 0;
    const h = await startLoad(FILE, { workers, offload, chunkSize: 4096, yieldBetweenChunks: true, onProgress: (p) => (read = p.bytesRead) });
    while (read < 3 * 4096) await new Promise((r) => setImmediate(r));
    h.cancel!();
    await assert.rejects(h.done, /closed while it was being read|stopped/);
    assert.ok(read < statSync(FILE).size / 2, `stopped after ${read} bytes`);
    await h.source.dispose();
    // No descriptor of the capture left open (the reader's, the one the helper reads through).
    for (let k = 0; k < 100 && openOnCapture() > 0; k++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(openOnCapture(), 0, 'descriptors still open on the capture file');
  });
}
