#!/usr/bin/env node
// The other end of the benchmark's pipe, as `| jq` or a script reads `wirelens analyze --json`:
// reads standard input to its end, parses it as one JSON document and prints one line with what it
// read (bytes, md5 of the bytes, connections), so the run can check the output was whole.
import { createHash } from 'node:crypto';

const chunks = [];
let bytes = 0;
const md5 = createHash('md5');
for await (const chunk of process.stdin) {
  chunks.push(chunk);
  bytes += chunk.length;
  md5.update(chunk);
}
const report = JSON.parse(Buffer.concat(chunks, bytes).toString('utf8'));
process.stdout.write(
  `${JSON.stringify({ bytes, md5: md5.digest('hex'), connections: Array.isArray(report.connections) ? report.connections.length : null })}\n`,
);
