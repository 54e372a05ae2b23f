/**
 * A load dissected by worker threads (each owning the flows between some pairs of addresses) gives
 * exactly what the sequential pass gives: the same `analyze --json` report (connections numbered
 * alike, FTP data connections linked to their control connection, diagnostics in the same order)
 * and the same packet-index columns — on real captures and on generated ones with many hosts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowShare } from '../../../dissectors/analysis/flow-partition';
import { buildReport } from '../../../dissectors/analysis/report';
import { createCaptureReader } from '../../../dissectors/capture/reader';
import { loadCapture, startLoad, workersFor, PARALLEL_MIN_BYTES, type LoadedCapture } from '../../../electron/engine/load-capture';
import { ParallelAnalysis } from '../../../electron/engine/parallel/parallel-analysis';
import { DEFAULT_SHAPE, generateCapture } from '../../../bench/generate-capture';
import { FIXTURES } from '../../helpers/fixtures';
import { indexColumns } from '../../helpers/index-columns';
import { readFileSync } from 'node:fs';

function reportOf(l: LoadedCapture): string {
  return JSON.stringify(buildReport(l.summary, l.output, l.source.size));
}

async function assertSameAsSequential(path: string, workers: number): Promise<LoadedCapture> {
  const seq = await loadCapture(path, { workers: 0 });
  const par = await loadCapture(path, { workers });
  assert.equal(reportOf(par), reportOf(seq), `${path}: report with ${workers} workers`);
  assert.equal(par.output.index.count, seq.output.index.count);
  const columnsSeq = indexColumns(seq.output.index);
  const columnsPar = indexColumns(par.output.index);
  for (const c of Object.keys(columnsSeq)) assert.deepEqual(columnsPar[c], columnsSeq[c], `${path}: index column ${c}`);
  return par;
}

const CAPTURES = [
  'lessons/smtp-pop3-lesson.pcap',
  'corpus/suricata-verify/tests/ftp/ftp-download-passive/input.pcap',
  'corpus/suricata-verify/tests/ftp/ftp-upload-active/input.pcap',
  'corpus/suricata-verify/tests/ftp-epsv/input.pcap',
  'corpus/suricata-verify/tests/community-id-ipv6/input.pcap',
  'corpus/suricata-verify/tests/smtp-attachment-md5/input.pcap',
  'synthetic/hostile-payloads.pcap',
  'bench-small/bench-eth-s6.pcap',
  'bench-small/bench-sll-s16.pcapng',
  'bench-small/bench-null-s11.pcap',
  'bench-small/bench-raw-s15.pcap',
];

test('real and small generated captures: workers give what one pass gives', async () => {
  for (const f of CAPTURES) await assertSameAsSequential(join(FIXTURES, f), f.startsWith('bench-small') ? 3 : 2);
});

test('a generated capture with dozens of hosts, retransmissions and reordering: same report, every stream matches its truth', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-parallel-'));
  try {
    const out = join(dir, 'mixed.pcap');
    const r = generateCapture({ out, format: 'pcap', sizeMb: 8, seed: '7', concurrency: 60, shape: DEFAULT_SHAPE, quiet: true });
    const par = await assertSameAsSequential(out, 2);
    const report = buildReport(par.summary, par.output, par.source.size);
    const byKey = new Map(report.connections.map((c) => [`${c.client} ${c.server}`, c]));
    assert.ok(r.streams.length >= 30, `${r.streams.length} streams`);
    for (const t of r.streams) {
      const c = byKey.get(`${t.client} ${t.server}`);
      assert.ok(c, `${t.client} ${t.server} found`);
      assert.deepEqual([c.streams.client.sha256, c.streams.server.sha256], [t.clientSha256, t.serverSha256]);
    }
    // Both shares had work: the flows really were split.
    const data = readFileSync(out);
    const shares = [0, 0];
    createCaptureReader({ onRecord: (rec) => shares[flowShare(rec.linkType, rec.data, 2)]++ }).push(data);
    assert.ok(shares[0] > 1000 && shares[1] > 1000, `packets per share ${shares}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('batch buffers come back from the workers and carry later batches', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-parallel-'));
  try {
    const out = join(dir, 'forty.pcap');
    generateCapture({ out, format: 'pcap', sizeMb: 40, seed: '11', concurrency: 40, shape: DEFAULT_SHAPE, quiet: true });
    const handle = await startLoad(out, { workers: 2 });
    const loaded = await handle.done;
    const par = handle.analyzer as ParallelAnalysis;
    assert.ok(par instanceof ParallelAnalysis);
    // 40 MB in batches of at most 512 KiB or 4,096 packets; the first 16 MiB wait for the workers to start, after
    // that at most 8 batches per worker are in flight, so most batches reuse a returned buffer.
    assert.ok(par.batchesSent >= 60, `${par.batchesSent} batches`);
    assert.ok(par.batchColumnsMade <= 32 + 2 * 8 + 2 + 4, `${par.batchColumnsMade} buffers for ${par.batchesSent} batches`);
    assert.equal(reportOf(loaded), reportOf(await loadCapture(out, { workers: 0 })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('flowShare puts both directions of a conversation in the same share', () => {
  const ip4 = (src: number[], dst: number[]) => {
    const d = new Uint8Array(40);
    d[0] = 0x45;
    d.set(src, 12);
    d.set(dst, 16);
    return d;
  };
  const seen = new Set<number>();
  for (let k = 1; k < 200; k++) {
    const a = [10, 0, k >> 8, k & 255];
    const b = [192, 0, 2, (k * 7) & 255];
    const s = flowShare(101, ip4(a, b), 4);
    assert.equal(flowShare(101, ip4(b, a), 4), s);
    seen.add(s);
  }
  assert.equal(seen.size, 4, 'conversations spread over every share');
  assert.equal(flowShare(101, new Uint8Array([0x60]), 4), 0, 'a truncated header goes to share 0');
});

test('how many workers a load uses', () => {
  assert.equal(workersFor(PARALLEL_MIN_BYTES - 1, {}), 0);
  assert.equal(workersFor(PARALLEL_MIN_BYTES, {}) >= 2, availableParallelism() >= 3, 'big files on three cores or more: worker threads');
  assert.equal(workersFor(10, { workers: 3 }), 3);
  assert.equal(workersFor(PARALLEL_MIN_BYTES * 4, { workers: 0 }), 0);
  assert.equal(workersFor(PARALLEL_MIN_BYTES * 4, { workers: 4, onlyConnections: new Set([1]) }), 0);
});
