/**
 * Analysis on several cores: this thread reads the capture and keeps the packet index (so the
 * first rows show at once, exactly as in a sequential load); the packets go, in batches, to worker
 * threads that each dissect one share of the flows (flow-partition.ts); their connections are
 * merged at the end into what one sequential pass produces (merge-shares.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { flowShare } from '../../../dissectors/analysis/flow-partition';
import { mergeShares } from '../../../dissectors/analysis/merge-shares';
import type { AnalyzerOutput } from '../../../dissectors/analysis/analyzer';
import { RecordIndexer } from '../../../dissectors/analysis/packet-index';
import type { ShareOutput } from '../../../dissectors/analysis/packet-dissector';
import type { CaptureRecord } from '../../../dissectors/capture/types';
import { columnBuffers, FIELDS, type BatchColumns, type FromWorker, type PacketBatch, type ShareOptions } from './share-messages';

const BATCH_BYTES = 512 * 1024;
const BATCH_PACKETS = 4096;
/** Batches a worker may have queued before reading waits (bounds memory: ~4 MiB per worker). */
const MAX_IN_FLIGHT = 8;
/** Batch columns handed back by the workers and kept for reuse (more come back only if more were in flight). */
const MAX_SPARE = 16;
/** Packet bytes read before the workers start (see startWorkers). */
const HOLD_BYTES = 16 * 1024 * 1024;

/** Where the worker's code is: beside this module (built bundles), or the TypeScript source run through tsx. */
export function analysisWorkerEntry(): { url: URL; execArgv?: string[] } | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./analysis-worker-tsx.mjs', here) };
  for (const name of ['./analysis-worker.mjs', './analysis-worker.cjs']) {
    const url = new URL(name, here);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return { url };
  }
  return null;
}

/** Fresh columns for one batch (all transferable: they go to a worker and come back). */
function newColumns(): BatchColumns {
  return {
    frames: new Uint32Array(BATCH_PACKETS),
    linkTypes: new Uint16Array(BATCH_PACKETS),
    times: new Float64Array(BATCH_PACKETS),
    offsets: new Uint32Array(BATCH_PACKETS + 1),
    bytes: new Uint8Array(BATCH_BYTES),
  };
}

class BatchBuilder {
  count = 0;
  used = 0;
  rows = new Uint32Array(BATCH_PACKETS);

  constructor(public cols: BatchColumns) {}

  /** Empty again, with other columns (the last ones went to a worker). */
  reset(cols: BatchColumns): void {
    this.count = 0;
    this.used = 0;
    this.cols = cols;
  }

  add(row: number, frame: number, linkType: number, time: number, data: Uint8Array): void {
    const c = this.cols;
    if (this.used + data.length > c.bytes.length) {
      // Only a single packet bigger than a batch gets here (add() starts a new batch first).
      const grown = new Uint8Array(Math.max(c.bytes.length * 2, this.used + data.length));
      grown.set(c.bytes.subarray(0, this.used));
      c.bytes = grown;
    }
    const k = this.count++;
    c.frames[k] = frame;
    c.linkTypes[k] = linkType;
    c.times[k] = time;
    this.rows[k] = row;
    c.offsets[k] = this.used;
    c.bytes.set(data, this.used);
    this.used += data.length;
    c.offsets[k + 1] = this.used;
  }

  get full(): boolean {
    return this.count === BATCH_PACKETS || this.used >= BATCH_BYTES;
  }

  /** Whether a packet of this length fits without growing the buffer (an empty batch takes anything). */
  fits(length: number): boolean {
    return this.count === 0 || this.used + length <= this.cols.bytes.length;
  }
}

interface Share {
  worker: Worker | null;
  batch: BatchBuilder;
  /** Index rows of each batch in flight, by batch id. */
  pending: Map<number, Uint32Array>;
  connections: number;
  finished: Promise<ShareOutput> | null;
}

const NO_PACKETS: ShareOutput = { models: [], states: [], apps: [], diagnostics: [], createdAt: [], packetDiagnostics: 0, diagnosticFrames: [], diagnosticsDropped: 0 };

