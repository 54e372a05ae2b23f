/** The whole engine pass on a capture held in memory: read, decode, reassemble, dissect, ladders, report. */
import { Analyzer } from '../../dissectors/analysis/analyzer';
import { buildReport } from '../../dissectors/analysis/report';
import type { AnalysisReport } from '../../dissectors/analysis/types';
import { createCaptureReader } from '../../dissectors/capture/reader';
import { nodeDecompress } from '../../electron/engine/decompress';
import { nodeHashes } from '../../electron/engine/hashes';

export async function analyzeBytes(bytes: Uint8Array): Promise<AnalysisReport> {
  const analyzer = new Analyzer({ hashes: nodeHashes, decompress: nodeDecompress });
  const reader = createCaptureReader({ onRecord: (r) => analyzer.add(r) });
  // Feed in uneven chunks, as a file read would.
  for (let at = 0, step = 4093; at < bytes.length; at += step, step = step * 2 + 1) reader.push(bytes.subarray(at, at + step));
  const summary = reader.end();
  const out = await analyzer.finish();
  return buildReport(summary, out, bytes.length);
}
