/**
 * Wirelens's own ladders for every fixture, as reviewed snapshots (fixtures/golden/ladders/*.txt):
 * one block per connection with its protocol, why it got it, and one line per ladder event
 * (frame, direction, kind, label). Regenerate after an intended change, then review the diff
 * (`git diff fixtures/golden/ladders`): the lesson captures were read line by line.
 *
 * Run: node --import tsx scripts/golden/ladders.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../dissectors/analysis/report';
import type { AnalysisReport } from '../../dissectors/analysis/types';
import { loadCapture } from '../../electron/engine/load-capture';
import { goldenNameFor, listCaptures } from './net';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'fixtures', 'golden', 'ladders');

export function ladderText(report: AnalysisReport): string {
  const lines: string[] = [];
  for (const c of report.connections) {
    if (!c.ladder.length && c.protocol === 'unknown') continue;
    lines.push(`#${c.id} ${c.client} → ${c.server} ${c.protocol} (by ${c.protocolBy})`);
    for (const e of c.ladder) lines.push(`  ${e.frame} ${e.from === 'client' ? 'C>' : 'S<'} ${e.kind} ${e.label}`);
  }
  for (const cr of report.credentials) lines.push(`credential #${cr.connection} ${cr.mechanism} ${JSON.stringify(cr.username)} ${JSON.stringify(cr.password)}`);
  return lines.join('\n') + '\n';
}

export async function ladderTextOf(capture: string): Promise<string | null> {
  try {
    const loaded = await loadCapture(capture);
    const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
    await loaded.source.dispose();
    const text = ladderText(report);
    return text.trim() ? text : null;
  } catch {
    return null; // not a capture: nothing to snapshot
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  let n = 0;
  for (const capture of listCaptures(join(ROOT, 'fixtures'))) {
    const text = await ladderTextOf(capture);
    if (text === null) continue;
    writeFileSync(join(OUT, goldenNameFor(capture).replace(/\.tsv$/, '.txt')), text);
    n++;
  }
  console.log(`wrote ${n} ladder snapshots to fixtures/golden/ladders`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