export class ParallelAnalysis {
  private readonly rows = new RecordIndexer();
  readonly index = this.rows.index;
  private readonly shares: Share[] = [];
  private nextBatch = 0;
  /** Batch columns allocated (the other batches reused columns the workers handed back). */
  batchColumnsMade = 0;
  private started = false;
  private held: Array<{ share: Share; msg: PacketBatch }> = [];
  /** Batch columns the workers handed back, to carry the next batches. */
  private readonly spare: BatchColumns[] = [];
  private heldBytes = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    workers: number,
    private readonly options: ShareOptions,
    private readonly entry: { url: URL; execArgv?: string[] },
  ) {
    for (let k = 0; k < workers; k++) this.shares.push({ worker: null, batch: new BatchBuilder(this.newBatchColumns()), pending: new Map(), connections: 0, finished: null });
  }

  get batchesSent(): number {
    return this.nextBatch;
  }

  private newBatchColumns(): BatchColumns {
    this.batchColumnsMade++;
    return newColumns();
  }

  /** A share's worker starts when its first batch is posted: a share without packets costs nothing. */
  private spawn(share: Share): Worker {
    const worker = new Worker(this.entry.url, { workerData: this.options, execArgv: this.entry.execArgv, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    let done!: (o: ShareOutput) => void;
    let fail!: (e: Error) => void;
    share.finished = new Promise<ShareOutput>((res, rej) => ((done = res), (fail = rej)));
    share.finished.catch(() => undefined);
    const parts: Pick<ShareOutput, 'models' | 'states' | 'apps'> = { models: [], states: [], apps: [] };
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'batch') {
        // The batch's columns come back for a later batch: no 600 KB of buffers per batch for the
        // garbage collector to find (which on a small main-thread heap it did late: +200 MB).
        if (msg.columns.bytes.length === BATCH_BYTES && this.spare.length < MAX_SPARE) this.spare.push(msg.columns);
        this.store(share, msg.id, msg.fields, msg.connections);
      }
      else if (msg.type === 'connections') {
        msg.models.forEach((m, k) => (parts.models[msg.from + k] = m));
        msg.states.forEach((st, k) => (parts.states[msg.from + k] = st));
        msg.apps.forEach((a, k) => (parts.apps[msg.from + k] = a));
      } else if (msg.type === 'finished') done({ ...msg.output, ...parts });
      else this.fail(new Error(`analysis worker failed: ${msg.message}`), fail);
    });
    worker.on('error', (e) => this.fail(e, fail));
    worker.on('exit', (code) => this.fail(new Error(`analysis worker exited (code ${code})`), fail));
    share.worker = worker;
    return worker;
  }

  /** Feed one record (in file order). */
  add(rec: CaptureRecord): void {
    const row = this.rows.push(rec);
    const time = this.rows.time;
    const share = this.shares[flowShare(rec.linkType, rec.data, this.shares.length)];
    // A packet that would overflow the batch's buffer starts the next batch (growing the buffer
    // would send a 1 MiB copy that cannot be reused).
    if (!share.batch.fits(rec.data.length)) this.send(share);
    share.batch.add(row, rec.frame, rec.linkType, time, rec.data);
    if (share.batch.full) this.send(share);
  }

  /** Waits while the workers are behind (memory stays bounded however fast the file is read). */
  async drain(): Promise<void> {
    while (this.started && !this.failure && this.shares.some((s) => s.pending.size > MAX_IN_FLIGHT)) {
      await new Promise<void>((r) => (this.wake = r));
    }
    if (this.failure) throw this.failure;
  }

  /** Ends the pass: the workers finish, their connections are merged and numbered. */
  async finish(): Promise<AnalyzerOutput> {
    try {
      for (const s of this.shares) this.send(s);
      this.startWorkers();
      while (!this.failure && this.shares.some((s) => s.pending.size > 0)) await new Promise<void>((r) => (this.wake = r));
      if (this.failure) throw this.failure;
      for (const s of this.shares) s.worker?.postMessage({ type: 'finish' });
      const outputs = await Promise.all(this.shares.map((s) => s.finished ?? NO_PACKETS));
      const merged = mergeShares(outputs);
      this.renumberIndex(merged.ids);
      return { models: merged.models, states: merged.states, apps: merged.apps, diagnostics: merged.diagnostics, index: this.index, base: this.rows.base };
    } finally {
      this.close();
    }
  }

  /** Stops the workers (after finish, or when a load is abandoned). */
  close(): void {
    this.failure ??= new Error('the analysis was stopped');
    this.wakeUp();
    for (const s of this.shares) {
      s.worker?.removeAllListeners('exit');
      void s.worker?.terminate();
    }
  }

  get connectionCount(): number {
    let n = 0;
    for (const s of this.shares) n += s.connections;
    return n;
  }

  get baseTime(): { sec: number; nsec: number } | null {
    return this.rows.base;
  }

  private send(share: Share): void {
    const b = share.batch;
    if (b.count === 0) return;
    const id = this.nextBatch++;
    // The columns go whole (a worker reads the first `count` entries): no copies, and they come back.
    const msg: PacketBatch = { type: 'batch', id, count: b.count, ...b.cols };
    share.pending.set(id, b.rows.slice(0, b.count));
    const used = b.used;
    b.reset(this.spare.pop() ?? this.newBatchColumns());
    if (!this.started && this.heldBytes + used <= HOLD_BYTES) {
      this.held.push({ share, msg });
      this.heldBytes += used;
      return;
    }
    this.startWorkers();
    this.post(share, msg);
  }

  /**
   * The workers start once the first HOLD_BYTES of packets are read (or at the end): until then the
   * batches wait here, so the first rows of a big file are indexed and sent to the window while the
   * cores are not yet busy starting threads.
   */
  private startWorkers(): void {
    if (this.started) return;
    this.started = true;
    for (const { share, msg } of this.held) this.post(share, msg);
    this.held = [];
  }

  private post(share: Share, msg: PacketBatch): void {
    (share.worker ?? this.spawn(share)).postMessage(msg, columnBuffers(msg));
  }

  /** A batch's columns into the index. Connection ids stay the worker's own until the end. */
  private store(share: Share, id: number, fields: Int32Array, connections: number): void {
    const rows = share.pending.get(id);
    share.pending.delete(id);
    share.connections = connections;
    if (rows) {
      const k = this.shares.indexOf(share);
      const n = this.shares.length;
      const idx = this.index;
      for (let j = 0; j < rows.length; j++) {
        const i = rows[j];
        const o = j * FIELDS;
        idx.flags[i] = fields[o];
        const conn = fields[o + 1];
        // Provisional id, unique across shares: local × shares + share (renumbered at the end).
        idx.conn[i] = conn < 0 ? -1 : conn * n + k;
        idx.relSeq[i] = fields[o + 2];
        idx.relAck[i] = fields[o + 3];
        idx.tcpFlags[i] = fields[o + 4];
        idx.analysis[i] = fields[o + 5];
      }
    }
    this.wakeUp();
  }

  private renumberIndex(ids: Int32Array[]): void {
    const n = this.shares.length;
    const conn = this.index.conn;
    for (let i = 0; i < this.index.count; i++) {
      const c = conn[i];
      if (c >= 0) conn[i] = ids[c % n][Math.floor(c / n)];
    }
  }

  private fail(e: Error, reject: (e: Error) => void): void {
    this.failure ??= e;
    reject(e);
    this.wakeUp();
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
