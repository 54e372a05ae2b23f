/**
 * The project's own deterministic bench-capture generator: many interleaved SMTP, POP3, HTTP,
 * FTP (+ passive data) and TLS sessions over Ethernet/IPv4/TCP, MSS-sized segments, retransmissions
 * and reordering, written as pcap or pcapng, with a truth sidecar holding every stream's sha256.
 *
 *   node --import tsx bench/generate-capture.ts --out /tmp/b.pcap [--format pcapng] [--size-mb 100] [--seed 1]
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONVERSATION_MIX, type Conversation } from './generator/app-scripts';
import { FrameWriter, type ContainerFormat, type FrameEndpoints } from './generator/frame-writer';
import { Prng } from './generator/prng';
import { directionBytes, packetize, type SessionShape, type WirePacket } from './generator/tcp-session';

export interface GenerateOptions {
  out: string;
  format: ContainerFormat;
  sizeMb: number;
  seed: string;
  concurrency: number;
  shape: SessionShape;
  quiet?: boolean;
}

export interface TruthStream {
  stream: number;
  protocol: string;
  client: string;
  server: string;
  packets: number;
  clientBytes: number;
  serverBytes: number;
  clientSha256: string;
  serverSha256: string;
}

interface LiveSession {
  ep: FrameEndpoints;
  conv: Conversation;
  packets: WirePacket[];
  next: number;
  truth: Omit<TruthStream, 'stream'> & { firstFrame: number };
}

const ipText = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function sha256Of(parts: Uint8Array[]): { bytes: number; hex: string } {
  const h = createHash('sha256');
  let bytes = 0;
  for (const p of parts) {
    h.update(p);
    bytes += p.length;
  }
  return { bytes, hex: h.digest('hex') };
}

function pickConversation(rng: Prng): Conversation {
  const total = CONVERSATION_MIX.reduce((n, [w]) => n + w, 0);
  let r = rng.next() * total;
  for (const [w, make] of CONVERSATION_MIX) {
    r -= w;
    if (r < 0) return make(rng);
  }
  return CONVERSATION_MIX[0][1](rng);
}

export function generateCapture(o: GenerateOptions): { packets: number; bytes: number; streams: TruthStream[] } {
  const rng = new Prng(o.seed);
  const writer = new FrameWriter(o.out, o.format);
  const target = o.sizeMb * 1024 * 1024;
  const active: LiveSession[] = [];
  const done: LiveSession['truth'][] = [];
  let sessions = 0;
  let planned = 0;
  let timeUs = Date.UTC(2026, 0, 12, 9, 0, 0) * 1000;
  let lastReport = 0;

  const open = (conv: Conversation, ep?: FrameEndpoints): void => {
    sessions++;
    const endpoints = ep ?? {
      clientIp: (0x0a000000 + sessions) >>> 0,
      serverIp: (0xc0000200 + rng.int(1, 254)) >>> 0,
      clientPort: rng.int(1024, 65535),
      serverPort: conv.serverPort,
    };
    const c = sha256Of(directionBytes(conv, 'c'));
    const s = sha256Of(directionBytes(conv, 's'));
    const packets = packetize(conv, rng, o.shape);
    for (const p of packets) planned += 90 + p.payload.length;
    active.push({
      ep: endpoints,
      conv,
      packets,
      next: 0,
      truth: {
        firstFrame: 0,
        protocol: conv.protocol,
        client: `${ipText(endpoints.clientIp)}:${endpoints.clientPort}`,
        server: `${ipText(endpoints.serverIp)}:${endpoints.serverPort}`,
        packets: packets.length,
        clientBytes: c.bytes,
        serverBytes: s.bytes,
        clientSha256: c.hex,
        serverSha256: s.hex,
      },
    });
  };

  while (true) {
    while (active.length < o.concurrency && planned < target) open(pickConversation(rng));
    if (active.length === 0) break;
    const k = rng.int(0, active.length - 1);
    const sess = active[k];
    const p = sess.packets[sess.next++];
    if (sess.next === 1) sess.truth.firstFrame = writer.packets + 1;
    timeUs += rng.int(1, 150);
    writer.tcp(timeUs, sess.ep, p.fromClient, p.flags, p.seq, p.ack, p.payload);
    if (p.opensData && sess.conv.dataConnection) {
      const d = sess.conv.dataConnection;
      open(d.conversation, {
        clientIp: sess.ep.clientIp,
        serverIp: sess.ep.serverIp,
        clientPort: rng.int(1024, 65535),
        serverPort: d.port,
      });
    }
    if (sess.next === sess.packets.length) {
      done.push(sess.truth);
      active[k] = active[active.length - 1];
      active.pop();
    }
    if (!o.quiet && writer.bytesWritten - lastReport > 64 * 1024 * 1024) {
      lastReport = writer.bytesWritten;
      process.stderr.write(`\rgenerate: ${(writer.bytesWritten / 1048576).toFixed(0)} MiB`);
    }
  }
  writer.close();
  if (!o.quiet) process.stderr.write('\n');
  const streams = done
    .sort((a, b) => a.firstFrame - b.firstFrame)
    .map(({ firstFrame: _f, ...t }, stream) => ({ stream, ...t }));
  return { packets: writer.packets, bytes: writer.bytesWritten, streams };
}

export const DEFAULT_SHAPE: SessionShape = { mss: 1448, retransmit: 0.003, outOfOrder: 0.003, reset: 0.03, wrap: 0.03 };

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      format: { type: 'string', default: 'pcap' },
      'size-mb': { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '200' },
      truth: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (!values.out || (values.format !== 'pcap' && values.format !== 'pcapng')) {
    console.error('usage: generate-capture.ts --out FILE [--format pcap|pcapng] [--size-mb N] [--seed S] [--concurrency N]');
    process.exit(2);
  }
  const result = generateCapture({
    out: values.out,
    format: values.format,
    sizeMb: Number(values['size-mb']),
    seed: values.seed!,
    concurrency: Number(values.concurrency),
    shape: DEFAULT_SHAPE,
    quiet: values.quiet,
  });
  const truthPath = values.truth ?? `${values.out}.truth.json`;
  writeFileSync(truthPath, JSON.stringify({ generator: 'wirelens bench/generate-capture.ts', seed: values.seed, format: values.format, packets: result.packets, bytes: result.bytes, streams: result.streams }, null, 1));
  if (!values.quiet) console.error(`wrote ${values.out}: ${result.packets} packets, ${result.bytes} bytes, ${result.streams.length} TCP streams; truth ${truthPath}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
