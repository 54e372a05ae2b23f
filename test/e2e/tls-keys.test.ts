/**
 * TLS keys in the app, end to end in Chromium (browser mode): a capture of SMTP on 465 opens with its
 * encrypted band and no command inside; "TLS keys…" with the session's key log re-reads it, says what
 * it loaded and decrypted, and the ladder then shows AUTH LOGIN and the password inside the band;
 * "Save with keys…" then downloads a pcapng that decrypts alone.
 * Needs `npm run build:renderer`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, collectConsoleErrors } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { FIXTURES } from '../helpers/fixtures';
import { decrypt } from '../helpers/tls-decrypt';

const CAPTURE = join(FIXTURES, 'tls', 'smtps-465-auth-login.pcap');
const KEYS = join(FIXTURES, 'tls', 'smtps-465-auth-login.keys');
let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let consoleErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(join(RENDERER_DIST, 'index.html')), 'run `npm run build:renderer` first');
  engine = new Engine({});
  await engine.openFile(CAPTURE);
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

async function ladderLabels(): Promise<string[]> {
  await page.getByTestId('connection-row').first().click();
  await page.getByTestId('ladder').waitFor();
  await page.getByTestId('ladder-arrow').first().waitFor();
  return page.getByTestId('ladder-arrow').allTextContents();
}

test('the encrypted band, then the key log, then AUTH LOGIN inside it', async () => {
  const before = await ladderLabels();
  assert.ok(
    before.some((l) => l.includes('encrypted record')),
    before.join('\n'),
  );
  assert.ok(!before.some((l) => l.includes('AUTH LOGIN')));
  await page.getByTestId('tls-keys-file').setInputFiles(KEYS);
  const result = page.getByTestId('tls-keys-result');
  await result.waitFor();
  assert.match(await result.innerText(), /smtps-465-auth-login\.keys: 5 keys loaded; decrypted: #0/);
  await page.getByTestId('connection-row').first().waitFor();
  let after: string[] = [];
  for (let i = 0; i < 50 && !after.some((l) => l.includes('AUTH LOGIN')); i++) {
    after = await ladderLabels();
    if (!after.some((l) => l.includes('AUTH LOGIN'))) await page.waitForTimeout(100);
  }
  assert.ok(
    after.some((l) => l.includes('AUTH LOGIN')),
    after.join('\n'),
  );
  assert.ok(
    after.some((l) => l.includes('password “ninja-secret”')),
    after.join('\n'),
  );
  // Each decrypted step says so (to screen readers too), and its credential is not called clear text.
  const password = page.getByTestId('ladder-arrow').filter({ hasText: 'password “ninja-secret”' });
  assert.match((await password.getAttribute('aria-label')) ?? '', /\(decrypted with your key log\)/);
  await password.click();
  const explain = await page.getByRole('region', { name: 'Explanation' }).innerText();
  assert.match(explain, /sent inside TLS — readable here only because you supplied the keys/);
  assert.match(explain, /decrypted with the TLS key log you gave/);
  // The connection's protocol panel lists the login as sent inside TLS, not in clear text.
  await page.getByTestId('panel-tab').click();
  const creds = page.getByTestId('credentials');
  await creds.waitFor();
  const credText = await creds.innerText();
  assert.match(credText, /Credentials sent inside TLS/);
  assert.match(credText, /readable here only because you supplied the keys/);
  assert.doesNotMatch(credText, /Anyone who can capture this traffic can read them/);
  assert.deepEqual(consoleErrors, []);
});

test('Follow stream shows the decrypted conversation, and the encrypted bytes on request', async () => {
  await page.getByTestId('follow-tab').click();
  const follow = page.getByTestId('follow');
  await follow.locator('pre.turn.client').first().waitFor();
  const text = await follow.innerText();
  assert.match(text, /AUTH LOGIN/);
  assert.match(text, /220 mail\.lab\.local ESMTP/);
  await page.getByTestId('follow-decrypted').uncheck();
  await follow.locator('pre.turn.client').first().waitFor();
  assert.doesNotMatch(await follow.innerText(), /AUTH LOGIN/);
  await page.getByTestId('follow-decrypted').check();
});

test('Save with keys downloads a pcapng that decrypts with no key log', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('save-with-keys').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'smtps-465-auth-login-with-keys.pcapng');
  const path = await download.path();
  const { report } = await decrypt(path, []);
  assert.equal(report.connections[0].tls?.decryption.keySource, 'pcapng');
  assert.ok(report.connections[0].ladder.some((e) => e.insideTls && e.label === 'AUTH LOGIN'));
  assert.deepEqual(consoleErrors, []);
});
