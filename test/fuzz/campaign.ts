/**
 * A seeded fuzz campaign: mutants of capture files through the whole engine. A run passes when it
 * ends with a report or NotACaptureError within its time budget; anything else is a failure, saved
 * (with its seed) so it can become a regression fixture.
 */
import { NotACaptureError } from '../../dissectors/capture/types';
import { analyzeBytes } from './analyze-bytes';
import { Prng } from '../../bench/generator/prng';
import { mutate, MUTATIONS } from './mutate';

export interface FuzzFailure {
  source: string;
  seed: number;
  kind: string;
  error: string;
  bytes: Uint8Array;
}

export interface CampaignResult {
  runs: number;
  reports: number;
  refused: number;
  failures: FuzzFailure[];
  slowest: { ms: number; bytes: number; source: string; seed: number };
}

/** Time allowed for one run: generous fixed part plus a per-byte part (proportional to size). */
export function budgetMs(bytes: number): number {
  return 2000 + bytes / 1000; // 1 ms per KB on top of 2 s
}

export async function runCampaign(
  sources: Array<{ name: string; bytes: Uint8Array }>,
  opts: { seed: number; runs: number; deadlineMs?: number; onProgress?: (done: number) => void },
): Promise<CampaignResult> {
  const rng = new Prng(String(opts.seed));
  const res: CampaignResult = { runs: 0, reports: 0, refused: 0, failures: [], slowest: { ms: 0, bytes: 0, source: '', seed: 0 } };
  const stopAt = opts.deadlineMs ? Date.now() + opts.deadlineMs : Infinity;
  for (let i = 0; i < opts.runs && Date.now() < stopAt; i++) {
    const src = sources[Math.floor(rng.next() * sources.length)];
    const kind = MUTATIONS[Math.floor(rng.next() * MUTATIONS.length)];
    const seed = Math.floor(rng.next() * 0xffffffff);
    const bytes = mutate(src.bytes, kind, new Prng(String(seed)));
    const t0 = performance.now();
    try {
      const report = await analyzeBytes(bytes);
      JSON.stringify(report); // the report must serialise (no cycles, no BigInt)
      res.reports++;
    } catch (e) {
      if (e instanceof NotACaptureError) res.refused++;
      else res.failures.push({ source: src.name, seed, kind, error: e instanceof Error ? (e.stack ?? e.message) : String(e), bytes });
    }
    const ms = performance.now() - t0;
    if (ms > budgetMs(bytes.length)) res.failures.push({ source: src.name, seed, kind, error: `took ${ms.toFixed(0)} ms (budget ${budgetMs(bytes.length).toFixed(0)} ms)`, bytes });
    if (ms > res.slowest.ms) res.slowest = { ms, bytes: bytes.length, source: src.name, seed };
    res.runs++;
    opts.onProgress?.(res.runs);
  }
  return res;
}
