/**
 * Generates tshark reference ("golden") files for the TCP tracker tests.
 *
 *   node --import tsx scripts/golden/tcp.ts [substring-filter]
 *
 * For every capture under fixtures/ (recursive, *.pcap / *.pcapng / *.cap) that contains TCP:
 *  - per frame: tcp.stream, endpoints, flags, relative seq/ack, tcp.len, the tcp.analysis.* flags,
 *    tcp.analysis.initial_rtt and the handshake options (MSS, window scale, SACK-permitted, timestamps);
 *  - per tcp.stream: `tshark -q -z follow,tcp,raw,N`, parsed (hex lines; the second node's lines are
 *    indented with a tab) into each endpoint's byte string: length + sha256, and base64 when small.
 * Output: fixtures/golden/tcp/<path under fixtures with "/" replaced by "__">.json
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
const OUT_DIR = join(FIXTURES, 'golden', 'tcp');
const MAX_INLINE_BYTES = 64 * 1024;
const FOLLOW_BATCH = 40;

const ANALYSIS_FIELDS = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'duplicate_ack',
  'keep_alive',
  'zero_window',
  'zero_window_probe',
  'lost_segment',
  'ack_lost_segment',
  'window_update',
];

const FRAME_FIELDS = [
  'frame.number',
  'tcp.stream',
  'ip.src',
  'ipv6.src',
  'tcp.srcport',
  'ip.dst',
  'ipv6.dst',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.seq_raw',
  'tcp.len',
  'tcp.analysis.initial_rtt',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.sack_perm',
  'tcp.options.timestamp.tsval',
  ...ANALYSIS_FIELDS.map((f) => `tcp.analysis.${f}`),
];

export interface GoldenFrame {
  frame: number;
  stream: number;
  src: string;
  dst: string;
  flags: number;
  relSeq: number;
  relAck: number;
  rawSeq: number;
  len: number;
  initialRtt: number | null;
  mss: number | null;
  windowScale: number | null;
  sackPermitted: boolean;
  timestamps: boolean;
  analysis: string[];
}

export interface GoldenDirection {
  endpoint: string;
  length: number;
  sha256: string;
  base64?: string;
}

export interface GoldenStream {
  stream: number;
  /** Follow's node 0 and node 1 ("ip:port", IPv6 in brackets) with their reassembled bytes. */
  nodes: [GoldenDirection, GoldenDirection];
}

export interface GoldenFile {
  capture: string;
  tshark: string;
  frames: GoldenFrame[];
  streams: GoldenStream[];
}

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

function endpointName(ip: string, port: string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function parseFrames(text: string): GoldenFrame[] {
  const frames: GoldenFrame[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const v = line.split('|');
    if (v[1] === '') continue; // no tcp.stream: not TCP
    const analysis = ANALYSIS_FIELDS.filter((_, i) => v[18 + i] !== '' && v[18 + i] !== undefined).map(
      (f) => `tcp.analysis.${f}`,
    );
    const first = (s: string): string => s.split(',')[0];
    frames.push({
      frame: Number(v[0]),
      stream: Number(first(v[1])),
      src: endpointName(first(v[2] || v[3]), first(v[4])),
      dst: endpointName(first(v[5] || v[6]), first(v[7])),
      flags: Number(first(v[8])),
      relSeq: Number(first(v[9])),
      relAck: Number(first(v[10])),
      rawSeq: Number(first(v[11])),
      len: Number(first(v[12])),
      initialRtt: v[13] ? Number(first(v[13])) : null,
      mss: v[14] ? Number(first(v[14])) : null,
      windowScale: v[15] ? Number(first(v[15])) : null,
      sackPermitted: v[16] !== '',
      timestamps: v[17] !== '',
      analysis,
    });
  }
  return frames;
}

function direction(endpoint: string, chunks: Buffer[]): GoldenDirection {
  const bytes = Buffer.concat(chunks);
  const d: GoldenDirection = {
    endpoint,
    length: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  if (bytes.length <= MAX_INLINE_BYTES) d.base64 = bytes.toString('base64');
  return d;
}

/** Parses the output of one or more `-z follow,tcp,raw,N`. */
export function parseFollow(text: string): GoldenStream[] {
  const streams: GoldenStream[] = [];
  for (const block of text.split(/^=+$/m)) {
    const m = block.match(/Filter: tcp\.stream eq (\d+)/);
    if (!m) continue;
    const node0 = (block.match(/^Node 0: (.*)$/m) ?? [])[1] ?? '';
    const node1 = (block.match(/^Node 1: (.*)$/m) ?? [])[1] ?? '';
    const parts: [Buffer[], Buffer[]] = [[], []];
    for (const line of block.split('\n')) {
      if (!line || /^(Follow|Filter|Node)/.test(line)) continue;
      const hex = line.trim();
      if (/^[0-9a-f]*$/.test(hex)) parts[line.startsWith('\t') ? 1 : 0].push(Buffer.from(hex, 'hex'));
    }
    streams.push({ stream: Number(m[1]), nodes: [direction(node0, parts[0]), direction(node1, parts[1])] });
  }
  return streams.sort((a, b) => a.stream - b.stream);
}

function followAll(file: string, count: number): GoldenStream[] {
  const out: GoldenStream[] = [];
  for (let i = 0; i < count; i += FOLLOW_BATCH) {
    const ids = Array.from({ length: Math.min(FOLLOW_BATCH, count - i) }, (_, k) => i + k);
    out.push(...parseFollow(run(['-n', '-r', file, '-q', ...ids.flatMap((n) => ['-z', `follow,tcp,raw,${n}`])])));
  }
  return out;
}

function tsharkVersion(): string {
  return (run(['--version']).split('\n')[0] ?? '').trim();
}

function main(): void {
  const filter = process.argv[2] ?? '';
  mkdirSync(OUT_DIR, { recursive: true });
  const version = tsharkVersion();
  let written = 0;
  for (const file of findCaptures(FIXTURES)) {
    const rel = relative(FIXTURES, file);
    if (filter && !rel.includes(filter)) continue;
    const fields = run(['-n', '-r', file, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=|', ...FRAME_FIELDS.flatMap((f) => ['-e', f])]);
    const frames = parseFrames(fields);
    if (frames.length === 0) continue;
    const streamCount = Math.max(...frames.map((f) => f.stream)) + 1;
    const golden: GoldenFile = { capture: rel, tshark: version, frames, streams: followAll(file, streamCount) };
    writeFileSync(join(OUT_DIR, `${rel.replaceAll('/', '__')}.json`), JSON.stringify(golden) + '\n');
    written++;
    console.log(`${rel}: ${frames.length} TCP frames, ${streamCount} streams`);
  }
  console.log(`${written} golden files in ${relative(ROOT, OUT_DIR)}`);
}

main();
