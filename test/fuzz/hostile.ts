/**
 * The hostile part of `npm run fuzz`: decompression bombs (brotli and gzip HTTP bodies, a gzip
 * capture container) and a connection flood, each run whole — it must end at its limit, with the
 * limit's message — and given to the mutation campaign as sources, so mutants of them (corrupted,
 * cut, spliced bombs and floods) go through the whole engine too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../dissectors/analysis/analyzer';
import { buildReport } from '../../dissectors/analysis/report';
import { createCaptureReader } from '../../dissectors/capture/reader';
import { LIMITS } from '../../dissectors/limits';
import { nodeDecompress } from '../../electron/engine/decompress';
import { nodeHashes } from '../../electron/engine/hashes';
import { loadCapture } from '../../electron/engine/load-capture';
import { analyzeBytes } from './analyze-bytes';
import { connectionFloodCapture, gzipContainerBomb, httpBombCapture } from './hostile-captures';

const MiB = 1024 * 1024;

/** Captures whose mutants the campaign runs (small enough for its time budget per run). */
export function hostileSources(): Array<{ name: string; bytes: Uint8Array }> {
  return [
    { name: 'hostile/brotli-bomb-bodies', bytes: httpBombCapture('br', 40, 256 * MiB) },
    { name: 'hostile/gzip-bomb-bodies', bytes: httpBombCapture('gzip', 3, 48 * MiB) },
    { name: 'hostile/connection-flood', bytes: connectionFloodCapture(3000) },
  ];
}

export interface HostileOutcome {
  name: string;
  /** null when the case ended at its limit as expected, else what went wrong. */
  failure: string | null;
}

async function check(name: string, run: () => Promise<string | null>): Promise<HostileOutcome> {
  try {
    return { name, failure: await run() };
  } catch (e) {
    return { name, failure: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** Runs each hostile case whole and checks it ended at its limit, with its message. */
export async function runHostileCases(): Promise<HostileOutcome[]> {
  const out: HostileOutcome[] = [];
  out.push(
    await check('brotli bombs in HTTP bodies', async () => {
      const text = JSON.stringify(await analyzeBytes(httpBombCapture('br', 600, 256 * MiB, 2)));
      return text.includes(LIMITS.httpDecodedTotal.message) && text.includes(LIMITS.httpDecodedRatio.message)
        ? null
        : 'the decoding limits were not reported';
    }),
  );
  out.push(
    await check('gzip bombs in HTTP bodies', async () => {
      const text = JSON.stringify(await analyzeBytes(httpBombCapture('gzip', 4, 64 * MiB)));
      return text.includes(LIMITS.httpDecodedBody.message) ? null : 'the body limit was not reported';
    }),
  );
  out.push(
    await check('gzip bomb as the capture container', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wirelens-fuzz-'));
      try {
        const path = join(dir, 'bomb.pcap.gz');
        writeFileSync(path, gzipContainerBomb(connectionFloodCapture(10), 64));
        await loadCapture(path, { workers: 0 });
        return 'a 1 GiB expansion of a 1 MB file was opened';
      } catch (e) {
        return (e as Error).message.endsWith(LIMITS.gzipCaptureRatio.message)
          ? null
          : `refused with another message: ${(e as Error).message}`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
  out.push(
    await check('connection flood past the (lowered) connection limits', async () => {
      const bytes = connectionFloodCapture(5000);
      const analyzer = new Analyzer({
        hashes: nodeHashes,
        decompress: nodeDecompress,
        limits: { maxConnections: 3000, maxDissectedConnections: 1000 },
      });
      const reader = createCaptureReader({ onRecord: (r) => analyzer.add(r) });
      reader.push(bytes);
      const report = buildReport(reader.end(), await analyzer.finish(), bytes.length);
      const codes = report.capture.diagnostics.slice(0, 2).map((d) => d.code);
      return report.connections.length === 3000 &&
        codes.join() === 'capture.limit.connections,capture.limit.dissected'
        ? null
        : `${report.connections.length} connections, first diagnostics ${codes.join()}`;
    }),
  );
  return out;
}
