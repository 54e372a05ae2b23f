/**
 * Checks a load's stream digests against the truth sidecar a generator wrote beside the capture
 * (`FILE.truth.json`): this project's generator lists streams, make-bench-capture.mjs (the shared
 * standard file) sessions. Run by the benchmark outside the measured process, so reading the
 * sidecar (3.7 MB of JSON for the standard file) does not count in Wirelens's peak memory.
 */
import { existsSync, readFileSync } from 'node:fs';

/** One connection's streams as the report gives them (c2s: client → server). */
export interface StreamDigest {
  client: string;
  server: string;
  clientSha256: string;
  serverSha256: string;
}

/** A session of make-bench-capture.mjs's truth (c2s: initiator → responder). */
interface TruthSession {
  initiator: string;
  responder: string;
  c2s: { sha256: string };
  s2c: { sha256: string };
}

export function checkTruth(capture: string, digests: StreamDigest[]): { truthStreams: number; truthMatched: number } {
  const truthPath = `${capture}.truth.json`;
  if (!existsSync(truthPath)) return { truthStreams: 0, truthMatched: 0 };
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { streams?: StreamDigest[]; sessions?: TruthSession[] };
  const byKey = new Map(digests.map((d) => [`${d.client} ${d.server}`, d]));
  const streams: StreamDigest[] =
    truth.streams ?? (truth.sessions ?? []).map((s) => ({ client: s.initiator, server: s.responder, clientSha256: s.c2s.sha256, serverSha256: s.s2c.sha256 }));
  let truthMatched = 0;
  for (const t of streams) {
    const d = byKey.get(`${t.client} ${t.server}`);
    if (d && d.clientSha256 === t.clientSha256 && d.serverSha256 === t.serverSha256) truthMatched++;
  }
  return { truthStreams: streams.length, truthMatched };
}
