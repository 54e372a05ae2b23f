/**
 * A helper thread beside a load's own: the sha256 of the reassembled streams and of the bodies,
 * messages and files the dissectors hash (reading the payload from the capture file itself), the
 * mail messages' MIME parsing, and the packet index's columns run there, on the second core, while
 * this thread goes on reading and dissecting. Profiled on a 1 GiB capture the hashes and MIME were
 * a fifth to a quarter of the analysis. The results are the same as in one thread
 * (test/unit/engine/offload.test.ts compares whole reports and indexes).
 */
import { Worker } from 'node:worker_threads';
import type { MimeOutcome, MimeParser } from '../../../dissectors/app/mail/mime';
import { PacketIndex, PROJECTION_MARGIN } from '../../../dissectors/analysis/packet-index';
import { MESSAGE_STAGE_BYTES } from '../../../dissectors/app/mail/collector';
import type { RemoteAppResult, RemoteApps, RemoteConnection, StreamHasher } from '../../../dissectors/analysis/types';
import type { AppProtocol } from '../../../dissectors/app/types';
import type { StreamChunk, StreamGap } from '../../../dissectors/tcp/types';
import { APP_KEY, dataRecordBytes, END_BYTES, GAP_BYTES, openBody, writeData, writeEnd, writeGap } from './app-records';
import { BATCH_HEADER, HELPER_ROLE, RANGE_FLAG, RANGE_RECORD, type FromHelper, type ToHelper } from './offload-messages';

const BATCH_BYTES = 1024 * 1024;
/** A batch is posted once it holds this much to hash (bytes carried or named as file ranges), or is full. */
const WORK_PER_BATCH = 2 * 1024 * 1024;
/** Bytes to hash posted and not yet answered before drain() waits (bounds memory however fast the file is read). */
const MAX_IN_FLIGHT = 16 * 1024 * 1024;
/**
 * Message bytes handed over and not yet parsed before drain() waits. Counted apart from the bytes to
 * hash: a big message keeps the helper busy for a while (75 ms for 7.5 MB), and counted with them it
 * made the loading thread wait behind it (~0.2 s on the standard file); the pieces are the helper's
 * once handed over, so this bounds what it may hold.
 */
const MAX_MIME_IN_FLIGHT = 32 * 1024 * 1024;
/** Batches handed back and kept for reuse: about as many as can be in flight (MAX_IN_FLIGHT, and what one chunk of the file brings past it), so few are allocated again. */
const MAX_SPARE = 24;
/** Message stages handed back and kept for the next messages (4 MiB). */
const MAX_STAGES = 64;
/** Shorter runs of file bytes are copied: a range record is 16 bytes and costs the helper a lookup. */
const MIN_RANGE_BYTES = 64;

export class OffloadClient implements StreamHasher, RemoteApps {
  private worker: Worker | null = null;
  /** The capture file's descriptor, for range records (see readsFile). */
  private fd: number | null = null;
  private batch: Uint8Array | null = null;
  /** A DataView of batch (for the application records' numbers). */
  private view: DataView | null = null;
  private used = 0;
  /** Bytes the current batch asks to hash; per posted batch not yet answered, the same (in order). */
  private work = 0;
  private readonly posted: number[] = [];
  private readonly spare: Uint8Array[] = [];
  /** Stages of messages the helper has joined, to gather the next messages in (see messageStage). */
  private readonly stages: Uint8Array[] = [];
  private inFlight = 0;
  private mimeInFlight = 0;
  private nextId = 0;
  private readonly waitingColumns = new Map<number, (buffers: ArrayBuffer[] | null) => void>();
  private readonly waitingMime = new Map<number, { resolve: (o: MimeOutcome) => void; bytes: number }>();
  private waitingDigests: { resolve: (m: ReadonlyMap<number, string>) => void; reject: (e: Error) => void } | null = null;
  private waitingApps: { resolve: (m: ReadonlyMap<number, RemoteAppResult>) => void; reject: (e: Error) => void } | null = null;
  /** Results of the connections the helper dissected, as they come back. */
  private readonly remoteResults = new Map<number, RemoteAppResult>();
  /** Connections handed to the helper's dissectors (see open). */
  remoteConnections = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  /** Stream batches posted, and batch buffers allocated (the others were handed back and reused). */
  batchesSent = 0;
  batchesMade = 0;
  /** Digests the helper sent back (one per stream direction, body, message or file that had bytes). */
  digestsReturned = 0;
  /** The packet index was offered columns (see offerIndexColumns), and moved into them. */
  private columnsOffered = false;
  columnsAdopted = false;
  /** Records that named a file range (the helper read those bytes itself), and bytes named so. */
  rangesSent = 0;
  rangeBytes = 0;
  /** The chunk of the capture file being dissected (see fileChunk): its buffer, where it lies in it, and its file offset. */
  private chunkBuffer: ArrayBufferLike | null = null;
  private chunkStart = 0;
  private chunkEnd = 0;
  private chunkFileOffset = 0;

