/**
 * Incremental loading of a capture file that is still being written (live capture): every poll
 * reads the bytes appended since the last one and feeds them through the same reader and analyzer
 * as a file load, so the packet index grows while the views query it. finish() reads the rest and
 * completes the pass exactly as a file load ends.
 */
import { promises as fsp } from 'node:fs';
import { Analyzer } from '../../dissectors/analysis/analyzer';
import { createCaptureReader } from '../../dissectors/capture/reader';
import { nodeDecompress } from './decompress';
import { nodeHashes } from './hashes';
import type { LoadedCapture, LoadHandle, LoadOptions } from './load-capture';

const READ_CHUNK = 4 * 1024 * 1024;

export interface LiveLoad {
  handle: LoadHandle<Analyzer>;
  /** Reads what was appended since the last poll; resolves with the number of new bytes. */
  poll(): Promise<number>;
  /** Reads the rest and ends the pass (the writer has closed the file). */
  finish(): Promise<LoadedCapture>;
}

export async function startLiveLoad(path: string, options: Omit<LoadOptions, 'onProgress' | 'yieldBetweenChunks'> = {}): Promise<LiveLoad> {
  const started = performance.now();
  const fh = await fsp.open(path, 'r');
  const analyzer = new Analyzer({ decompress: nodeDecompress, ...options, hashes: nodeHashes });
  const reader = createCaptureReader({ onRecord: (r) => analyzer.add(r) });
  let offset = 0;
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const source = { path, originalPath: path, size: 0, gzip: false, dispose: async () => undefined };

  const readNew = async (): Promise<number> => {
    if (closed) return 0;
    let got = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await fh.read(buf, 0, READ_CHUNK, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      got += bytesRead;
      source.size = offset;
      reader.push(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
      if (bytesRead < READ_CHUNK) break;
    }
    return got;
  };
  // Polls never overlap: each waits for the one before.
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = chain.then(f, f);
    chain = p.catch(() => undefined);
    return p;
  };

  let resolveDone!: (l: LoadedCapture) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<LoadedCapture>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => undefined);

  const finish = () =>
    serial(async () => {
      try {
        await readNew();
        closed = true;
        await fh.close();
        if (offset === 0) reader.push(new Uint8Array(0));
        const summary = reader.end();
        const output = await analyzer.finish();
        const loaded: LoadedCapture = { source, summary, output, loadMs: performance.now() - started };
        resolveDone(loaded);
        return loaded;
      } catch (e) {
        rejectDone(e);
        throw e;
      }
    });

  return {
    handle: { source, analyzer, reader, done },
    poll: () => serial(readNew),
    finish,
  };
}
