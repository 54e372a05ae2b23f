/**
 * A ~50 MB capture opened from the page travels in chunks (begin, 512 KiB chunks in order, end) with a
 * progress bar, and the page is not blocked meanwhile. What is asserted: the WebSocket messages the
 * page sent (every one small, dozens of chunks at increasing offsets, no whole-file message), the
 * progress bar seen part-way, and the capture opened with every packet. The page's long tasks
 * (PerformanceObserver 'longtask') during the upload are measured and must stay under 100 ms; on a
 * loaded machine a single task can stretch, so one outlier up to 250 ms is tolerated and reported.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { UPLOAD_CHUNK_BYTES } from '../../api/engine-api';
import { Engine } from '../../electron/engine/engine';
import { launchChromium } from '../helpers/browser';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { ipv4TcpPacket, writePcap } from '../helpers/capture-writer';
import type { Browser } from 'playwright-core';

let dir: string;
let file: string;
let packets: number;
let engine: Engine;
let server: RunningServer;
let browser: Browser;

/** One TCP connection's data, client to server: `count` segments of 1400 bytes (raw IPv4, link type 101). */
function bigCapture(count: number): Buffer {
  const payload = new Uint8Array(1400).map((_, i) => 65 + (i % 26));
  const template = writePcap({
    little: true,
    nanos: false,
    linkType: 101,
    snapLen: 65535,
    records: [
      {
        tsSec: 1_700_000_000,
        tsFrac: 0,
        origLen: 1440,
        data: ipv4TcpPacket({
          src: 0x7f000001,
          dst: 0x7f000001,
          sport: 40000,
          dport: 8080,
          seq: 1000,
          ack: 1,
          flags: 0x18,
          payload,
        }),
      },
    ],
  }).bytes;
  const head = Buffer.from(template.subarray(0, 24));
  const record = Buffer.from(template.subarray(24));
  const out = Buffer.alloc(24 + record.length * count);
  head.copy(out, 0);
  for (let i = 0; i < count; i++) {
    const at = 24 + i * record.length;
    record.copy(out, at);
    out.writeUInt32LE(i % 1_000_000, at + 4); // microseconds
    out.writeUInt32LE(1_700_000_000 + Math.floor(i / 1_000_000), at);
    out.writeUInt32BE((1000 + i * 1400) >>> 0, at + 16 + 24); // TCP sequence number
  }
  return out;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirelens-upload-'));
  packets = 36_000;
  const bytes = bigCapture(packets);
  assert.ok(bytes.length > 50_000_000, `${bytes.length} bytes`);
  file = join(dir, 'big-upload.pcap');
  writeFileSync(file, bytes);
  engine = new Engine({});
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a 50 MB capture is uploaded in 512 KiB chunks with a progress bar, without blocking the page', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  try {
    await page.addInitScript(() => {
      const w = window as unknown as {
        sent: Array<{ length: number; method: string; offset?: number; at: number }>;
        longTasks: Array<{ start: number; duration: number }>;
        progressSeen: number[];
      };
      w.sent = [];
      w.longTasks = [];
      w.progressSeen = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data: string | ArrayBufferLike | Blob | ArrayBufferView) {
        const text = typeof data === 'string' ? data : '';
        const method = /"method":"(\w+)"/.exec(text.slice(0, 200))?.[1] ?? '?';
        const offset =
          method === 'uploadChunk'
            ? Number(/"params":\["[0-9a-f]+",(\d+)/.exec(text.slice(0, 200))?.[1])
            : undefined;
        w.sent.push({ length: text.length, method, offset, at: performance.now() });
        return send.call(this, data);
      };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      // The progress bar's values as the page shows them.
      new MutationObserver(() => {
        const p = document.querySelector<HTMLProgressElement>('[data-testid="upload-progress"]');
        if (p && w.progressSeen[w.progressSeen.length - 1] !== p.value) w.progressSeen.push(p.value);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    await page.goto(server.url);
    await page.getByText('No capture open').waitFor();
    const started = await page.evaluate(() => performance.now());
    await page.getByTestId('open-file').setInputFiles(file);
    await page
      .getByTestId('status')
      .filter({ hasText: `${packets} packets` })
      .waitFor({ timeout: 120_000 });
    type Seen = { length: number; method: string; offset?: number; at: number };
    const sent = (await page.evaluate(() => (window as unknown as { sent: unknown }).sent)) as Seen[];
    const longTasks = (await page.evaluate(
      () => (window as unknown as { longTasks: unknown }).longTasks,
    )) as Array<{ start: number; duration: number }>;
    const progressSeen = (await page.evaluate(
      () => (window as unknown as { progressSeen: unknown }).progressSeen,
    )) as number[];

    // The chunking: begin, every chunk in order at UPLOAD_CHUNK_BYTES steps, end; no message carries the file whole.
    const methods = sent.map((s) => s.method);
    assert.equal(methods.filter((m) => m === 'openUpload').length, 0, 'not uploaded whole');
    assert.equal(methods.filter((m) => m === 'beginUpload').length, 1);
    assert.equal(methods.filter((m) => m === 'endUpload').length, 1);
    const chunks = sent.filter((s) => s.method === 'uploadChunk');
    const size = 24 + packets * (16 + 1440);
    assert.equal(chunks.length, Math.ceil(size / UPLOAD_CHUNK_BYTES), 'one message per chunk');
    chunks.forEach((c, i) => assert.equal(c.offset, i * UPLOAD_CHUNK_BYTES, `chunk ${i} offset`));
    const biggest = Math.max(...sent.map((s) => s.length));
    assert.ok(biggest < 1.5 * UPLOAD_CHUNK_BYTES, `largest message ${biggest} characters`);
    assert.ok(
      methods.indexOf('beginUpload') < methods.indexOf('uploadChunk') &&
        methods.lastIndexOf('uploadChunk') < methods.indexOf('endUpload'),
    );
    // The progress bar was seen part-way.
    const partWay = progressSeen.filter((v) => v > 0 && v < size);
    assert.ok(
      partWay.length >= 3,
      `progress values seen: ${progressSeen.length} (${partWay.length} part-way)`,
    );
    for (let i = 1; i < progressSeen.length; i++)
      assert.ok(progressSeen[i] >= progressSeen[i - 1], 'progress only grows');

    // Long tasks while uploading: from the upload's begin to its end (the capture's first drawing after it is not the upload's).
    const from = sent.find((s) => s.method === 'beginUpload')!.at;
    const to = sent.find((s) => s.method === 'endUpload')!.at;
    const during = longTasks
      .filter((l) => l.start + l.duration >= from && l.start <= to)
      .map((l) => Math.round(l.duration));
    const all = longTasks
      .filter((l) => l.start >= started)
      .map((l) => `${Math.round(l.duration)}@${Math.round(l.start - from)}`);
    t.diagnostic(
      `upload took ${Math.round(to - from)} ms; long tasks during it (ms): ${during.length ? during.join(', ') : 'none'}; all after choosing the file (ms@since begin): ${all.join(', ')}`,
    );
    const over = during.filter((d) => d >= 100);
    assert.ok(over.length <= 1 && over.every((d) => d < 250), `tasks of 100 ms or more: ${over.join(', ')}`);
  } finally {
    await page.close();
  }
});
