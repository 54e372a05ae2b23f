/**
 * Issue 21 item 6: a flood of one-byte TCP connections (600,000 of them exhausted the engine's
 * memory, exit 134). Past LIMITS.connections — or earlier, once the load finds the JavaScript heap
 * LIMITS.connectionsMemory full — the packets of new connections are listed without a connection;
 * past LIMITS.dissectedConnections open at once, new connections are reassembled and hashed but not
 * dissected; past LIMITS.packets packets are not read. Each says so, first among the capture's
 * diagnostics. The limits are lowered here so the floods stay small; the system tier runs
 * the real size (test/system/connection-flood.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Analyzer } from '../../../dissectors/analysis/analyzer';
import { buildReport } from '../../../dissectors/analysis/report';
import { createCaptureReader } from '../../../dissectors/capture/reader';
import { LIMITS } from '../../../dissectors/limits';
import { FlowTable } from '../../../dissectors/tcp/flow-table';
import { DEFAULT_REASSEMBLY_LIMITS, type ReassemblyLimits } from '../../../dissectors/tcp/types';
import { nodeHashes } from '../../../electron/engine/hashes';
import { loadCapture } from '../../../electron/engine/load-capture';
import {
  connectionFloodCapture,
  connectionFloodPackets,
  conversation,
  pcapOf,
} from '../../fuzz/hostile-captures';

const flood = connectionFloodPackets;

async function analyze(bytes: Uint8Array, limits: Partial<ReassemblyLimits>) {
  const analyzer = new Analyzer({ hashes: nodeHashes, limits });
  const reader = createCaptureReader({ onRecord: (r) => analyzer.add(r) });
  reader.push(bytes);
  const summary = reader.end();
  const out = await analyzer.finish();
  return { report: buildReport(summary, out, bytes.length), index: out.index };
}

test('a flood past the connection limits: the first connections kept, later packets listed without one, both said first', async () => {
  const { report, index } = await analyze(connectionFloodCapture(3000), {
    maxConnections: 2000,
    maxDissectedConnections: 500,
  });
  assert.equal(report.connections.length, 2000);
  assert.equal(index.count, 3000);
  assert.deepEqual([index.conn[1999], index.conn[2000], index.conn[2999]], [1999, -1, -1]);
  const [first, second] = report.capture.diagnostics;
  assert.equal(first.code, 'capture.limit.connections');
  assert.equal(
    first.message,
    `${LIMITS.connections.message} (2000 connections tracked; 1000 later packets have no connection)`,
  );
  assert.equal(first.frame, 2001);
  assert.equal(second.code, 'capture.limit.dissected');
  assert.equal(second.message, `${LIMITS.dissectedConnections.message} (1500 connections not dissected)`);
  assert.equal(second.frame, 501);
  // Dissected: the first 500 (their SMTP ladder holds the byte); the others only counted, by port.
  const withLadder = report.connections.filter((c) => c.ladder.length > 0).length;
  assert.equal(withLadder, 500);
  assert.ok(report.connections.every((c) => c.protocol === 'smtp' && c.streams.client.bytes === 1));
});

test('memory running short: running dissections end with what they found, new connections get none, the message says so', async () => {
  const te = new TextEncoder();
  // An HTTP response whose 10 MB body is still arriving, then a flood of new connections.
  const head = te.encode('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n\r\n');
  const http = conversation(0x0a000001, 40000, 0x0a000002, 80, [
    ['client', te.encode('GET /big HTTP/1.1\r\nHost: a.test\r\n\r\n')],
    ['server', new Uint8Array([...head, ...new Uint8Array(30_000).fill(0x61)])],
  ]);
  const beforeFin = http.length - 3; // the frame where the host finds memory short: the body still arriving
  const bytes = pcapOf([...http, ...flood(500)]);
  const analyzer = new Analyzer({ hashes: nodeHashes });
  const reader = createCaptureReader({
    onRecord: (r) => {
      if (r.frame === beforeFin) analyzer.memoryRunsShort(); // as load-capture does past LIMITS.memory
      analyzer.add(r);
    },
  });
  reader.push(bytes);
  const out = await analyzer.finish();
  const report = buildReport(reader.end(), out, bytes.length);
  assert.equal(report.connections.length, 1);
  assert.equal(out.index.conn[http.length], -1);
  const d = report.capture.diagnostics[0];
  assert.equal(d.code, 'capture.limit.memory');
  assert.equal(
    d.message,
    `${LIMITS.memory.message} (from frame ${beforeFin}: 1 dissections ended there, 1 connections tracked in all, 500 later packets without a connection)`,
  );
  // The HTTP connection keeps what its dissection found before memory ran short.
  const ladder = report.connections[0].ladder.map((e) => e.label);
  assert.ok(
    ladder.some((l) => l.startsWith('GET /big')) && ladder.some((l) => l.startsWith('200')),
    ladder.join(' | '),
  );
  assert.equal(
    report.connections[0].streams.server.bytes,
    head.length + 30_000,
    'the stream is still counted whole',
  );
});

test('the dissection limit counts connections open at once: 1,200 closed one after another are all dissected', async () => {
  const te = new TextEncoder();
  const packets: Uint8Array[] = [];
  for (let i = 0; i < 1200; i++)
    packets.push(
      ...conversation(0x0a000001, 20000 + i, 0x0a000002, 25, [
        ['server', te.encode('220 ready\r\n')],
        ['client', te.encode('QUIT\r\n')],
        ['server', te.encode('221 bye\r\n')],
      ]),
    );
  const { report } = await analyze(pcapOf(packets), { maxConnections: 2000, maxDissectedConnections: 100 });
  assert.equal(report.connections.length, 1200);
  assert.ok(report.connections.every((c) => c.ladder.some((e) => e.kind === 'reply')));
  assert.ok(!report.capture.diagnostics.some((d) => d.code.startsWith('capture.limit')));
});

test('packets past the packet limit are not read, and the load says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-flood-'));
  try {
    const path = join(dir, 'flood.pcap');
    writeFileSync(path, connectionFloodCapture(300));
    const loaded = await loadCapture(path, { maxPackets: 100, workers: 0, offload: false });
    assert.equal(loaded.output.index.count, 100);
    assert.equal(loaded.output.diagnostics[0].code, 'capture.limit.packets');
    assert.equal(loaded.output.diagnostics[0].message, `${LIMITS.packets.message} (200 packets not read)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the defaults are the documented limits', () => {
  assert.equal(DEFAULT_REASSEMBLY_LIMITS.maxConnections, LIMITS.connections.value);
  assert.equal(DEFAULT_REASSEMBLY_LIMITS.maxDissectedConnections, LIMITS.dissectedConnections.value);
  assert.equal(DEFAULT_REASSEMBLY_LIMITS.maxBufferedBytesTotal, LIMITS.reassemblyTotal.value);
  assert.deepEqual(
    [LIMITS.connections.value, LIMITS.dissectedConnections.value, LIMITS.packets.value, LIMITS.memory.value],
    [1_000_000, 50_000, 30_000_000, 0.7],
  );
});

test('flows flooding one pair of ports are found by their addresses, in both directions (not by walking them all)', () => {
  const t = new FlowTable<number>();
  const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const n = 100_000;
  for (let i = 0; i < n; i++) t.set(ip(i), 1025, '127.0.0.1', 25, i);
  t.set('127.0.0.1', 25, ip(7), 1025, -7); // the same flow from the other side: replaced
  for (let i = 0; i < n; i += 997) {
    assert.equal(t.get(ip(i), 1025, '127.0.0.1', 25), i === 7 ? -7 : i);
    assert.equal(t.get('127.0.0.1', 25, ip(i), 1025), i === 7 ? -7 : i);
  }
  assert.equal(t.get(ip(n), 1025, '127.0.0.1', 25), undefined);
  assert.equal(t.get(ip(3), 25, '127.0.0.1', 1025), undefined, 'the ports belong to the addresses');
  // Equal ports on both sides: one flow whichever way round.
  for (let i = 0; i < 40; i++) t.set(ip(i), 5000, '127.0.0.1', 5000, 1000 + i);
  assert.equal(t.get('127.0.0.1', 5000, ip(39), 5000), 1039);
});
