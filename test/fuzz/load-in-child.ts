/**
 * Loads one capture file with the engine's defaults and prints one JSON line: packets, connections,
 * the capture's first diagnostics and the peak memory. Run in a child process by the system tests
 * of hostile captures, so an exhausted heap shows as the child's exit code and not as a dead runner.
 *   node --import tsx test/fuzz/load-in-child.ts FILE
 */
import { buildReport } from '../../dissectors/analysis/report';
import { loadCapture } from '../../electron/engine/load-capture';

const file = process.argv[2];
const loaded = await loadCapture(file, { workers: 0 });
const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
await loaded.source.dispose();
console.log(
  JSON.stringify({
    packets: loaded.output.index.count,
    connections: report.connections.length,
    dissected: report.connections.filter((c) => c.ladder.length > 0).length,
    diagnostics: report.capture.diagnostics.slice(0, 4).map((d) => ({ code: d.code, message: d.message })),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
