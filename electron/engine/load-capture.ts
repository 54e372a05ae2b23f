/**
 * Reads a capture file once: chunks → capture reader → analyzer. Yields to the event loop between
 * chunks so a server can answer queries (and show the first rows) while a big file loads.
 */
import { Analyzer, type AnalyzerOutput } from '../../dissectors/analysis/analyzer';
import type { AnalyzeOptions } from '../../dissectors/analysis/types';
import type { AppProtocol } from '../../dissectors/app/types';
import { createCaptureReader } from '../../dissectors/capture/reader';
import type { CaptureReader, CaptureSummary } from '../../dissectors/capture/types';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { nodeDecompress } from './decompress';
import { LIMITS } from '../../dissectors/limits';
import { diag } from '../../dissectors/model/diagnostic';
import { nodeHashes } from './hashes';
import { nodeTlsCrypto } from './tls-crypto';
import { TlsKeyLog } from '../../dissectors/app/tls/keylog';
import { DSB_TLS_KEY_LOG } from '../../dissectors/capture/pcapng';
import type { TlsDecryption } from '../../dissectors/app/types';
import { openSource, readChunks, type OpenedSource } from './file-source';
import { OffloadClient } from './offload/offload-client';
import { analysisWorkerEntry, ParallelAnalysis } from './parallel/parallel-analysis';

/** What a load exposes while it runs: the packet index grows, connections are counted. */
export type LoadingAnalysis = Pick<Analyzer, 'index' | 'baseTime' | 'connectionCount'>;

/** Files at least this big are dissected on several cores (when there are several). */
export const PARALLEL_MIN_BYTES = 256 * 1024 * 1024;
/** Files at least this big do their hashing and MIME parsing on a helper thread. */
export const OFFLOAD_MIN_BYTES = 32 * 1024 * 1024;

export interface LoadProgress {
  bytesRead: number;
  bytesTotal: number;
  packets: number;
}

export interface LoadedCapture {
  source: OpenedSource;
  summary: CaptureSummary;
  output: AnalyzerOutput;
  loadMs: number;
  /** The TLS secrets the load used (the key logs given, and the capture's own Decryption Secrets Blocks), and which matched. */
  tlsKeys?: TlsKeyLog;
}

export interface LoadHandle<A extends LoadingAnalysis = LoadingAnalysis> {
  source: OpenedSource;
  analyzer: A;
  reader: CaptureReader;
  done: Promise<LoadedCapture>;
  /** Stops reading (the capture was closed): `done` rejects, worker threads stop. */
  cancel?(): void;
  /** The helper thread doing the load's hashing and MIME parsing, when it uses one. */
  helper?: OffloadClient | null;
}

export type LoadOptions = Omit<AnalyzeOptions, 'hashes' | 'streamHasher' | 'parseMime'> & {
  onProgress?: (p: LoadProgress) => void;
  /** Yield to the event loop after every chunk (servers); the CLI need not. */
  yieldBetweenChunks?: boolean;
  /** Awaited after a chunk when it returns a promise (the engine pauses for the first rows). */
  afterChunk?: () => Promise<void> | undefined;
  chunkSize?: number;
  /**
   * TLS key logs read for this capture (--keylog, "TLS keys…"); the capture's own Decryption Secrets
   * Blocks are added to it as they are read. Not used by a load on several worker threads.
   */
  tlsKeys?: TlsKeyLog;
  /** Each decrypted TLS application-data record's bytes (see TlsDecryption.onPlaintext). */
  onTlsPlaintext?: TlsDecryption['onPlaintext'];
  /** Packets kept at most (default LIMITS.packets); later ones are skipped with a warning. */
  maxPackets?: number;
  /**
   * Worker threads dissecting shares of the flows: 0 or 1 = this thread only. Default: for files of
   * PARALLEL_MIN_BYTES or more on three cores or more, one per core but one (2 to 4;
   * $WIRELENS_WORKERS overrides).
   */
  workers?: number;
  /**
   * Hash (streams, bodies, messages, files) and parse messages' MIME on a helper thread (one
   * sequential pass only). Default:
   * for files of OFFLOAD_MIN_BYTES or more on two cores or more ($WIRELENS_OFFLOAD=0/1 overrides).
   */
  offload?: boolean;
};