  /**
   * `dissectsHere`: which connections (by the protocol their server port decides) the helper thread
   * dissects (see RemoteApps); by default none.
   */
  constructor(
    private readonly entry: { url: URL; execArgv?: string[] },
    private readonly dissectsHere: (protocol: AppProtocol, implicitTls: boolean) => boolean = () => false,
  ) {}

  /**
   * The helper may read bytes from the capture file open as `fd` itself (keep it open until the
   * helper is closed): bytes handed to update() that lie in
   * the chunk announced by fileChunk() are then sent as a file range instead of copied (most of
   * what is hashed is packet payload, still in the chunk just read: ~1 GB of copying on a 1 GiB file).
   * The helper is not started for this: it starts with its first work (a full batch, a message to
   * parse), after the first packets are on their way to the window (starting it first delayed them
   * by 10–30 ms).
   */
  readsFile(fd: number): void {
    this.fd = fd;
    if (this.worker) this.post({ type: 'file', fd });
  }

  /** The chunk of the file (at `fileOffset`) whose records are dissected until the next call; null: none. */
  fileChunk(chunk: Uint8Array | null, fileOffset = 0): void {
    this.chunkBuffer = chunk?.buffer ?? null;
    this.chunkStart = chunk?.byteOffset ?? 0;
    this.chunkEnd = chunk ? chunk.byteOffset + chunk.byteLength : 0;
    this.chunkFileOffset = fileOffset;
  }

  update(key: number, bytes: Uint8Array): void {
    const fileOffset = this.fileOffsetOf(bytes);
    if (fileOffset >= 0) {
      this.range(key, fileOffset, bytes.length);
      if (this.work >= WORK_PER_BATCH) this.flush();
      return;
    }
    let at = 0;
    while (at < bytes.length) {
      if (!this.batch || this.used + BATCH_HEADER >= this.batch.length) this.nextBatch();
      const b = this.batch!;
      const n = Math.min(bytes.length - at, b.length - this.used - BATCH_HEADER);
      const o = this.used;
      putU32(b, o, key);
      putU32(b, o + 4, n);
      b.set(at === 0 && n === bytes.length ? bytes : bytes.subarray(at, at + n), o + BATCH_HEADER);
      this.used = o + BATCH_HEADER + n;
      this.work += n;
      at += n;
    }
    if (this.work >= WORK_PER_BATCH) this.flush();
  }

  /** Where `bytes` lie in the capture file when they are a view of the chunk being dissected (and worth a range record), else -1. */
  private fileOffsetOf(bytes: Uint8Array): number {
    if (bytes.buffer !== this.chunkBuffer || bytes.length < MIN_RANGE_BYTES || bytes.length >= RANGE_FLAG) return -1;
    if (bytes.byteOffset < this.chunkStart || bytes.byteOffset + bytes.length > this.chunkEnd) return -1;
    return this.chunkFileOffset + (bytes.byteOffset - this.chunkStart);
  }

  open(id: number, connection: RemoteConnection): boolean {
    if (this.failure || !this.dissectsHere(connection.protocol, connection.implicitTls)) return false;
    const body = openBody(id, connection);
    const o = this.reserve(BATCH_HEADER + body.length);
    this.batch!.set(body, o + BATCH_HEADER);
    this.appRecord(o, body.length, 0);
    this.remoteConnections++;
    return true;
  }

  data(id: number, chunk: StreamChunk, hashKey: number | null): void {
    const fileOffset = this.fileOffsetOf(chunk.bytes);
    const size = dataRecordBytes(chunk.frames.length, fileOffset >= 0 ? -1 : chunk.bytes.length);
    const o = this.reserve(BATCH_HEADER + size);
    writeData(this.batch!, this.view!, o + BATCH_HEADER, id, chunk, fileOffset, hashKey);
    this.appRecord(o, size, chunk.bytes.length);
  }

  gap(id: number, gap: StreamGap): void {
    const o = this.reserve(BATCH_HEADER + GAP_BYTES);
    writeGap(this.batch!, this.view!, o + BATCH_HEADER, id, gap);
    this.appRecord(o, GAP_BYTES, 0);
  }

  end(id: number): void {
    const o = this.reserve(BATCH_HEADER + END_BYTES);
    writeEnd(this.batch!, this.view!, o + BATCH_HEADER, id);
    this.appRecord(o, END_BYTES, 0);
  }

