/**
 * Re-runs reassembly (and optionally the dissectors) over one connection's frames, read back from
 * the file: used for Follow Stream and for retrieving attachment/body bytes, so the first pass
 * never has to keep payloads in memory.
 */
import { Analyzer, type AnalyzerOutput } from '../../dissectors/analysis/analyzer';
import { nodeDecompress } from './decompress';
import type { AppProtocol } from '../../dissectors/app/types';
import type { CaptureRecord } from '../../dissectors/capture/types';
import { decodePacket } from '../../dissectors/net/decode';
import { createTcpTracker } from '../../dissectors/tcp/tracker';
import type { StreamChunk, StreamGap } from '../../dissectors/tcp/types';
import type { CaptureSession } from './capture-session';
import { nodeHashes } from './hashes';
import { nodeTlsCrypto } from './tls-crypto';
import type { TlsDecryption } from '../../dissectors/app/types';

export function connectionFrameIndices(s: CaptureSession, id: number): number[] {
  const idx = s.analyzer.index;
  const out: number[] = [];
  for (let i = 0; i < idx.count; i++) if (idx.conn[i] === id) out.push(i);
  return out;
}

function recordOf(s: CaptureSession, i: number): CaptureRecord {
  const idx = s.analyzer.index;
  const base = s.analyzer.baseTime ?? { sec: 0, nsec: 0 };
  const t = idx.time[i];
  const whole = Math.floor(t);
  return {
    frame: i + 1,
    fileOffset: idx.offsetOf(i),
    capLen: idx.capLen[i],
    origLen: idx.origLenOf(i),
    tsSec: base.sec + whole,
    tsNsec: base.nsec + Math.round((t - whole) * 1e9),
    linkType: idx.linkTypeOf(i),
    interfaceId: idx.ifaceOf(i),
    data: s.store!.read(i),
  };
}

export type ReplayItem = { chunk: StreamChunk } | { gap: StreamGap };

/** The reassembled conversation of one connection, in capture order, bounded by maxBytes. */
export function replayStreams(s: CaptureSession, id: number, maxBytes: number): { items: ReplayItem[]; truncated: boolean } {
  const items: ReplayItem[] = [];
  let total = 0;
  let truncated = false;
  const tracker = createTcpTracker({
    onConnection: () => ({
      onData(chunk) {
        if (total >= maxBytes) {
          truncated = true;
          return;
        }
        const take = Math.min(chunk.bytes.length, maxBytes - total);
        total += take;
        if (take < chunk.bytes.length) truncated = true;
        items.push({ chunk: { ...chunk, bytes: chunk.bytes.slice(0, take), frames: chunk.frames.map((f) => ({ ...f })) } });
      },
      onGap(gap) {
        items.push({ gap: { ...gap } });
      },
      onEnd() {},
    }),
  });
  for (const i of connectionFrameIndices(s, id)) {
    const data = s.store!.read(i);
    const pkt = decodePacket(s.analyzer.index.linkTypeOf(i), data, i + 1);
    if (!pkt.tcp || pkt.src === undefined || pkt.dst === undefined) continue;
    const payload = pkt.data.subarray(pkt.tcp.payloadOffset, pkt.tcp.payloadOffset + pkt.tcp.payloadLength);
    tracker.add({ frame: i + 1, time: s.analyzer.index.time[i], src: pkt.src, dst: pkt.dst, tcp: pkt.tcp, payload });
  }
  tracker.finish();
  return { items, truncated };
}

/** Full dissection of one connection with payloads kept (attachments, bodies). */
export async function replayDissection(s: CaptureSession, id: number, decodeAs?: Map<number, AppProtocol>, onTlsPlaintext?: TlsDecryption['onPlaintext']): Promise<AnalyzerOutput> {
  // The capture's TLS secrets (key logs given, its own), so a decrypted connection replays decrypted.
  const keys = s.loaded?.tlsKeys;
  const tls = keys ? { keys, crypto: nodeTlsCrypto, onPlaintext: onTlsPlaintext } : undefined;
  const a = new Analyzer({ hashes: nodeHashes, decompress: nodeDecompress, keepPayloads: true, decodeAs, tls });
  for (const i of connectionFrameIndices(s, id)) a.add(recordOf(s, i));
  return a.finish();
}
