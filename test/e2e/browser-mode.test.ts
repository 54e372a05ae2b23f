/**
 * Browser mode end to end in Debian's Chromium (playwright-core): `wirelens serve` on the lesson
 * capture, the packet list, the connection list naming SMTP on 1025 and POP3 on 1110, the handshake
 * timeline, the ladder with AUTH LOGIN decoded and its explanation, the packet details with hex — and
 * no console error and the strict CSP on the page. Needs `npm run build` (test:all runs it).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, collectConsoleErrors } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST, SAMPLE_CAPTURE } from '../../electron/shared/paths';
import { FIXTURES, ROOT } from '../helpers/fixtures';

const ARTIFACTS = join(ROOT, 'test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let consoleErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(join(RENDERER_DIST, 'index.html')), 'run `npm run build` first');
  engine = new Engine({});
  await engine.openFile(SAMPLE_CAPTURE);
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  consoleErrors = collectConsoleErrors(page);
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

test('the page loads under the strict CSP and shows the capture status', async () => {
  const res = await page.request.get(server.url);
  assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await page.getByTestId('status').filter({ hasText: '72 packets' }).waitFor();
  assert.match(await page.getByTestId('status').innerText(), /72 packets · 2 connections · pcap/);
});

test('the packet list shows Wireshark-style rows', async () => {
  await page.getByTestId('packet-row').first().waitFor();
  const first = await page.getByTestId('packet-row').first().innerText();
  assert.match(first.replace(/\s+/g, ' '), /^1 0\.000000 127\.0\.0\.1 127\.0\.0\.1 TCP 74 57886 → 1025 \[SYN\] Seq=0/);
});

test('connections are named by protocol, and the SMTP ladder explains AUTH LOGIN', async () => {
  const rows = page.getByTestId('connection-row');
  await rows.first().waitFor();
  assert.deepEqual((await rows.allInnerTexts()).map((t) => t.split('\t')[3]), ['smtp', 'pop3']);
  await rows.first().click();
  await page.getByTestId('ladder').waitFor();
  const labels = await page.getByTestId('ladder-arrow').allTextContents();
  assert.ok(labels.some((l) => l.includes('334 VXNlcm5hbWU6 → “Username:”')), labels.join('\n'));
  await page.getByTestId('ladder-arrow').filter({ hasText: 'password “secret123”' }).click();
  const explain = await page.getByTestId('explain').innerText();
  assert.match(explain, /Anyone who captures this can read it/);
  const hs = await page.getByTestId('handshake').textContent();
  assert.match(hs ?? '', /SYN, ACK/);
  assert.match(hs ?? '', /handshake complete: RTT/);
});

test('choosing an arrow shows its packet with layers and hex bytes', async () => {
  const detail = page.getByTestId('packet-detail');
  await detail.waitFor();
  const text = await detail.innerText();
  assert.match(text, /Transmission Control Protocol/);
  assert.match(text, /0000 {2}00 00 00 00/);
});

test('Follow stream shows the conversation, client and server turns apart', async () => {
  await page.getByTestId('connection-row').nth(1).click();
  await page.getByTestId('follow-tab').click();
  const follow = page.getByTestId('follow');
  await follow.locator('pre.turn.client').first().waitFor();
  assert.equal((await follow.locator('pre.turn.client').first().innerText()).trim(), 'USER teacher');
  assert.match(await follow.locator('pre.turn.server').first().innerText(), /^\+OK Wirelens lab POP3 server ready/);
  assert.ok((await follow.innerText()).includes('Subject: Lesson 4 homework'));
});

test('choosing a ladder arrow far down the list scrolls the packet list to its frame and selects it', async () => {
  await page.getByTestId('connection-row').nth(1).click();
  await page.getByRole('tab', { name: 'Handshake and ladder' }).click();
  const last = page.getByTestId('ladder-arrow').last();
  const frame = Number(await last.locator('.frame-no').textContent());
  assert.ok(frame > 40, `frame ${frame}`);
  await last.click();
  // The explanation is real text beside the ladder (no native tooltip).
  assert.equal(await last.locator('title').count(), 0);
  assert.match(await page.getByRole('region', { name: 'Explanation' }).innerText(), /\n\S/);
  const selected = page.locator('[data-testid="packet-row"].selected span:first-child');
  await selected.filter({ hasText: new RegExp(`^${frame}$`) }).waitFor();
  await page.getByTestId('follow-tab').click();
});

test('the mail panels: POP3 mailbox, SMTP envelope vs headers, the spoof and Bcc lessons, credentials, and the attachment saved', async () => {
  await page.getByTestId('panel-tab').click();
  const pop3 = page.getByTestId('pop3-panel');
  await pop3.waitFor();
  assert.match(await pop3.innerText(), /User teacher; mailbox 1 message\(s\), 683 bytes \(STAT\); 1 message\(s\) read \(RETR\/TOP\); marked for deletion: 1 \(DELE/);
  assert.match(await page.getByTestId('credentials').innerText(), /USER\/PASS: user teacher, password apple/);

  await page.getByTestId('connection-row').first().click();
  await page.getByTestId('panel-tab').click();
  const table = page.getByTestId('envelope-vs-headers');
  await table.waitFor();
  const rows = (await table.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  assert.equal(rows[0], 'From MAIL FROM:<student@lab.local> "The Principal" <principal@school.example>');
  assert.equal(rows[1], 'To RCPT TO:<teacher@lab.local> RCPT TO:<principal@lab.local> Teacher <teacher@lab.local>');
  // principal@school.example is unrelated to the envelope's lab.local: said as a possible spoof, with the innocent reasons.
  assert.match(await page.getByTestId('spoofed-warning').innerText(), /envelope sender: student@lab\.local\. The From: domain is not the envelope sender’s domain, nor related to it: this may be a spoof .* or mail forwarded by a mailing list/);
  assert.match(await page.getByTestId('bcc-note').innerText(), /principal@lab.local received it/);
  assert.match(await page.getByTestId('credentials').innerText(), /AUTH LOGIN: user student, password secret123/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-attachment').click()]);
  assert.equal(download.suggestedFilename(), 'homework.txt');
  const saved = readFileSync((await download.path())!, 'utf8');
  assert.equal(saved, 'Homework 3: explain the difference between the envelope and the headers.\n');
  await page.screenshot({ path: join(ARTIFACTS, 'smtp-panel.png'), fullPage: true });
});

test('a display filter narrows the packet list, and a bad one says why', async () => {
  await page.getByTestId('filter-input').fill('pop.request.command == "PASS" || smtp.req.command == "MAIL"');
  await page.getByTestId('filter-input').press('Enter');
  await page.getByTestId('filter-message').filter({ hasText: '2 of 72 packets' }).waitFor();
  assert.match(await page.getByTestId('status').innerText(), /^72 packets \(2 displayed\) · 2 connections/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="packet-row"]').length === 2);
  const rows = await page.getByTestId('packet-row').locator('span:last-child').allInnerTexts();
  assert.deepEqual(rows, ['C: MAIL FROM:<student@lab.local>', 'C: PASS apple']);
  await page.getByTestId('filter-input').fill('tcp.port ==');
  await page.getByTestId('filter-input').press('Enter');
  await page.getByTestId('filter-message').filter({ hasText: 'expected a value' }).waitFor();
  await page.getByTestId('filter-input').fill('');
  await page.getByTestId('filter-input').press('Enter');
  await page.getByTestId('status').filter({ hasText: /^72 packets · 2 connections/ }).waitFor();
});

test('clicking a column header sorts the packet list: ascending, descending, then capture order', async () => {
  const all = await engine.getPackets((await engine.listCaptures())[0].id, 0, 1000);
  const max = Math.max(...all.map((r) => r.length));
  const min = Math.min(...all.map((r) => r.length));
  // The list keeps the selected packet in view (as Wireshark does): read it from the top.
  const topRows = async (column: number, text: string) => {
    await page.waitForFunction(([c, t]) => {
      (document.querySelector('[data-testid="packet-list"]') as HTMLElement).scrollTop = 0;
      return document.querySelector(`[data-testid="packet-row"] span:nth-child(${c})`)?.textContent === t;
    }, [column, text] as const);
    return (await page.getByTestId('packet-row').locator('span:nth-child(6)').allInnerTexts()).map(Number);
  };
  await page.getByTestId('sort-length').click();
  await page.getByTestId('sort-length').filter({ hasText: '▲' }).waitFor();
  const asc = await topRows(6, String(min));
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  await page.getByTestId('sort-length').click();
  await page.getByTestId('sort-length').filter({ hasText: '▼' }).waitFor();
  const desc = await topRows(6, String(max));
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  await page.getByTestId('sort-length').click();
  await page.getByTestId('sort-length').filter({ hasNotText: '▼' }).waitFor();
  await topRows(1, '1');
});

test('a capture chosen in the page opens in place of the sample (upload to the engine)', async () => {
  await page.getByTestId('open-file').setInputFiles(join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'filestore-ftp-passive-mode', 'ftp-passive-mode.pcap'));
  await page.getByTestId('status').filter({ hasText: '43 packets · 2 connections' }).waitFor();
  await page.getByTestId('connection-row').filter({ hasText: 'ftp-data' }).waitFor();
  const protocols = (await page.getByTestId('connection-row').allInnerTexts()).map((t) => t.split('\t')[3]);
  assert.deepEqual(protocols, ['ftp', 'ftp-data']);
  // The FTP panel: the PASV arithmetic, and a link to the data connection that carried the file.
  await page.getByTestId('connection-row').first().click();
  await page.getByTestId('panel-tab').click();
  const transfer = page.getByTestId('ftp-transfer');
  await transfer.waitFor();
  assert.match(await transfer.innerText(), /RETR index\.html\s+PASV\s+127\.0\.0\.1:47373 — p1 × 256 \+ p2 = 185 × 256 \+ 13 = 47373\s+#1/);
  await page.getByTestId('ftp-data-link').click();
  await page.getByTestId('panel-tab').click();
  assert.match(await page.getByTestId('ftp-data-panel').innerText(), /39 bytes from the server[\s\S]*uid=0\(root\)/);
  await page.screenshot({ path: join(ARTIFACTS, 'ftp-panel.png'), fullPage: true });
  await page.getByTestId('open-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a capture at all') });
  await page.getByTestId('status-error').waitFor();
  assert.match(await page.getByTestId('status-error').innerText(), /not a capture file: it starts with the text 'not '/);
});

test('a capture file dropped on the window opens (gzip too)', async () => {
  const bytes = readFileSync(join(FIXTURES, 'recorded', 'smtp-pop3-lesson.pcap.gz'));
  const transfer = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([bin], 'dropped-lesson.pcap.gz', { type: 'application/gzip' }));
    return dt;
  }, bytes.toString('base64'));
  await page.locator('.app').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.getByTestId('drop-hint').waitFor();
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: transfer });
  await page.getByTestId('status').filter({ hasText: '72 packets · 2 connections' }).waitFor();
  assert.equal(await page.getByTestId('drop-hint').count(), 0);
  assert.match(await page.locator('.capture-name').innerText(), /dropped-lesson\.pcap\.gz/);
});

test('Decode As: the SMTP port read as plain TCP, then the capture re-read with it', async () => {
  await page.getByTestId('connection-row').first().click();
  // Decode As is in the connection's More menu.
  await page.getByTestId('more-menu').click();
  await page.getByTestId('decode-as-protocol').selectOption('unknown');
  await page.getByTestId('decode-as-apply').click();
  await page.getByTestId('connection-row').first().filter({ hasText: 'unknown' }).waitFor();
  const protocols = (await page.getByTestId('connection-row').allInnerTexts()).map((t) => t.split('\t')[3]);
  assert.deepEqual(protocols, ['unknown', 'pop3']);
  assert.match(await page.locator('.connection-pane h2').innerText(), /chosen by user/);
});

test('no console errors', () => {
  assert.deepEqual(consoleErrors, []);
});