  results(): Promise<ReadonlyMap<number, RemoteAppResult>> {
    return this.afterBatches<ReadonlyMap<number, RemoteAppResult>>('apps', new Map(), (w) => (this.waitingApps = w));
  }

  /** Asks the helper, after every batch so far, for what `type` answers (`wait` keeps the waiter); without a helper, `none`. */
  private afterBatches<T>(type: 'digests' | 'apps', none: T, wait: (w: { resolve: (v: T) => void; reject: (e: Error) => void }) => void): Promise<T> {
    this.flush();
    if (this.failure) return Promise.reject(this.failure);
    if (!this.worker) return Promise.resolve(none);
    return new Promise((resolve, reject) => {
      wait({ resolve, reject });
      this.post({ type });
    });
  }

  /** Room for `size` bytes of records in the batch (a batch of its own when bigger than one): where they go. */
  private reserve(size: number): number {
    if (!this.batch || this.used + size > this.batch.length) this.nextBatch(size);
    return this.used;
  }

  /** Writes the header of the application record at `o` (its body of `size` bytes written), counting `work` bytes to dissect. */
  private appRecord(o: number, size: number, work: number): void {
    const b = this.batch!;
    putU32(b, o, APP_KEY);
    putU32(b, o + 4, size);
    this.used = o + BATCH_HEADER + size;
    this.work += work;
    if (this.work >= WORK_PER_BATCH) this.flush();
  }

  private range(key: number, fileOffset: number, length: number): void {
    if (!this.batch || this.used + RANGE_RECORD > this.batch.length) this.nextBatch();
    const b = this.batch!;
    const o = this.used;
    putU32(b, o, key);
    putU32(b, o + 4, (length | RANGE_FLAG) >>> 0);
    putU32(b, o + 8, fileOffset >>> 0);
    putU32(b, o + 12, Math.floor(fileOffset / 4294967296));
    this.used = o + RANGE_RECORD;
    this.work += length;
    this.rangesSent++;
    this.rangeBytes += length;
  }

  /**
   * Parses a message's MIME on the helper thread (never rejects: a stopped helper is a problem
   * noted), which joins its pieces. Pieces that are the whole of their buffer are handed over (the
   * message drops them), others copied.
   */
  readonly parseMime: MimeParser = (pieces) => {
    if (this.failure) return Promise.resolve({ mime: null, problem: `MIME not parsed: ${this.failure.message}` });
    const id = this.nextId++;
    let bytes = 0;
    for (const p of pieces) bytes += p.length;
    return new Promise<MimeOutcome>((resolve) => {
      this.waitingMime.set(id, { resolve, bytes });
      this.mimeInFlight += bytes;
      const transfer = new Set<ArrayBuffer>();
      const sent = pieces.map((p) => {
        // A stage the message was gathered in is its own (MailMessage.rawPieces), filled or not: handed over as it is, and back.
        const own = p.byteOffset === 0 && (p.byteLength === p.buffer.byteLength || p.buffer.byteLength === MESSAGE_STAGE_BYTES);
        const whole = own && !transfer.has(p.buffer as ArrayBuffer);
        const q = whole ? p : p.slice();
        transfer.add(q.buffer as ArrayBuffer);
        return q;
      });
      this.post({ type: 'mime', id, pieces: sent }, [...transfer]);
    });
  };

  /** A stage of an earlier message, handed back by the helper (its memory already in use: no fresh pages to fault in), or null. */
  readonly messageStage = (): Uint8Array | null => this.stages.pop() ?? null;

