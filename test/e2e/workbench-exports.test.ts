/**
 * The workbench drawer in Chromium (browser mode) on a public web capture: Expert Information shows
 * the engine's counts by severity and a frame link selects the packet; Export Objects lists every
 * object, saves one (sha256 as listed) and all of them as one .zip (each entry's sha256 as listed);
 * Ctrl+M marks the selected packet and Export packets saves the marked one as pcap, read back with
 * the project's reader; a comment typed in the drawer shows in the packet details and is saved in
 * the exported pcapng. Also the 1366×768 screenshots of the drawer (docs/images with WIRELENS_SHOTS_DIR=docs/images).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Download, Page } from 'playwright-core';
import { readCaptureBytes } from '../../dissectors/capture/reader';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { collectConsoleErrors, launchChromium, screenshotPath } from '../helpers/browser';
import { FIXTURES } from '../helpers/fixtures';

const WEB = join(FIXTURES, 'corpus/chrissanders-packets/http_espn.pcapng');
const LESSON = join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap');
let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];
let id: string;
/** The packet test 3 marks (and test 4 comments). */
let chosen = 0;

before(async () => {
  engine = new Engine({});
  // A second capture open in the engine, for Merge (the page shows the last one opened).
  await engine.openAndWait(LESSON);
  id = (await engine.openFile(WEB)).id;
  await engine.session(id).ready();
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    bypassCSP: true,
  });
  errors = collectConsoleErrors(page);
  await page.goto(server.url);
  await page.getByTestId('packet-row').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

async function downloaded(click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path!) };
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Entries of a stored (uncompressed) zip, from its central directory. */
function unzip(zip: Buffer): Array<{ name: string; bytes: Buffer }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const size = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({ name, bytes: zip.subarray(dataAt, dataAt + size) });
    at += 46 + nameLen + extra;
  }
  return out;
}

test('Expert Information: the engine counts per severity, entries with counts, a frame link selects the packet', async () => {
  await page.getByTestId('workbench-button').click();
  await page.getByTestId('expert-info').waitFor();
  const data = await engine.getExpertInfo(id);
  for (const s of ['error', 'warn', 'note', 'chat'] as const)
    assert.equal(await page.getByTestId(`expert-total-${s}`).innerText(), String(data.totals[s]), s);
  assert.equal(await page.getByTestId('expert-entry').count(), data.entries.length);
  // A TCP entry with frames (Wireshark's summary text, e.g. "Connection reset (RST)").
  const entry = data.entries.find((e) => e.protocol === 'TCP' && e.severity === 'warn' && e.items[0]?.frame)!;
  assert.ok(entry, 'the capture has a TCP warning');
  const retrans = page.getByTestId('expert-entry').filter({ hasText: entry.summary });
  const escaped = entry.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(
    await retrans.first().innerText(),
    new RegExp(`Warning\\s+${escaped}\\s+${entry.group}\\s+TCP\\s+${entry.count}`),
  );
  await retrans.first().locator('summary').click();
  await page.screenshot({ path: screenshotPath('workbench-expert-info.png') });
  const first = entry.items[0].frame!;
  await retrans.first().getByTestId('expert-frame').first().click();
  await page
    .getByTestId('packet-detail')
    .locator('h3', { hasText: new RegExp(`^Frame ${first}:`) })
    .waitFor();
  // Keyboard: an entry (here the last, still closed) opens with Enter; its packets are buttons.
  const last = page.getByTestId('expert-entry').last();
  assert.equal(await last.locator('details').getAttribute('open'), null);
  await last.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await last.locator('details').getAttribute('open'), '');
  await last.getByTestId('expert-frame').first().focus();
  await page.keyboard.press('Enter');
  const f = (await last.getByTestId('expert-frame').first().innerText()).replace('frame ', '');
  await page
    .getByTestId('packet-detail')
    .locator('h3', { hasText: new RegExp(`^Frame ${f}:`) })
    .waitFor();
});

