/**
 * More of the browser UI on real captures: the TLS summary of an implicit-TLS connection (SNI,
 * versions, JA3/JA4, certificate subject and issuer, where encryption starts), keyboard navigation
 * in the packet list, the hex pane pointing back at the field a byte belongs to, and the connection
 * list's text filter.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { FIXTURES, ROOT } from '../helpers/fixtures';

let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;

before(async () => {
  engine = new Engine({});
  await engine.openFile(join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'tls', 'tls-pre-1970', 'input.pcap'));
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await page.goto(server.url);
  await page.getByTestId('connection-row').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

test('the TLS summary names SNI, certificate and where encryption starts', async () => {
  await page.getByTestId('connection-row').first().click();
  const tls = page.getByTestId('tls-summary');
  await tls.waitFor();
  // The fingerprints are behind a disclosure for experts.
  await page.getByTestId('tls-expert').locator('summary').click();
  const text = await tls.innerText();
  assert.match(text, /TLS \(implicit\)/);
  assert.match(text, /SNI fkp\.samsungcloudsolution\.com/);
  assert.match(text, /Certificate: OU=vd, CN=fkp\.samsungcloudsolution\.com — issued by C=KR/);
  assert.match(text, /JA3 [0-9a-f]{32} · JA4 t10d/);
  assert.match(text, /Encrypted from frame \d+ \(client\)/);
});

test('the ladder marks ClientHello and ServerHello with TLS glyphs and shades where encryption starts', async () => {
  const markers = page.getByTestId('tls-marker');
  await markers.first().waitFor({ state: 'attached' });
  const titles = await markers.locator('title').allTextContents();
  assert.deepEqual(titles.slice(0, 2), ['ClientHello', 'ServerHello']);
  assert.ok(titles.includes('encrypted from here'), titles.join(', '));
  const band = page.getByTestId('encrypted-band');
  assert.match((await band.textContent()) ?? '', /encrypted below this line/);
  assert.equal(await page.getByTestId('handshake-mark').count(), 3);
  // Lanes are named by address and port, never merged into one.
  const ladderText = (await page.getByTestId('ladder').textContent()) ?? '';
  const conn = (await page.getByTestId('connection-row').first().innerText()).split('\t');
  assert.ok(ladderText.includes(conn[1]) && ladderText.includes(conn[2]), ladderText.slice(0, 200));
});

test('↓ and ↑ move the selection in the packet list', async () => {
  await page.getByTestId('packet-row').first().click();
  await page.getByTestId('packet-list').press('ArrowDown');
  await page.getByTestId('packet-list').press('ArrowDown');
  await page.getByTestId('packet-list').press('ArrowUp');
  const selected = await page.locator('[data-testid="packet-row"].selected span:first-child').innerText();
  assert.equal(selected, '2');
  assert.match(await page.getByTestId('packet-detail').innerText(), /^Frame 2:/);
});

test('a byte in the hex pane points at its field, and a field at its bytes', async () => {
  // This capture is raw IPv4 (link type 101): byte 9 is the IP protocol number.
  await page.getByTestId('hex-byte').nth(9).click();
  assert.match(await page.locator('.active-field').innerText(), /Protocol: TCP \(6\)/);
  assert.equal(await page.locator('.hex .mark').count(), 2, 'the byte and its ASCII twin are marked');
  await page.getByTestId('field').filter({ hasText: /^Time to Live/ }).click();
  assert.equal(await page.locator('.hex .mark').count(), 2);
});

test('the connection list filters by text', async () => {
  const before = await page.getByTestId('connection-row').count();
  await page.getByTestId('connections-filter').fill(':443');
  assert.ok((await page.getByTestId('connection-row').count()) >= 1);
  await page.getByTestId('connections-filter').fill('no-such-thing');
  assert.equal(await page.getByTestId('connection-row').count(), 0);
  await page.getByTestId('connections-filter').fill('');
  assert.equal(await page.getByTestId('connection-row').count(), before);
});

test('the ladder and the handshake timeline export as SVG and PNG; Follow stream switches to hex and saves as text', async () => {
  await page.getByTestId('connection-row').first().click();
  await page.getByRole('tab', { name: 'Handshake and ladder' }).click();
  // The exports are in the connection's More menu.
  await page.getByTestId('more-menu').click();
  const get = async (testid: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
  };
  const svg = await get('export-ladder-svg');
  assert.equal(svg.name, 'connection-0-ladder.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const view = await engine.getConnection((await engine.listCaptures())[0].id, 0);
  assert.equal(text.match(/<g class="arrow /g)?.length, view.ladder.length, 'the export holds every event, not only those on screen');
  assert.ok(text.includes('TLS: encrypted below this line'));
  const png = await get('export-ladder-png');
  assert.equal(png.name, 'connection-0-ladder.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const tl = await get('export-timeline-svg');
  assert.match(tl.bytes.toString('utf8'), /SYN, ACK/);
  const tlPng = await get('export-timeline-png');
  assert.deepEqual([...tlPng.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

  await page.getByTestId('follow-tab').click();
  await page.getByTestId('follow-mode').selectOption('hex');
  // The client's first bytes are a TLS handshake record: content type 0x16, version 0x03 0x0X.
  assert.match(await page.locator('pre.turn.client').first().innerText(), /^00000000 {2}16 03 0[0-3]/);
  const saved = await get('follow-save');
  assert.equal(saved.name, 'connection-0-stream.txt');
  assert.match(saved.bytes.toString('utf8'), /^Follow TCP stream: client .* \(hex; C> client, S< server\)\n\nC> 00000000 {2}16 03/);
});

test('time-scaled ladder, dark theme and zoom for the projector (kept after a reload)', async () => {
  await page.getByRole('tab', { name: 'Handshake and ladder' }).click();
  await page.getByTestId('ladder-time').check();
  const labels = await page.getByTestId('ladder-time-label').allTextContents();
  assert.equal(labels[0], '+0.000 s');
  const secs = labels.map((l) => Number(l.slice(1, -2)));
  assert.deepEqual(secs, [...secs].sort((a, b) => a - b));
  await page.getByTestId('theme-toggle').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(20, 24, 31)');
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  assert.equal(await page.getByTestId('zoom-level').innerText(), '125%');
  await page.screenshot({ path: join(ROOT, 'test-artifacts', 'dark-zoomed-time-ladder.png') });
  await page.reload();
  await page.getByTestId('zoom-level').waitFor();
  assert.equal(await page.getByTestId('zoom-level').innerText(), '125%');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('zoom-out').click();
  await page.getByTestId('zoom-out').click();
  assert.equal(await page.getByTestId('zoom-level').innerText(), '100%');
});

test('a capture whose statistics record dropped packets says so in the status bar (with its format); one without says nothing', async () => {
  assert.equal(await page.getByTestId('capture-dropped').count(), 0);
  await page.getByTestId('open-file').setInputFiles(join(FIXTURES, 'recorded', 'dumpcap', 'dropped-burst.pcapng'));
  // The format is the one the bytes showed (the page was told 'pcap' before the load ended).
  await page.getByTestId('status').filter({ hasText: '3448 packets · 0 connections · pcapng · opened in' }).waitFor({ timeout: 15000 });
  const warning = page.getByTestId('capture-dropped');
  await warning.waitFor();
  assert.match(await warning.innerText(), /recorded 33104 packets dropped on lo \(it received 3448\)/);
  await page.screenshot({ path: join(ROOT, 'test-artifacts', 'capture-dropped.png') });
});
