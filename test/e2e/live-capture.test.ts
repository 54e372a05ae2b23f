/**
 * Live capture end to end in browser mode (Chromium + a real capture on lo; needs capture rights,
 * which test:all has): the page starts a capture with a BPF filter, a student's SMTP session is
 * typed to the lab mail server, and the connection and its ladder appear while the capture runs;
 * Stop turns it into an ordinary capture whose file can be saved. Screenshots go to
 * test-artifacts/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, collectConsoleErrors } from '../helpers/browser';
import { readCaptureBytes } from '../../dissectors/capture/reader';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { waitForOutput } from '../helpers/child-output';
import { ROOT } from '../helpers/fixtures';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const SMTP = 45025;
let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let mail: ChildProcess;
let consoleErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(join(RENDERER_DIST, 'index.html')), 'run `npm run build` first');
  mkdirSync(ARTIFACTS, { recursive: true });
  mail = spawn(process.execPath, [join(ROOT, 'scripts/lesson/mini-mail-server.mjs')], { env: { ...process.env, SMTP_PORT: String(SMTP), POP3_PORT: '45110' } });
  await waitForOutput(mail, /lab mail server/);
  engine = new Engine({});
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0, captureFile: (id) => engine.captureFile(id) });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  consoleErrors = collectConsoleErrors(page);
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  // Live captures are kept after the engine closes (by design): this test removes its own.
  const files = engine ? (await engine.listCaptures()).filter((c) => c.live).map((c) => engine.captureFile(c.id)?.path) : [];
  await engine?.close();
  for (const f of files) if (f) rmSync(f, { force: true });
  mail?.kill();
});

test('start a capture on lo from the page, watch the SMTP ladder grow, stop and save', async () => {
  await page.getByTestId('capture-open').click();
  const iface = page.getByTestId('capture-iface');
  await iface.locator('option[value="lo"]').waitFor({ state: 'attached' });
  assert.equal(await iface.inputValue(), 'lo', 'the loopback interface is chosen first');
  await page.getByTestId('capture-filter').fill(`tcp port ${SMTP}`);
  assert.equal(await page.getByTestId('capture-backend').inputValue(), 'auto', 'dumpcap when installed (test:all installs it), else cap');
  await page.getByTestId('capture-start').click();
  await page.getByTestId('capture-stop').waitFor();
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor();

  const typer = spawn(process.execPath, [join(ROOT, 'scripts/lesson/type-session.mjs'), 'smtp', String(SMTP)], { stdio: 'ignore' });
  const typed = new Promise<number | null>((r) => typer.once('exit', r));
  await page.getByTestId('connection-row').first().waitFor({ timeout: 15000 });
  await page.getByTestId('connection-row').first().click();
  await page.getByTestId('ladder-arrow').first().waitFor({ timeout: 15000 });
  const early = await page.getByTestId('ladder-arrow').count();
  assert.equal(typer.exitCode, null, 'the ladder is drawn while the student is still typing');
  await page.screenshot({ path: join(ARTIFACTS, 'live-capture-running.png') });
  assert.equal(await typed, 0);
  // The ladder grows to the whole session (QUIT is its last command) without reloading the page.
  await page.getByTestId('ladder-arrow').filter({ hasText: 'QUIT' }).waitFor({ timeout: 15000 });
  assert.ok((await page.getByTestId('ladder-arrow').count()) > early);
  assert.equal(await page.getByTestId('handshake-mark').count(), 3);
  assert.match(await page.getByTestId('capture-stats').innerText(), /capturing on lo \(tcp port 45025\) with dumpcap: \d+ packets written/);

  await page.getByTestId('capture-stop').click();
  await page.getByTestId('capture-download').waitFor({ timeout: 15000 });
  const status = await page.getByTestId('status').innerText();
  const packets = Number(/(\d+) packets/.exec(status)?.[1]);
  assert.match(status, /\d+ packets · 1 connections · pcapng · captured with dumpcap, 0 dropped by the kernel/);
  await page.screenshot({ path: join(ARTIFACTS, 'live-capture-stopped.png') });

  // Save: the download is the pcapng of exactly these packets.
  const href = await page.getByTestId('capture-download').getAttribute('href');
  const res = await page.request.get(new URL(href!, server.url).href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'] ?? '', /attachment; filename="live-lo_tcp_port_45025_.pcapng"/);
  const saved = readCaptureBytes(new Uint8Array(await res.body()));
  assert.equal(saved.summary.format, 'pcapng');
  assert.equal(saved.records.length, packets);
  assert.deepEqual(consoleErrors, []);
});
