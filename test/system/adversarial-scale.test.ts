/**
 * Issue 8's adversarial shapes at full scale, each opened in its own process (test/tools/
 * adversarial.ts) so its peak memory is measured: every one ends with a report, within the
 * documented memory bound (README, Limits), and says what was cut and why. In test:all (they take
 * about a minute together), not in npm test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-adversarial-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  packets: number;
  connections: number;
  truncated: boolean;
  first: { protocol: string; outcome: string; clientBytes: number; clientGaps: number; clientGapBytes: number; ladder: number; messages: Array<{ size: number; truncated: boolean }> } | null;
  diagnostics: string[];
  maxRssMb: number;
}

function run(scenario: string, workers = '0'): Result {
  const env = { ...process.env, WIRELENS_WORKERS: workers };
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/tools/adversarial.ts'), scenario, dir], { encoding: 'utf8', timeout: 10 * 60 * 1000, maxBuffer: 1 << 20, env });
  assert.equal(r.status, 0, `${scenario}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

test('a million SYN-only connections: all reported as unanswered, under 6 KB per connection at peak', () => {
  const r = run('syn-flood');
  assert.equal(r.packets, 1_000_000);
  // Every connection is tracked, unless memory ran short first (each connection keeps tshark's TCP
  // analysis state): then the load goes on without new connections and says so first.
  if (r.connections < 1_000_000) {
    assert.equal(r.diagnostics[0], 'capture.limit.memory', r.diagnostics.join());
    assert.ok(r.connections > 500_000, `${r.connections} connections`);
  }
  console.log(`million-SYN flood: ${r.connections} connections tracked, peak ${r.maxRssMb} MB`);
  assert.deepEqual([r.first?.protocol, r.first?.outcome], ['smtp', 'no-answer']);
  assert.ok(r.maxRssMb < 6000, `peak ${r.maxRssMb} MB`);
});

test('a million SYN-only connections dissected by two worker threads: the same report, under 9 KB per connection at peak', () => {
  // Worker threads (the default for files of 256 MiB or more) hold each connection twice at the
  // end — in the worker and in the merged result: the documented cost of connection-heavy captures.
  // Each connection also keeps tshark's TCP analysis state (6.2 GB measured before it was added).
  const r = run('syn-flood', '2');
  assert.equal(r.packets, 1_000_000);
  assert.equal(r.connections, 1_000_000);
  assert.deepEqual([r.first?.protocol, r.first?.outcome], ['smtp', 'no-answer']);
  console.log(`million-SYN flood, two workers: peak ${r.maxRssMb} MB`);
  assert.ok(r.maxRssMb < 9000, `peak ${r.maxRssMb} MB`);
});

test('a million segments of one connection in reverse order: bounded buffering, every byte data or a reported gap', () => {
  const r = run('reverse-order');
  assert.equal(r.packets, 1_000_003);
  assert.equal(r.first!.clientBytes + r.first!.clientGapBytes, 10_000_000);
  assert.ok(r.first!.clientGaps >= 1);
  assert.ok(r.diagnostics.includes('tcp.reassembly.buffer_limit'));
  assert.ok(r.maxRssMb < 1024, `peak ${r.maxRssMb} MB`);
});

test('an SMTP DATA of 100 MiB that never ends: sized and hashed whole, kept to 16 MiB, reported unterminated', () => {
  const r = run('endless-data');
  assert.equal(r.first!.messages.length, 1);
  assert.ok(r.first!.messages[0].size > 100_000_000);
  assert.equal(r.first!.messages[0].truncated, true);
  assert.ok(r.diagnostics.includes('smtp.data.unterminated'));
  assert.ok(r.maxRssMb < 1024, `peak ${r.maxRssMb} MB`);
});

test('100 MiB on one line with no CRLF: cut into 64 KiB pieces, reported, memory bounded', () => {
  const r = run('endless-line');
  assert.ok(r.first!.clientBytes > 100_000_000);
  assert.ok(r.diagnostics.includes('smtp.line.too_long'));
  assert.ok(r.first!.ladder <= 20_000);
  assert.ok(r.maxRssMb < 1024, `peak ${r.maxRssMb} MB`);
});

test('a section claiming 4 EiB, a billion packets in the statistics and a block 1 GiB past the end: nothing allocated for the claims', () => {
  const r = run('huge-claims');
  assert.equal(r.packets, 2);
  assert.equal(r.truncated, true);
  assert.ok(r.diagnostics.includes('pcapng.block.length_invalid'));
  assert.ok(r.maxRssMb < 300, `peak ${r.maxRssMb} MB`);
});
