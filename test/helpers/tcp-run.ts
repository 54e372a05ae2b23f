/** Runs the real pipeline (reader → decoder → defragmenter → TCP tracker) over a capture held in memory. */
import { createHash } from 'node:crypto';
import { createCaptureReader } from '../../dissectors/capture/reader';
import { decodePacket, decodeTransport } from '../../dissectors/net/decode';
import { Ipv4Defragmenter } from '../../dissectors/net/ipv4-defrag';
import { createTcpTracker } from '../../dissectors/tcp/tracker';
import type { ConnectionModel, ReassemblyLimits, SegmentVerdict, StreamChunk, StreamGap } from '../../dissectors/tcp/types';

export interface StreamResult {
  client: Buffer[];
  server: Buffer[];
  gaps: StreamGap[];
  /** frame of each delivered chunk, per direction, for traceability checks */
  spans: Array<{ dir: 'client' | 'server'; offset: number; length: number; frame: number }>;
  ended: number;
  /** Frame being added when the consumer was told the streams ended (0: at the end of the capture). */
  endedAtFrame: number;
  /** How many chunks and gaps the consumer had been given when told the streams ended. */
  eventsWhenEnded: number;
  /** What the stream consumer was given, in order: chunks (copied, with their frame spans and time) and gaps. */
  events: Array<{ chunk: StreamChunk } | { gap: StreamGap }>;
  /** Each direction as tshark's follow prints it: gaps appear as "[N bytes missing in capture file]" and a NUL byte. */
  followView: { client: Buffer[]; server: Buffer[] };
}

export interface TcpRun {
  verdicts: Map<number, SegmentVerdict>;
  models: ConnectionModel[];
  streams: StreamResult[];
  /** Frames that decoded as ICMP (tshark also tracks the TCP headers quoted inside ICMP errors). */
  icmpFrames: Set<number>;
}

export function runTcp(bytes: Uint8Array, limits?: Partial<ReassemblyLimits>): TcpRun {
  const verdicts = new Map<number, SegmentVerdict>();
  const streams: StreamResult[] = [];
  const tracker = createTcpTracker({
    limits,
    onConnection: (c) => {
      const s: StreamResult = { client: [], server: [], gaps: [], spans: [], ended: 0, endedAtFrame: 0, eventsWhenEnded: 0, events: [], followView: { client: [], server: [] } };
      streams[c.id] = s;
      return {
        onData: (ch) => {
          s[ch.dir].push(Buffer.from(ch.bytes));
          s.followView[ch.dir].push(Buffer.from(ch.bytes));
          for (const f of ch.frames) s.spans.push({ dir: ch.dir, ...f });
          s.events.push({ chunk: { ...ch, bytes: new Uint8Array(ch.bytes), frames: ch.frames.map((f) => ({ ...f })) } });
        },
        onGap: (g) => {
          s.gaps.push(g);
          s.events.push({ gap: g });
          s.followView[g.dir].push(Buffer.from(`[${g.length} bytes missing in capture file]\0`));
        },
        onEnd: () => {
          s.ended++;
          s.endedAtFrame = frameNow;
          s.eventsWhenEnded = s.events.length;
        },
      };
    },
  });
  let frameNow = 0;
  const defrag = new Ipv4Defragmenter();
  const icmpFrames = new Set<number>();
  let base = -1;
  const reader = createCaptureReader({
    onRecord: (r) => {
      const t = r.tsSec + r.tsNsec / 1e9;
      if (base < 0) base = t;
      let p = decodePacket(r.linkType, r.data, r.frame);
      if (p.fragment) {
        const whole = defrag.add(p, r.frame, t - base);
        if (whole) p = { ...p, ...decodeTransport(p, whole.data) };
      }
      if (p.protocol.startsWith('ICMP')) icmpFrames.add(r.frame);
      if (!p.tcp || p.src === undefined || p.dst === undefined) return;
      const payload = p.data.subarray(p.tcp.payloadOffset, p.tcp.payloadOffset + p.tcp.payloadLength);
      frameNow = r.frame;
      verdicts.set(r.frame, tracker.add({ frame: r.frame, time: t - base, src: p.src, dst: p.dst, tcp: p.tcp, payload }));
    },
  });
  reader.push(bytes);
  reader.end();
  frameNow = 0;
  return { verdicts, models: tracker.finish(), streams, icmpFrames };
}

export function sha256(parts: Buffer[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}
