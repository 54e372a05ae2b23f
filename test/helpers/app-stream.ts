/**
 * Runs the protocol selector (port and content heuristics, then the chosen handler) over a
 * conversation given as the bytes each side sent, in order — one part a frame, frames numbered
 * from 1, a tenth of a second apart — and returns the dissector's result. For tests of a
 * dissector's behaviour on exact byte streams (captures test the same through the whole engine).
 */
import { createProtocolSelector } from '../../dissectors/app/selector';
import { laterHash } from '../../dissectors/app/later-hash';
import type { AppContext, AppResult } from '../../dissectors/app/types';
import { nodeHashes } from '../../electron/engine/hashes';

export type StreamPart = ['C' | 'S', string | Uint8Array | number[]];

export function dissectStream(serverPort: number, parts: StreamPart[]): AppResult {
  const ctx: AppContext = {
    connection: {
      id: 1,
      client: { ip: '127.0.0.1', port: 50000 },
      server: { ip: '127.0.0.1', port: serverPort },
    },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    expectDataConnection: () => {},
  };
  const sel = createProtocolSelector(ctx);
  const off = { client: 0, server: 0 };
  parts.forEach(([who, p], i) => {
    const dir = who === 'C' ? 'client' : 'server';
    const bytes = typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p);
    sel.onData({
      dir,
      offset: off[dir],
      bytes,
      frames: [{ frame: i + 1, offset: off[dir], length: bytes.length }],
      time: i / 10,
    });
    off[dir] += bytes.length;
  });
  sel.onEnd();
  return sel.result();
}
