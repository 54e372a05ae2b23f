/**
 * Generates tshark's and capinfos's Statistics output for the Statistics tests (electron/engine/stats):
 * fixtures/golden/stats/<capture name>.<table>.txt, each the tool's text as printed, for the
 * captures in STATS_CAPTURES. Times are printed in UTC (TZ=UTC).
 *
 * Run: node --import tsx scripts/golden/stats.ts   (needs tshark and capinfos on PATH)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const STATS_GOLDEN_DIR = join(ROOT, 'fixtures', 'golden', 'stats');

/** Captures (relative to fixtures/) whose statistics are compared with tshark's. */
export const STATS_CAPTURES = [
  'lessons/smtp-pop3-lesson.pcap',
  'corpus/chrissanders-packets/dns.pcap',
  'corpus/chrissanders-packets/http_google.pcapng',
  'corpus/chrissanders-packets/http_ip4and6.pcapng',
  'corpus/chrissanders-packets/tcp_retransmissions.pcapng',
  'corpus/chrissanders-packets/mail_sender_client_1.pcapng',
  'recorded/ftp-transfers-and-mistakes.pcap',
  'tls/curl-nginx.pcap',
];

/** The tshark `-z` tables recorded for each capture, by file suffix. */
export const STATS_TABLES: Record<string, string[]> = {
  phs: ['-z', 'io,phs'],
  'conv-tcp': ['-z', 'conv,tcp'],
  'conv-udp': ['-z', 'conv,udp'],
  'conv-ip': ['-z', 'conv,ip'],
  'endpoints-ip': ['-z', 'endpoints,ip'],
  'io-1': ['-z', 'io,stat,1'],
};

export function tsharkTable(capture: string, table: string): string {
  return execFileSync('tshark', ['-r', capture, '-q', ...STATS_TABLES[table]], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TZ: 'UTC' },
  });
}

export function capinfos(capture: string): string {
  // -M: exact numbers (no k/M prefixes); the file name line is left out (it holds the path it was run with).
  const out = execFileSync('capinfos', ['-M', capture], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TZ: 'UTC' },
  });
  return out.replace(/^File name:.*\n/m, '');
}

/** Captures whose TCP stream graphs are compared with tshark's per-segment TCP analysis fields. */
export const TCP_GRAPH_CAPTURES = [
  'lessons/smtp-pop3-lesson.pcap',
  'corpus/chrissanders-packets/tcp_dupack.pcapng',
  'corpus/chrissanders-packets/tcp_retransmissions.pcapng',
];
export const TCP_GRAPH_FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.seq',
  'tcp.len',
  'tcp.ack',
  'tcp.window_size',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.retransmission',
  'tcp.analysis.bytes_in_flight',
  'tcp.options.sack_le',
  'tcp.options.sack_re',
];

export function tcpGraphFields(capture: string): string {
  const args = [
    '-r',
    capture,
    '-Y',
    'tcp',
    '-T',
    'fields',
    '-E',
    'header=y',
    '-E',
    'separator=/t',
    '-E',
    'aggregator=|',
  ];
  for (const f of TCP_GRAPH_FIELDS) args.push('-e', f);
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

export function goldenPath(capture: string, table: string): string {
  return join(STATS_GOLDEN_DIR, `${basename(capture)}.${table}.txt`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(STATS_GOLDEN_DIR, { recursive: true });
  for (const rel of STATS_CAPTURES) {
    const capture = join(ROOT, 'fixtures', rel);
    for (const table of Object.keys(STATS_TABLES))
      writeFileSync(goldenPath(capture, table), tsharkTable(capture, table));
    writeFileSync(goldenPath(capture, 'capinfos'), capinfos(capture));
  }
  for (const rel of TCP_GRAPH_CAPTURES) {
    const capture = join(ROOT, 'fixtures', rel);
    writeFileSync(goldenPath(capture, 'tcp-fields'), tcpGraphFields(capture));
  }
  console.log(`wrote ${STATS_CAPTURES.length} captures' statistics to ${STATS_GOLDEN_DIR}`);
}