test('Export Objects: every object listed; one saved and all saved as a .zip, each with its listed sha256', async () => {
  await page.getByTestId('wb-tab-objects').click();
  await page.getByTestId('export-objects').waitFor();
  const list = await engine.listExportObjects(id);
  await page.getByTestId('object-row').first().waitFor();
  assert.equal(await page.getByTestId('object-row').count(), list.length);
  await page.screenshot({ path: screenshotPath('workbench-export-objects.png') });
  const one = await downloaded(() =>
    page
      .getByTestId('object-row')
      .nth(2)
      .getByRole('button', { name: /^Save / })
      .click(),
  );
  assert.equal(one.name, list[2].filename);
  assert.equal(sha(one.bytes), list[2].sha256);
  const all = await downloaded(() => page.getByTestId('objects-save-all').click());
  assert.match(all.name, /objects\.zip$/);
  const entries = unzip(all.bytes);
  assert.equal(entries.length, list.length);
  assert.deepEqual(entries.map((e) => sha(e.bytes)).sort(), list.map((o) => o.sha256).sort());
  // Only HTTP here: the protocol list narrows the table.
  await page.getByTestId('objects-protocol').selectOption('imf');
  assert.equal(await page.getByTestId('object-row').count(), 0);
});

test('Ctrl+M marks the selected packet; Export packets saves the marked one as pcap with its timestamp', async () => {
  await page.getByTestId('packet-row').nth(4).click();
  // The selected packet's number, from the row the list shows selected (the list may scroll to it).
  chosen = Number(await page.locator('[data-testid="packet-row"].selected span:first-child').innerText());
  await page.keyboard.press('Control+m');
  await page.getByTestId('workbench-button').filter({ hasText: '1 marked' }).waitFor();
  assert.deepEqual(await engine.setMarked(id, [], true), [chosen]);
  await page.getByTestId('wb-tab-packets').click();
  await page.getByRole('radio', { name: /^marked \(1\)/ }).check();
  await page.getByTestId('export-format').selectOption('pcap');
  await page.screenshot({ path: screenshotPath('workbench-export-packets.png') });
  const file = await downloaded(() => page.getByTestId('export-packets-save').click());
  const back = readCaptureBytes(file.bytes);
  assert.equal(back.summary.format, 'pcap');
  assert.equal(back.records.length, 1);
  const source = readCaptureBytes(readFileSync(WEB)).records[chosen - 1];
  assert.equal(back.records[0].tsSec, source.tsSec);
  assert.equal(back.records[0].tsNsec, source.tsNsec);
  assert.deepEqual(Buffer.from(back.records[0].data), Buffer.from(source.data));
});

test('a comment typed in the drawer shows in the packet details and is saved in the exported pcapng', async () => {
  await page.getByTestId('wb-tab-notes').click();
  await page.getByTestId('comment-text').fill('Look: the server answers from its cache <b>here</b>');
  await page.getByTestId('comment-save').click();
  await page
    .getByRole('status')
    .filter({ hasText: `comment saved on packet ${chosen}` })
    .waitFor();
  // The packet list shows the mark and the comment (a marker whose tooltip is the text).
  const row = page.getByTestId('packet-row').filter({ has: page.getByTestId('row-comment') });
  await row.first().waitFor();
  assert.equal(
    await row.first().getByTestId('row-comment').getAttribute('title'),
    'Look: the server answers from its cache <b>here</b>',
  );
  assert.match((await row.first().getAttribute('class')) ?? '', /\bmarked\b/);
  // Another packet, then this one again from the list of comments: its details show the comment first.
  await page.getByTestId('packet-row').first().click();
  await page
    .getByTestId('packet-notes')
    .getByRole('button', { name: `packet ${chosen}` })
    .click();
  const detail = page.getByTestId('packet-detail');
  await detail.locator('h3', { hasText: new RegExp(`^Frame ${chosen}:`) }).waitFor();
  await detail.getByText('Look: the server answers from its cache <b>here</b>').waitFor();
  assert.equal(
    await page.getByTestId('comment-text').inputValue(),
    'Look: the server answers from its cache <b>here</b>',
    "the box shows the packet's comment again",
  );
  assert.equal(await detail.locator('b').count(), 0, 'a comment is text, never HTML');
  await page.screenshot({ path: screenshotPath('workbench-comments.png') });
  // Time reference: the packet's time becomes 0, the next one is timed from it.
  await page.getByTestId('wb-tab-notes').click();
  await page.getByTestId('time-ref-toggle').click();
  await page
    .getByTestId('workbench-button')
    .filter({ hasText: `time from ${chosen}` })
    .waitFor();
  const refRow = page.locator('[data-testid="packet-row"].selected');
  await refRow.locator('span:nth-child(2)', { hasText: /^0\.000000$/ }).waitFor();
  await page.getByTestId('time-ref-toggle').click();
  await page.getByTestId('workbench-button').filter({ hasNotText: 'time from' }).waitFor();
  await page.getByTestId('wb-tab-packets').click();
  await page.getByRole('radio', { name: /^range/ }).check();
  await page.getByLabel('first packet').fill(String(chosen));
  await page.getByLabel('last packet').fill(String(chosen + 1));
  await page.getByTestId('export-format').selectOption('pcapng');
  const file = await downloaded(() => page.getByTestId('export-packets-save').click());
  const back = readCaptureBytes(file.bytes);
  assert.equal(back.records.length, 2);
  assert.equal(back.records[0].comment, 'Look: the server answers from its cache <b>here</b>');
  assert.equal(back.records[1].comment, undefined);
  assert.deepEqual(errors, []);
});

