/**
 * The helper thread's side: hashes the bytes of each batch under their keys (one running sha256 per
 * stream, body, message or file) and parses messages' MIME, answering each; sends every digest when
 * asked (after all batches, which arrive in order).
 */
import { createHash, type Hash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import { parseMime } from '../../../dissectors/app/mail/mime';
import { nodeHashes } from '../hashes';
import { BATCH_HEADER, type FromHelper, type ToHelper } from './offload-messages';

export function serveOffload(port: MessagePort): void {
  const hashes = new Map<number, Hash>();
  const post = (msg: FromHelper, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  port.on('message', (msg: ToHelper) => {
    try {
      if (msg.type === 'hash') {
        hashBatch(hashes, msg.batch, msg.used);
        post({ type: 'hashed', batch: msg.batch }, [msg.batch.buffer as ArrayBuffer]);
      } else if (msg.type === 'mime') {
        void parseMime(msg.raw, nodeHashes.sha256, false).then((outcome) => post({ type: 'mime', id: msg.id, ...outcome }));
      } else if (msg.type === 'digests') {
        post({ type: 'digests', entries: [...hashes].map(([key, h]) => [key, h.digest('hex')]) });
        hashes.clear();
      }
    } catch (e) {
      post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  });
}

/** Feeds each record of a batch to its stream's hash. */
export function hashBatch(hashes: Map<number, Hash>, b: Uint8Array, used: number): void {
  let o = 0;
  while (o + BATCH_HEADER <= used) {
    const key = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    const len = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
    o += BATCH_HEADER;
    if (o + len > used) throw new Error(`hash batch record overruns the batch (${len} bytes at ${o} of ${used})`);
    let h = hashes.get(key);
    if (!h) hashes.set(key, (h = createHash('sha256')));
    h.update(b.subarray(o, o + len));
    o += len;
  }
}
