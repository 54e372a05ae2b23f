/**
 * The helper thread's side: hashes the bytes of each batch under their keys (one running sha256 per
 * stream, body, message or file) — bytes carried in the batch, or read from the capture file for
 * range records — and parses messages' MIME, answering each; sends every digest when asked (after
 * all batches, which arrive in order).
 */
import { createHash, type Hash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import { parseMime } from '../../../dissectors/app/mail/mime';
import { joinBytes } from '../../../dissectors/app/mail/message';
import { MESSAGE_STAGE_BYTES } from '../../../dissectors/app/mail/collector';
import { nodeHashes } from '../hashes';
import { FileWindow } from './file-window';
import { BATCH_HEADER, RANGE_FLAG, RANGE_RECORD, type FromHelper, type ToHelper } from './offload-messages';

export function serveOffload(port: MessagePort): void {
  const hashes = new Map<number, Hash>();
  let file: FileWindow | null = null;
  /**
   * Messages are parsed one after another: postal-mime awaits while it reads its input, so parses
   * started as messages arrive ran all at once, each holding its decoded text and parts.
   */
  let mimeQueue: Promise<void> = Promise.resolve();
  const post = (msg: FromHelper, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  port.on('message', (msg: ToHelper) => {
    try {
      if (msg.type === 'file') {
        file = new FileWindow(msg.fd);
      } else if (msg.type === 'hash') {
        hashBatch(hashes, msg.batch, msg.used, file);
        post({ type: 'hashed', batch: msg.batch }, [msg.batch.buffer as ArrayBuffer]);
      } else if (msg.type === 'mime') {
        const { pieces, id } = msg;
        // Joined at once, so the pieces that were whole stages go back to be filled again.
        const raw = joinBytes(pieces);
        const stages = raw === pieces[0] ? [] : pieces.filter((p) => p.byteOffset === 0 && p.byteLength === MESSAGE_STAGE_BYTES && p.buffer.byteLength === MESSAGE_STAGE_BYTES);
        if (stages.length) post({ type: 'stages', buffers: stages }, stages.map((p) => p.buffer as ArrayBuffer));
        mimeQueue = mimeQueue.then(() => parseMime(raw, nodeHashes, false).then((outcome) => post({ type: 'mime', id, ...outcome })));
      } else if (msg.type === 'columns') {
        const buffers = msg.sizes.map((n, i) => touchedBuffer(n, msg.touched[i] ?? n));
        post({ type: 'columns', id: msg.id, buffers }, buffers);
      } else if (msg.type === 'digests') {
        post({ type: 'digests', entries: [...hashes].map(([key, h]) => [key, h.digest('hex')]) });
        hashes.clear();
        file = null;
      }
    } catch (e) {
      post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  });
}

/** Feeds each record of a batch to its stream's hash (range records: the file's bytes, from `file`). */
export function hashBatch(hashes: Map<number, Hash>, b: Uint8Array, used: number, file: FileWindow | null = null): void {
  let o = 0;
  while (o + BATCH_HEADER <= used) {
    const key = u32(b, o);
    const word = u32(b, o + 4);
    let h = hashes.get(key);
    if (!h) hashes.set(key, (h = createHash('sha256')));
    if (word & RANGE_FLAG) {
      const len = word & ~RANGE_FLAG;
      if (o + RANGE_RECORD > used) throw new Error(`hash batch range record overruns the batch (at ${o} of ${used})`);
      if (!file) throw new Error('hash batch names a file range, but no capture file was given');
      h.update(file.bytes(u32(b, o + 8) + u32(b, o + 12) * 4294967296, len));
      o += RANGE_RECORD;
      continue;
    }
    o += BATCH_HEADER;
    if (o + word > used) throw new Error(`hash batch record overruns the batch (${word} bytes at ${o} of ${used})`);
    h.update(b.subarray(o, o + word));
    o += word;
  }
}

/** A zeroed buffer of `n` bytes whose every page among the first `touch` bytes has been written (so the system has given it memory). */
export function touchedBuffer(n: number, touch = n): ArrayBuffer {
  const b = new ArrayBuffer(n);
  const u = new Uint8Array(b);
  for (let i = 0; i < Math.min(n, touch); i += 4096) u[i] = 0;
  return b;
}

const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
