/**
 * One full Wirelens analysis of a file, as `wirelens analyze` does it (read, decode, reassemble,
 * dissect, ladders, packet index, report). Prints one JSON line with the figures. With DIGESTS_OUT,
 * writes every connection's stream digests there for the caller to check against the truth sidecar
 * (the benchmark does, outside this measured process); without, checks them here.
 *   node --import tsx bench/analyze-file.ts FILE [DIGESTS_OUT]
 */
import { writeFileSync } from 'node:fs';
import { buildReport } from '../dissectors/analysis/report';
import { loadCapture } from '../electron/engine/load-capture';
import { checkTruth, type StreamDigest } from './truth-check';

const [file, digestsOut] = process.argv.slice(2);
if (!file) {
  console.error('usage: analyze-file.ts FILE [DIGESTS_OUT]');
  process.exit(2);
}
const started = performance.now();
const loaded = await loadCapture(file);
const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
const ms = performance.now() - started;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const digests: StreamDigest[] = report.connections.map((c) => ({ client: c.client, server: c.server, clientSha256: c.streams.client.sha256, serverSha256: c.streams.server.sha256 }));
const figures = {
  packets: report.capture.packets,
  connections: report.connections.length,
  ladderEvents: report.connections.reduce((n, c) => n + c.ladder.length, 0),
  ms,
  maxRssMb,
};
await loaded.source.dispose();
if (digestsOut) {
  writeFileSync(digestsOut, JSON.stringify(digests));
  console.log(JSON.stringify(figures));
} else console.log(JSON.stringify({ ...figures, ...checkTruth(file, digests) }));
