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
import { APP_KEY, readAppRecord, type AppRecordSink } from './app-records';
import { installConcatBlob } from './concat-blob';
import { FileWindow } from './file-window';
import { RemoteAppDissectors } from './remote-apps';
import { BATCH_HEADER, RANGE_FLAG, RANGE_RECORD, type FromHelper, type ToHelper } from './offload-messages';

export function serveOffload(port: MessagePort): void {
  installConcatBlob();
  const hashes = new Map<number, Hash>();
  let file: FileWindow | null = null;
  /**
   * Messages are parsed one after another: postal-mime awaits while it reads its input, so parses
   * started as messages arrive ran all at once, each holding its decoded text and parts.
   */
  let mimeQueue: Promise<void> = Promise.resolve();
  const queue = <T>(parse: () => Promise<T>): Promise<T> => {
    const p = mimeQueue.then(parse);
    mimeQueue = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  };
  const post = (msg: FromHelper, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  const apps = new RemoteAppDissectors(queue, (id, result) => post({ type: 'app', id, ...result }));
  port.on('message', (msg: ToHelper) => {
    try {
      if (msg.type === 'file') {
        file = new FileWindow(msg.fd);
      } else if (msg.type === 'hash') {
        hashBatch(hashes, msg.batch, msg.used, file, apps);
        post({ type: 'hashed', batch: msg.batch }, [msg.batch.buffer as ArrayBuffer]);
      } else if (msg.type === 'mime') {
        const { pieces, id } = msg;
        // Joined at once, so the stages the pieces were gathered in go back to be filled again — a
        // message of one piece parses in its stage: that one goes back once parsed.
        const raw = joinBytes(pieces);
        const isStage = (p: Uint8Array) => p.byteOffset === 0 && p.buffer.byteLength === MESSAGE_STAGE_BYTES;
        const giveBack = (stages: Uint8Array[]) => {
          if (stages.length) post({ type: 'stages', buffers: stages }, stages.map((p) => p.buffer as ArrayBuffer));
        };
        const inUse = raw === pieces[0] ? raw : null;
        giveBack(pieces.filter((p) => p !== inUse && isStage(p)));
        void queue(() =>
          parseMime(raw, nodeHashes, false).then((outcome) => {
            post({ type: 'mime', id, ...outcome });
            if (inUse && isStage(inUse)) giveBack([inUse]);
          }),
        );
      } else if (msg.type === 'columns') {
        const { id, sizes, touched } = msg;
        const buffers = sizes.map((n) => new ArrayBuffer(n));
        touchPages(buffers, touched).then(
          () => post({ type: 'columns', id, buffers }, buffers),
          (e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
        );
      } else if (msg.type === 'apps') {
        apps.results().then(
          () => post({ type: 'apps' }),
          (e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
        );
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

/**
 * Feeds each record of a batch to its stream's hash (range records: the file's bytes, from `file`),
 * and the application records to `apps` (a data record's bytes to its stream's hash too).
 */
export function hashBatch(hashes: Map<number, Hash>, b: Uint8Array, used: number, file: FileWindow | null = null, apps: RemoteAppDissectors | null = null): void {
  const hashOf = (key: number): Hash => {
    let h = hashes.get(key);
    if (!h) hashes.set(key, (h = createHash('sha256')));
    return h;
  };
  let o = 0;
  let view: DataView | null = null;
  let sink: AppRecordSink | null = null;
  const fileBytes = (offset: number, length: number): Uint8Array => {
    if (!file) throw new Error('an application record names a file range, but no capture file was given');
    return file.bytes(offset, length);
  };
  while (o + BATCH_HEADER <= used) {
    const key = u32(b, o);
    const word = u32(b, o + 4);
    if (key === APP_KEY) {
      if (!apps) throw new Error('a hash batch carries an application record, but nothing dissects here');
      if (o + BATCH_HEADER + word > used) throw new Error(`application record overruns the batch (${word} bytes at ${o} of ${used})`);
      sink ??= {
        open: (id, c) => apps.open(id, c),
        data: (id, chunk, hashKey) => {
          if (hashKey !== null) hashOf(hashKey).update(chunk.bytes);
          apps.data(id, chunk);
        },
        gap: (id, gap) => apps.gap(id, gap),
        end: (id) => apps.end(id),
      };
      readAppRecord(b, (view ??= new DataView(b.buffer, b.byteOffset, b.byteLength)), o + BATCH_HEADER, word, sink, fileBytes);
      o += BATCH_HEADER + word;
      continue;
    }
    const h = hashOf(key);
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

/** Bytes of pages written between two looks at the waiting messages (about 10 ms of page faults here). */
const TOUCH_SLICE = 2 * 1024 * 1024;
/** Up to this much is written at once: the columns of a small capture arrive before its load is over. */
const TOUCH_AT_ONCE = 8 * 1024 * 1024;

/**
 * Writes every page among the first `touched[i]` bytes of each buffer (so the system has given it
 * memory). Big columns are written a slice at a time with the batches to hash handled in between:
 * written in one go, the ~40 MB of a 1 GiB capture's index held the helper ~0.2 s while the loading
 * thread waited for its hashes.
 */
async function touchPages(buffers: ArrayBuffer[], touched: number[]): Promise<void> {
  const total = buffers.reduce((n, b, k) => n + Math.min(b.byteLength, touched[k] ?? b.byteLength), 0);
  let sinceLook = 0;
  for (let k = 0; k < buffers.length; k++) {
    const u = new Uint8Array(buffers[k]);
    const end = Math.min(u.length, touched[k] ?? u.length);
    for (let i = 0; i < end; i += 4096) {
      u[i] = 0;
      sinceLook += 4096;
      if (sinceLook >= TOUCH_SLICE && total > TOUCH_AT_ONCE) {
        sinceLook = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
  }
}

const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
