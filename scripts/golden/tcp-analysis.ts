/**
 * Generates tshark reference files for TCP analysis as tshark 4.0 computes it, one row per TCP frame:
 * tcp.stream, every tcp.analysis.* flag set on the frame, and the numbers tshark derives
 * (duplicate_ack_num, duplicate_ack_frame, ack_rtt, bytes_in_flight).
 *
 *   node --import tsx scripts/golden/tcp-analysis.ts [substring-filter]
 *
 * Output: fixtures/golden/tcp-analysis/<path under fixtures with "/" replaced by "__">.tsv
 * (first line = column names; `flags` is a space-separated list of tcp.analysis.* names).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
const OUT_DIR = join(FIXTURES, 'golden', 'tcp-analysis');

/** The tcp.analysis.* flags tshark 4.0 sets on a frame (epan/dissectors/packet-tcp.c). */
export const TSHARK_ANALYSIS_FLAGS = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'duplicate_ack',
  'keep_alive',
  'keep_alive_ack',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'lost_segment',
  'ack_lost_segment',
  'window_update',
  'window_full',
  'reused_ports',
];

const NUMBERS = ['duplicate_ack_num', 'duplicate_ack_frame', 'ack_rtt', 'bytes_in_flight'];

function run(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return r.stdout ?? '';
}

function findCaptures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (p === join(FIXTURES, 'golden')) continue;
    if (statSync(p).isDirectory()) out.push(...findCaptures(p));
    else if (/\.(pcap|pcapng|cap)$/i.test(name)) out.push(p);
  }
  return out;
}

/** The golden rows of one capture (tab-separated, header first), or null when it has no TCP. */
export function tsharkAnalysisTsv(file: string): string | null {
  const fields = ['frame.number', 'tcp.stream', ...TSHARK_ANALYSIS_FLAGS, ...NUMBERS].map((f) =>
    f.includes('.') ? f : `tcp.analysis.${f}`,
  );
  const text = run([
    '-n',
    '-r',
    file,
    '-Y',
    'tcp',
    '-T',
    'fields',
    '-E',
    'separator=|',
    ...fields.flatMap((f) => ['-e', f]),
  ]);
  const rows = ['frame\tstream\tflags\tduplicate_ack_num\tduplicate_ack_frame\tack_rtt\tbytes_in_flight'];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const v = line.split('|');
    if (v[1] === '') continue; // no tcp.stream: TCP quoted inside ICMP only
    const first = (s: string | undefined): string => (s ?? '').split(',')[0];
    const flags = TSHARK_ANALYSIS_FLAGS.filter((_, i) => (v[2 + i] ?? '') !== '').map(
      (f) => `tcp.analysis.${f}`,
    );
    const n = 2 + TSHARK_ANALYSIS_FLAGS.length;
    rows.push(
      [
        first(v[0]),
        first(v[1]),
        flags.join(' '),
        first(v[n]),
        first(v[n + 1]),
        first(v[n + 2]),
        first(v[n + 3]),
      ].join('\t'),
    );
  }
  return rows.length > 1 ? rows.join('\n') + '\n' : null;
}

function main(): void {
  const filter = process.argv[2] ?? '';
  mkdirSync(OUT_DIR, { recursive: true });
  let written = 0;
  for (const file of findCaptures(FIXTURES)) {
    const rel = relative(FIXTURES, file);
    if (filter && !rel.includes(filter)) continue;
    const tsv = tsharkAnalysisTsv(file);
    if (!tsv) continue;
    writeFileSync(join(OUT_DIR, `${rel.replaceAll('/', '__')}.tsv`), tsv);
    written++;
  }
  console.log(`${written} golden files in ${relative(ROOT, OUT_DIR)}`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