test('Merge: two open captures become one in time order, shown in place of the current one', async () => {
  await page.getByTestId('wb-tab-merge').click();
  const merge = page.getByTestId('merge-captures');
  await merge.getByText('smtp-pop3-lesson.pcap').waitFor();
  await merge.getByRole('checkbox', { name: /smtp-pop3-lesson\.pcap/ }).check();
  await page.screenshot({ path: screenshotPath('workbench-merge.png') });
  await page.getByTestId('merge-run').click();
  await page.locator('.capture-name', { hasText: 'http_espn+smtp-pop3-lesson.pcapng' }).waitFor();
  const total =
    readCaptureBytes(readFileSync(WEB)).records.length +
    readCaptureBytes(readFileSync(LESSON)).records.length;
  await page
    .getByTestId('status')
    .filter({ hasText: `${total} packets` })
    .waitFor();
  assert.deepEqual(errors, []);
});

test('Follow stream saves as text and as the raw bytes of the conversation', async () => {
  // The merged capture is shown; its lesson connection is chosen.
  await page.getByTestId('workbench').getByRole('button', { name: 'Close the workbench' }).click();
  const heading = await page.locator('.conn-head h2').innerText();
  const conn = Number(/^#(\d+) /.exec(heading)![1]);
  const merged = (await engine.listCaptures()).at(-1)!;
  await page.getByTestId('follow-tab').click();
  const text = await downloaded(() => page.getByTestId('follow-save').click());
  assert.match(text.bytes.toString('utf8'), /^Follow TCP stream: client /);
  const raw = await downloaded(() => page.getByTestId('follow-save-raw').click());
  assert.equal(raw.name, `connection-${conn}-stream.bin`);
  const f = await engine.follow(merged.id, conn);
  const want = Buffer.concat(
    f.segments.filter((s) => s.bytesBase64).map((s) => Buffer.from(s.bytesBase64!, 'base64')),
  );
  assert.ok(want.length > 0);
  assert.deepEqual(raw.bytes, want);
  assert.deepEqual(errors, []);
});

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

test('axe-core: no serious or critical violation in any tab of the workbench, light and dark', async () => {
  await page.addScriptTag({ content: AXE_SOURCE });
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByTestId('theme-toggle').click();
    await page.getByTestId('workbench-button').click();
    for (const tab of ['expert', 'objects', 'packets', 'notes', 'merge']) {
      await page.getByTestId(`wb-tab-${tab}`).click();
      await page.waitForTimeout(300);
      const found = await page.evaluate(async () => {
        const w = window as unknown as {
          axe: {
            run(
              ctx: string,
              opts: object,
            ): Promise<{
              violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }>;
            }>;
          };
        };
        return (await w.axe.run('#wb-drawer', { resultTypes: ['violations'] })).violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
      });
      assert.deepEqual(
        found.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
        `${theme} ${tab}`,
      );
    }
    await page.getByTestId('workbench').getByRole('button', { name: 'Close the workbench' }).click();
  }
});
