/**
 * Reads a capture file once: chunks → capture reader → analyzer. Yields to the event loop between
 * chunks so a server can answer queries (and show the first rows) while a big file loads.
 */
import { Analyzer, type AnalyzerOutput } from '../../dissectors/analysis/analyzer';
import type { AnalyzeOptions } from '../../dissectors/analysis/types';
import { createCaptureReader } from '../../dissectors/capture/reader';
import type { CaptureReader, CaptureSummary } from '../../dissectors/capture/types';
import { nodeDecompress } from './decompress';
import { nodeHashes } from './hashes';
import { openSource, readChunks, type OpenedSource } from './file-source';

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
}

export interface LoadHandle {
  source: OpenedSource;
  analyzer: Analyzer;
  reader: CaptureReader;
  done: Promise<LoadedCapture>;
}

export type LoadOptions = Omit<AnalyzeOptions, 'hashes'> & {
  onProgress?: (p: LoadProgress) => void;
  /** Yield to the event loop after every chunk (servers); the CLI need not. */
  yieldBetweenChunks?: boolean;
  chunkSize?: number;
};

/** Starts loading; the returned handle exposes the analyzer (its index grows as packets arrive). */
export async function startLoad(path: string, options: LoadOptions = {}): Promise<LoadHandle> {
  const source = await openSource(path);
  const started = performance.now();
  const analyzer = new Analyzer({ decompress: nodeDecompress, ...options, hashes: nodeHashes });
  const reader = createCaptureReader({ onRecord: (r) => analyzer.add(r) });
  const done = (async (): Promise<LoadedCapture> => {
    try {
      await readChunks(
        source.path,
        async (chunk, soFar) => {
          reader.push(chunk);
          options.onProgress?.({ bytesRead: soFar, bytesTotal: source.size, packets: analyzer.index.count });
          if (options.yieldBetweenChunks) await new Promise((r) => setImmediate(r));
        },
        options.chunkSize,
      );
      if (source.size === 0) reader.push(new Uint8Array(0));
      const summary = reader.end();
      const output = await analyzer.finish();
      return { source, summary, output, loadMs: performance.now() - started };
    } catch (e) {
      await source.dispose();
      throw e;
    }
  })();
  return { source, analyzer, reader, done };
}

export async function loadCapture(path: string, options: LoadOptions = {}): Promise<LoadedCapture> {
  const h = await startLoad(path, options);
  return h.done;
}
