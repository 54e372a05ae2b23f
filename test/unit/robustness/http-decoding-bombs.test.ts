/**
 * Issue 21 item 8: compressed HTTP bodies (brotli, gzip) that expand to hundreds of MiB each. Each
 * body is decoded only up to its cap (1 MiB or 1,000 × its compressed size, at most 32 MiB) and all
 * bodies of a capture to 512 MiB together; a body stopped by a cap is still counted and hashed as
 * sent, and its note names the limit. (A 1 MB capture of such bodies took 138 s before the budget.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { budgetedDecompress, type Decompress } from '../../../dissectors/app/http/decoding-budget';
import { decodedBodyCap, LIMITS } from '../../../dissectors/limits';
import { nodeDecompress } from '../../../electron/engine/decompress';
import { analyzeBytes } from '../../fuzz/analyze-bytes';
import { compressedZeros, httpBombCapture } from '../../fuzz/hostile-captures';

const MiB = 1024 * 1024;

function notesOf(report: unknown): string[] {
  return JSON.stringify(report).match(/\w+ body not decoded: [^"]*/g) ?? [];
}

test('brotli bombs in 4 keep-alive connections of 150 responses: ratio cap per body, then the capture budget', async () => {
  const bytes = httpBombCapture('br', 150, 256 * MiB, 4);
  const report = await analyzeBytes(bytes);
  assert.equal(report.connections.length, 4);
  const notes = notesOf(report);
  const ratio = notes.filter((n) => n === `br body not decoded: ${LIMITS.httpDecodedRatio.message}`).length;
  const total = notes.filter((n) => n === `br body not decoded: ${LIMITS.httpDecodedTotal.message}`).length;
  // 512 bodies fill the budget at 1 MiB each (their ratio cap); the 88 after them are not decoded at all.
  assert.equal(
    ratio,
    LIMITS.httpDecodedTotal.value / decodedBodyCap(compressedZeros('br', 256 * MiB).length),
  );
  assert.equal(total, 600 - ratio);
  const http = report.connections.map((c) => c.protocol);
  assert.deepEqual(http, ['http', 'http', 'http', 'http']);
});

test('gzip bomb bodies (64 MiB of zeros in 64 KB) are stopped at the 32 MiB cap of one body', async () => {
  const report = await analyzeBytes(httpBombCapture('gzip', 2, 64 * MiB));
  assert.deepEqual(
    notesOf(report),
    Array(2).fill(`gzip body not decoded: ${LIMITS.httpDecodedBody.message}`),
  );
  const http = report.connections[0].http as {
    exchanges: Array<{ response: { bodyBytes: number; bodySha256: string | null } }>;
  };
  assert.ok(
    http.exchanges.every(
      (x) => x.response.bodyBytes > 60_000 && /^[0-9a-f]{64}$/.test(x.response.bodySha256 ?? ''),
    ),
    'still counted and hashed as sent',
  );
});

test('the budget: each body asked for at most its cap, the total spent never above the capture budget', () => {
  const asked: number[] = [];
  const fake: Decompress = (_e, bytes, max) => {
    asked.push(max);
    return bytes[0] === 1
      ? { bytes: new Uint8Array(Math.min(max, 100 * MiB)) }
      : { error: `decodes to more than ${max} bytes (not decoded further)` };
  };
  const d = budgetedDecompress(fake)!;
  // A 10-byte body may decode to 1 MiB; a 1 MB one to 32 MiB (not 1,000 MB).
  assert.deepEqual(d('br', new Uint8Array(10), 1e12), { error: LIMITS.httpDecodedRatio.message });
  assert.deepEqual(d('br', new Uint8Array(1_000_000), 1e12), { error: LIMITS.httpDecodedBody.message });
  assert.deepEqual(asked, [1 * MiB, 32 * MiB]);
  // Decoded bodies spend the budget too: 33 MiB spent so far, 479 MiB left = 14 bodies of 32 MiB, then 31 MiB.
  const big = new Uint8Array(1_000_000).fill(1);
  for (let i = 0; i < 14; i++)
    assert.equal((d('gzip', big, 1e12) as { bytes: Uint8Array }).bytes.length, 32 * MiB);
  assert.equal((d('gzip', big, 1e12) as { bytes: Uint8Array }).bytes.length, 31 * MiB);
  assert.deepEqual(d('gzip', big, 1e12), { error: LIMITS.httpDecodedTotal.message });
  assert.equal(asked.length, 17, 'nothing is decoded once the budget is spent');
});

test('real bodies below the caps decode as before', () => {
  const d = budgetedDecompress(nodeDecompress)!;
  const text = Buffer.from('<html>' + 'hello, world '.repeat(5000) + '</html>');
  for (const enc of ['br', 'gzip'] as const) {
    const res = d(enc, enc === 'br' ? brotliCompressSync(text) : gzipSync(text), 32 * MiB);
    assert.ok(res && 'bytes' in res && Buffer.from(res.bytes).equals(text), enc);
  }
});
