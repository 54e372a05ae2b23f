/**
 * `npm run fuzz [-- --seed N] [-- --runs N] [-- --minutes M]`: mutates every fixture capture and runs
 * the whole engine on each mutant (see campaign.ts). Failures are written to
 * fixtures/fuzz-regressions/<source>-<seed>.pcap with a .txt explaining them; exit code 1 if any.
 * CI runs a short campaign (the default: 300 runs); a long one: `npm run fuzz -- --minutes 60 --runs 1e9`.
 * First, the hostile cases (hostile.ts) run whole and must stop at their limits; mutants of them
 * join the campaign's sources.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureFixtures, fixtureName, FIXTURES } from '../helpers/fixtures';
import { runCampaign } from './campaign';
import { hostileSources, runHostileCases } from './hostile';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const seed = arg('seed', 20261129);
const runs = arg('runs', 300);
const minutes = arg('minutes', 10);
const sources: Array<{ name: string; bytes: Uint8Array }> = [
  ...captureFixtures()
    .filter((p) => !p.endsWith('.gz') && !p.includes('fuzz-regressions'))
    .map((p) => ({ name: fixtureName(p), bytes: new Uint8Array(readFileSync(p)) }))
    .filter((s) => s.bytes.length < 4 * 1024 * 1024),
  ...hostileSources(),
];
const hostile = await runHostileCases();
for (const h of hostile) console.log(`hostile: ${h.name}: ${h.failure ? `FAIL ${h.failure.split('\n')[0]}` : 'stopped at its limit'}`);
console.log(`fuzz: seed ${seed}, up to ${runs} runs or ${minutes} min, ${sources.length} source captures`);
const res = await runCampaign(sources, {
  seed,
  runs,
  deadlineMs: minutes * 60_000,
  onProgress: (n) => n % 5000 === 0 && process.stdout.write(`  ${n} runs\n`),
});
console.log(`fuzz: ${res.runs} runs: ${res.reports} reports, ${res.refused} refused as not a capture, ${res.failures.length} failures; slowest ${res.slowest.ms.toFixed(0)} ms on ${res.slowest.bytes} bytes (${res.slowest.source}, seed ${res.slowest.seed})`);
if (hostile.some((h) => h.failure)) process.exitCode = 1;
if (res.failures.length) {
  const dir = join(FIXTURES, 'fuzz-regressions');
  mkdirSync(dir, { recursive: true });
  for (const f of res.failures) {
    const base = join(dir, `${f.source.replaceAll('/', '__')}-${f.seed}`);
    writeFileSync(`${base}.pcap`, f.bytes);
    writeFileSync(`${base}.txt`, `source: ${f.source}\nmutation: ${f.kind}\nseed: ${f.seed}\n\n${f.error}\n`);
    console.log(`  FAIL ${f.source} (${f.kind}, seed ${f.seed}): ${f.error.split('\n')[0]} → ${base}.pcap`);
  }
  process.exit(1);
}
