/**
 * A SYN flood (tens of thousands of connections that never carry a byte) stays cheap: no protocol
 * dissector and no stream hash is made until a connection carries data, so each costs a few KB of
 * model (documented limit: under 6 KB per connection retained), and every one is still reported
 * with its port-based protocol and "no answer".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Analyzer } from '../../../dissectors/analysis/analyzer';
import { buildReport } from '../../../dissectors/analysis/report';
import { createCaptureReader } from '../../../dissectors/capture/reader';
import { nodeHashes } from '../../../electron/engine/hashes';
import { ipv4TcpPacket, writePcap } from '../../helpers/capture-writer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('50,000 SYN-only connections: each reported, under 6 KB retained per connection', async () => {
  const n = 50_000;
  const records = [];
  for (let i = 0; i < n; i++) {
    const data = ipv4TcpPacket({ src: 0x0a000000 + (i >>> 8), dst: 0x7f000001, sport: 1024 + (i & 0xff) * 200 + 1, dport: 25, seq: (i * 7919) >>> 0, ack: 0, flags: 0x02, payload: new Uint8Array(0) });
    records.push({ tsSec: 1_800_000_000, tsFrac: i, origLen: data.length, data });
  }
  const bytes = writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes;
  records.length = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  const analyzer = new Analyzer({ hashes: nodeHashes });
  const reader = createCaptureReader({ onRecord: (r) => analyzer.add(r) });
  reader.push(bytes);
  const summary = reader.end();
  const out = await analyzer.finish();
  gc();
  const perConnection = (process.memoryUsage().heapUsed - before) / n;
  const report = buildReport(summary, out, bytes.length);
  assert.equal(report.connections.length, n);
  assert.deepEqual([report.connections[0].protocol, report.connections[0].handshake.outcome], ['smtp', 'no-answer']);
  assert.ok(perConnection < 6 * 1024, `${perConnection.toFixed(0)} bytes retained per connection`);
  console.log(`retained per SYN-only connection: ${perConnection.toFixed(0)} bytes`);
});
