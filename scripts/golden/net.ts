/**
 * Generates tshark reference output for the packet decoder tests (dissectors/net).
 * For every capture under fixtures/ (recursive, except fixtures/golden), writes
 * fixtures/golden/net/<path-relative-to-fixtures with "/" as "__">.tsv: one header row with the field
 * names, then one row per frame. Multi-valued fields are joined with "|".
 *
 * Run: node --import tsx scripts/golden/net.ts   (needs tshark on PATH)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const NET_GOLDEN_FIELDS = [
  'frame.number',
  'frame.protocols',
  'frame.cap_len',
  'eth.src',
  'eth.dst',
  'vlan.id',
  'ip.src',
  'ip.dst',
  'ip.id',
  'ip.ttl',
  'ip.proto',
  'ip.len',
  'ip.flags.mf',
  'ip.frag_offset',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.nxt',
  'ipv6.plen',
  'ipv6.hlim',
  'ipv6.fraghdr.ident',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.hdr_len',
  'tcp.window_size_value',
  'tcp.window_size_scalefactor',
  'tcp.urgent_pointer',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.sack_perm',
  'tcp.options.timestamp.tsval',
  'tcp.options.timestamp.tsecr',
  'tcp.options.sack.count',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.duplicate_ack_num',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'arp.opcode',
  'icmp.type',
  'icmpv6.type',
  '_ws.col.Protocol',
  '_ws.col.Info',
  '_ws.expert.message',
] as const;

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
const OUT = join(FIXTURES, 'golden', 'net');

export function listCaptures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== join(FIXTURES, 'golden')) out.push(...listCaptures(path));
    } else if (/\.(pcap|pcapng|cap)$/i.test(name)) out.push(path);
  }
  return out;
}

export function goldenNameFor(capturePath: string): string {
  return relative(FIXTURES, capturePath).split(/[\\/]/).join('__') + '.tsv';
}

/** Runs tshark and returns its stdout; a cut-off file makes tshark exit non-zero after printing what it read. */
export function runTshark(args: string[]): string {
  try {
    return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = (e as { stdout?: string }).stdout;
    if (typeof out === 'string' && out.length > 0) return out;
    throw e;
  }
}

export function runNetTshark(capture: string): string {
  const args = ['-r', capture, '-n', '-T', 'fields', '-E', 'separator=/t', '-E', 'header=y', '-E', 'aggregator=|'];
  for (const f of NET_GOLDEN_FIELDS) args.push('-e', f);
  return runTshark(args);
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const only = process.argv[2];
  const captures = listCaptures(FIXTURES).filter((c) => !only || c.includes(only));
  for (const capture of captures) {
    writeFileSync(join(OUT, goldenNameFor(capture)), runNetTshark(capture));
  }
  console.log(`wrote ${captures.length} golden files to ${relative(ROOT, OUT)}`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
