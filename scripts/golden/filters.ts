/**
 * tshark's answers to a set of display filters (`tshark -Y`), for every third fixture with TCP:
 * fixtures/golden/filters/<name>.json = { filter: [matching frame numbers] }. The filter test runs
 * the same filters through Wirelens's engine and compares.
 *
 * Run: node --import tsx scripts/golden/filters.ts   (needs tshark)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECODE_AS } from './app';
import { goldenNameFor, listCaptures } from './net';

export const GOLDEN_FILTERS = [
  'tcp',
  'udp',
  'ip.addr == 10.0.0.0/8',
  'tcp.port == 25 || tcp.port == 80',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.flags.reset == 1',
  'frame.len > 1000',
  '!tcp && !udp',
  'tcp.analysis.retransmission',
  'smtp.req.command == "MAIL" || smtp.req.command == "RCPT"',
  'http.request.method == "GET"',
  'tcp.stream in {0, 1, 2}',
  'frame contains "USER"',
  'tcp.len > 0 and tcp.dstport < 1024',
];

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'fixtures', 'golden', 'filters');

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const captures = listCaptures(join(ROOT, 'fixtures')).filter((c) => existsSync(join(ROOT, 'fixtures', 'golden', 'tcp', goldenNameFor(c).replace(/\.tsv$/, '.json'))));
  let n = 0;
  for (const [i, capture] of captures.entries()) {
    if (i % 3 !== 0) continue;
    const result: Record<string, number[]> = {};
    for (const f of GOLDEN_FILTERS) {
      const args = ['-n', '-r', capture, ...DECODE_AS.flatMap((d) => ['-d', d]), '-Y', f, '-T', 'fields', '-e', 'frame.number'];
      const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
      result[f] = r.stdout.split('\n').filter(Boolean).map(Number);
    }
    writeFileSync(join(OUT, goldenNameFor(capture).replace(/\.tsv$/, '.json')), JSON.stringify(result) + '\n');
    n++;
  }
  console.log(`wrote ${n} filter golden files to fixtures/golden/filters`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
