/**
 * One full Wirelens analysis of a file, as `wirelens analyze` does it (read, decode, reassemble,
 * dissect, ladders, packet index, report), then a check of every stream against a truth sidecar
 * when one exists. Prints one JSON line with the figures.
 *   node --import tsx bench/analyze-file.ts FILE
 */
import { existsSync, readFileSync } from 'node:fs';
import { buildReport } from '../dissectors/analysis/report';
import { loadCapture } from '../electron/engine/load-capture';

interface TruthStream {
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

const file = process.argv[2];
if (!file) {
  console.error('usage: analyze-file.ts FILE');
  process.exit(2);
}
const started = performance.now();
const loaded = await loadCapture(file);
const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
const ms = performance.now() - started;
let truthStreams = 0;
let truthMatched = 0;
const truthPath = `${file}.truth.json`;
if (existsSync(truthPath)) {
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { streams?: TruthStream[]; sessions?: TruthSession[] };
  const byKey = new Map(report.connections.map((c) => [`${c.client} ${c.server}`, c]));
  // This project's generator lists streams; make-bench-capture.mjs (the shared standard file) sessions.
  const streams: TruthStream[] =
    truth.streams ??
    (truth.sessions ?? []).map((s) => ({ client: s.initiator, server: s.responder, clientSha256: s.c2s.sha256, serverSha256: s.s2c.sha256 }));
  for (const t of streams) {
    truthStreams++;
    const c = byKey.get(`${t.client} ${t.server}`);
    if (c && c.streams.client.sha256 === t.clientSha256 && c.streams.server.sha256 === t.serverSha256) truthMatched++;
  }
}
await loaded.source.dispose();
console.log(
  JSON.stringify({
    packets: report.capture.packets,
    connections: report.connections.length,
    ladderEvents: report.connections.reduce((n, c) => n + c.ladder.length, 0),
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    truthStreams,
    truthMatched,
  }),
);