/** How many analysis workers a load of `size` bytes uses. */
export function workersFor(size: number, options: LoadOptions): number {
  if (options.onlyConnections) return 0; // ids of a sequential pass: re-analysis of chosen connections
  const env = process.env.WIRELENS_WORKERS;
  const asked = options.workers ?? (env !== undefined && env !== '' ? Number(env) : undefined);
  if (asked !== undefined) return Number.isInteger(asked) && asked > 1 ? Math.min(asked, 16) : 0;
  // Measured on two cores (npm run bench): 2 workers open a 1 GiB file 1.2-1.4× faster but need
  // ~1.7× the memory (each worker's heap, every connection held twice at the end), and a 100 MiB
  // one no faster — there one thread already keeps both cores busy (reading, garbage collection).
  // So: big files, and a core for each worker besides the reading thread.
  const cores = availableParallelism();
  return size >= PARALLEL_MIN_BYTES && cores >= 3 ? Math.min(cores - 1, 4) : 0;
}

/**
 * Which connections a load's helper thread dissects besides hashing and parsing MIME: plain HTTP
 * (by port). Measured on the standard 1 GiB capture (npm run bench, two cores): the loading thread
 * was the busy one (~7.3 s of work, the helper's ~4.6 s); handing over HTTP evened them out and
 * was faster in 4 of 4 interleaved runs (-2 … -15 %) and in 8 runs of the 98 MiB file (-6 % on
 * average) at the same peak memory. Handing over implicit TLS, SMTP or POP3 as well made the helper
 * the busy one and held 15–50 MB more; FTP data as well was no faster.
 */
export function helperDissects(protocol: AppProtocol, implicitTls: boolean): boolean {
  return protocol === 'http' && !implicitTls;
}

/** Whether a sequential load of `size` bytes uses a helper thread (see LoadOptions.offload). */
export function offloadFor(size: number, options: LoadOptions, workers: number): boolean {
  if (workers > 1 || options.onlyConnections || options.keepPayloads) return false;
  if (options.offload !== undefined) return options.offload;
  const env = process.env.WIRELENS_OFFLOAD;
  if (env === '0' || env === '1') return env === '1';
  return size >= OFFLOAD_MIN_BYTES && availableParallelism() >= 2;
}

/**
 * Memory in use — the JavaScript heap, and the buffers outside it (kept bodies, the packet index) —
 * as a share of the heap's limit (a few microseconds: checked every 4,096 packets).
 */
function memoryShare(): number {
  const h = getHeapStatistics();
  return (h.used_heap_size + h.external_memory) / h.heap_size_limit;
}