  /**
   * Buffers of these sizes made on the helper thread, every page of their first `touched` bytes
   * already written (see PacketIndex.adopt); null when the helper cannot (stopped or failed).
   */
  prepareColumns(sizes: number[], touched: number[] = sizes): Promise<ArrayBuffer[] | null> {
    if (this.failure) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waitingColumns.set(id, resolve);
      this.post({ type: 'columns', id, sizes, touched });
    });
  }

  /**
   * Once the index can project how many packets the file holds, has its columns made here (every
   * page already written: on a VM the first write to fresh memory is what costs) and moves the
   * index into them when they arrive; once per load, nothing when it cannot project yet.
   */
  offerIndexColumns(index: PacketIndex): void {
    if (this.columnsOffered || index.projectedCount() === 0) return;
    this.columnsOffered = true;
    // Room for the projection with its margin, pages written for the projection without it: rows the
    // file turns out not to have cost no memory (on the standard file the projection was 10 % high).
    const projected = index.projectedCount();
    const touched = Math.max(index.capacity, Math.ceil(projected / PROJECTION_MARGIN));
    void this.prepareColumns(PacketIndex.columnSizes(Math.max(projected, index.capacity)), PacketIndex.columnSizes(touched)).then((b) => {
      if (b && index.adopt(b)) this.columnsAdopted = true;
    });
  }

  digests(): Promise<ReadonlyMap<number, string>> {
    return this.afterBatches<ReadonlyMap<number, string>>('digests', new Map(), (w) => (this.waitingDigests = w));
  }

  /** Waits while the helper is behind; throws if it failed. */
  async drain(): Promise<void> {
    while (!this.failure && (this.inFlight > MAX_IN_FLIGHT || this.mimeInFlight > MAX_MIME_IN_FLIGHT)) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure;
  }

  /** Stops the helper (after the load, or when it is abandoned). */
  close(): void {
    this.stop(new Error('the load was stopped'));
    this.worker?.removeAllListeners();
    void this.worker?.terminate();
    this.worker = null;
  }

  /** A fresh batch (holding at least `size` bytes: a bigger one is made for a bigger record). */
  private nextBatch(size = 0): void {
    this.flush();
    const b = size > BATCH_BYTES ? null : this.spare.pop();
    if (!b) this.batchesMade++;
    this.batch = b ?? new Uint8Array(Math.max(BATCH_BYTES, size));
    this.view = new DataView(this.batch.buffer);
    this.used = 0;
  }

  private flush(): void {
    const batch = this.batch;
    if (!batch || this.used === 0) return;
    this.batch = null;
    this.inFlight += this.work;
    this.posted.push(this.work);
    this.batchesSent++;
    this.post({ type: 'hash', batch, used: this.used }, [batch.buffer as ArrayBuffer]);
    this.used = 0;
    this.work = 0;
  }

  private post(msg: ToHelper, transfer: ArrayBuffer[] = []): void {
    if (this.failure) return;
    (this.worker ?? this.spawn()).postMessage(msg, transfer);
  }

  private spawn(): Worker {
    const w = new Worker(this.entry.url, { workerData: { role: HELPER_ROLE }, execArgv: this.entry.execArgv, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    w.on('message', (msg: FromHelper) => this.receive(msg));
    w.on('error', (e) => this.stop(new Error(`the helper thread failed: ${e.message}`)));
    w.on('exit', (code) => this.stop(new Error(`the helper thread exited (code ${code})`)));
    this.worker = w;
    if (this.fd !== null) w.postMessage({ type: 'file', fd: this.fd } satisfies ToHelper);
    return w;
  }

  private receive(msg: FromHelper): void {
    if (msg.type === 'hashed') {
      this.inFlight -= this.posted.shift() ?? 0;
      if (msg.batch.length === BATCH_BYTES && this.spare.length < MAX_SPARE) this.spare.push(msg.batch);
    } else if (msg.type === 'mime') {
      const w = this.waitingMime.get(msg.id);
      this.waitingMime.delete(msg.id);
      if (w) {
        this.mimeInFlight -= w.bytes;
        w.resolve({ mime: msg.mime, problem: msg.problem });
      }
    } else if (msg.type === 'stages') {
      // Whole again: the last stage of a message went over as the view of what it held.
      for (const b of msg.buffers) if (this.stages.length < MAX_STAGES) this.stages.push(new Uint8Array(b.buffer, 0, MESSAGE_STAGE_BYTES));
    } else if (msg.type === 'columns') {
      this.waitingColumns.get(msg.id)?.(msg.buffers);
      this.waitingColumns.delete(msg.id);
    } else if (msg.type === 'app') {
      this.remoteResults.set(msg.id, { result: msg.result, failure: msg.failure });
    } else if (msg.type === 'apps') {
      const w = this.waitingApps;
      this.waitingApps = null;
      w?.resolve(this.remoteResults);
    } else if (msg.type === 'digests') {
      const w = this.waitingDigests;
      this.waitingDigests = null;
      this.digestsReturned = msg.entries.length;
      w?.resolve(new Map(msg.entries));
    } else {
      this.stop(new Error(`the helper thread failed: ${msg.message}`));
    }
    this.wakeUp();
  }

  private stop(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waitingMime.values()) w.resolve({ mime: null, problem: `MIME not parsed: ${e.message}` });
    this.waitingMime.clear();
    for (const w of this.waitingColumns.values()) w(null);
    this.waitingColumns.clear();
    this.waitingDigests?.reject(e);
    this.waitingDigests = null;
    this.waitingApps?.reject(e);
    this.waitingApps = null;
    this.wakeUp();
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** Writes `v` (0 … 2^32 − 1) little-endian at `o`. */
function putU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = v >>> 24;
}