/** Starts loading; the returned handle exposes the analyzer (its index grows as packets arrive). */
export async function startLoad(path: string, options: LoadOptions = {}): Promise<LoadHandle> {
  const source = await openSource(path);
  const started = performance.now();
  const workers = workersFor(source.size, options);
  const entry = workers > 1 ? analysisWorkerEntry() : null;
  if (workers > 1 && !entry && (options.workers !== undefined || process.env.WIRELENS_WORKERS)) {
    // Asked for explicitly: say so rather than quietly use one thread (by default it would).
    await source.dispose();
    throw new Error('the analysis worker (analysis-worker.mjs/.cjs) is missing beside the engine: rebuild or reinstall Wirelens, or use one thread (--workers 0)');
  }
  const tlsKeys = options.tlsKeys ?? new TlsKeyLog();
  const helperEntry = !entry && offloadFor(source.size, options, workers) ? analysisWorkerEntry() : null;
  const helper = helperEntry ? new OffloadClient(helperEntry, helperDissects) : null;
  // The helper reads the payload it hashes from the (plain, possibly decompressed) file itself,
  // through this descriptor, closed once the load is over.
  const helperFile = helper ? await open(source.path, 'r') : null;
  if (helper && helperFile) helper.readsFile(helperFile.fd);
  const analyzer = entry
    ? new ParallelAnalysis(workers, { decodeAs: options.decodeAs, limits: options.limits, keepPayloads: options.keepPayloads }, entry)
    : new Analyzer({ decompress: nodeDecompress, ...options, tls: { keys: tlsKeys, crypto: nodeTlsCrypto, onPlaintext: options.onTlsPlaintext }, hashes: nodeHashes, ...(helper ? { streamHasher: helper, remoteApps: helper, parseMime: helper.parseMime, messageStage: helper.messageStage } : {}) });
  analyzer.index.expectedBytes = source.size;
  // Packets past the limit are read over (the file's summary still counts them) but not kept.
  const maxPackets = options.maxPackets ?? LIMITS.packets.value;
  let skipped = 0;
  let memoryShort = false;
  const reader = createCaptureReader({
    onRecord: (r) => {
      const n = analyzer.index.count;
      if (n >= maxPackets) {
        skipped++;
        return;
      }
      // Every 4,096 packets (at most ~60 MB of new connections apart), whether memory runs short.
      if ((n & 4095) === 4095 && !memoryShort && analyzer instanceof Analyzer && memoryShare() > LIMITS.memory.value) {
        memoryShort = true;
        analyzer.memoryRunsShort();
      }
      analyzer.add(r);
    },
    onSecrets: (type, data) => {
      if (type === DSB_TLS_KEY_LOG) tlsKeys.add(new TextDecoder().decode(data), 'pcapng');
    },
  });
  let cancelled = false;
  /** Stops the worker or helper threads (a failed or abandoned load). */
  const stopThreads = (): void => {
    if (analyzer instanceof ParallelAnalysis) analyzer.close();
    helper?.close();
  };
  const done = (async (): Promise<LoadedCapture> => {
    try {
      await readChunks(
        source.path,
        async (chunk, soFar) => {
          if (cancelled) throw new Error('the capture was closed while it was being read');
          helper?.fileChunk(chunk, soFar - chunk.length);
          reader.push(chunk);
          helper?.fileChunk(null);
          if (helper && analyzer instanceof Analyzer) helper.offerIndexColumns(analyzer.index);
          if (analyzer instanceof ParallelAnalysis) await analyzer.drain();
          if (helper) await helper.drain();
          options.onProgress?.({ bytesRead: soFar, bytesTotal: source.size, packets: analyzer.index.count });
          if (options.yieldBetweenChunks) await new Promise((r) => setImmediate(r));
          const pause = options.afterChunk?.();
          if (pause) await pause;
        },
        options.chunkSize,
      );
      if (source.size === 0) reader.push(new Uint8Array(0));
      const summary = reader.end();
      const output = await analyzer.finish();
      helper?.close();
      if (skipped) output.diagnostics.unshift(diag('capture.limit.packets', 'warn', 'capture', `${LIMITS.packets.message} (${skipped} packets not read)`));
      return { source, summary, output, loadMs: performance.now() - started, tlsKeys };
    } catch (e) {
      stopThreads();
      await source.dispose();
      throw e;
    } finally {
      // After the helper stopped (one still reading would read nothing worse than a closed descriptor).
      await helperFile?.close().catch(() => undefined);
    }
  })();
  const cancel = (): void => {
    cancelled = true;
    stopThreads();
  };
  return { source, analyzer, reader, done, cancel, helper };
}

export async function loadCapture(path: string, options: LoadOptions = {}): Promise<LoadedCapture> {
  const h = await startLoad(path, options);
  return h.done;
}
