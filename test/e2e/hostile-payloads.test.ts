/**
 * Hostile payloads in the browser UI (fixtures/synthetic/hostile-payloads.pcap: HTTP and SMTP
 * bytes carrying <script>, <img onerror>, javascript: links, SVG with script, bidi overrides):
 * every view that shows payload text is opened, and no script runs (the flag the payload would set
 * stays unset), no request leaves the page's origin, no HTML from the payload enters the DOM, and
 * the console shows no error except CSP reports.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, collectConsoleErrors } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { FIXTURES } from '../helpers/fixtures';

let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let problems: string[] = [];
const foreignRequests: string[] = [];

before(async () => {
  engine = new Engine({});
  await engine.openFile(join(FIXTURES, 'synthetic', 'hostile-payloads.pcap'));
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  problems = collectConsoleErrors(page, /Content Security Policy/i);
  page.on('request', (r) => !r.url().startsWith(`http://127.0.0.1:${server.port}/`) && !r.url().startsWith(`ws://127.0.0.1:${server.port}/`) && !r.url().startsWith('data:') && foreignRequests.push(r.url()));
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

async function visitEverything(): Promise<void> {
  // Every packet's detail: click the first row, then ↓ through the rest (the list draws only the
  // rows near the view, so rows are reached as a user reaches them).
  const packets = (await engine.getStatus((await engine.listCaptures())[0].id)).packets;
  const selected = page.locator('[data-testid="packet-row"].selected span:first-child');
  await page.getByTestId('packet-row').first().click();
  for (let no = 1; no <= packets; no++) {
    if (no > 1) await page.getByTestId('packet-list').press('ArrowDown');
    await selected.filter({ hasText: new RegExp(`^${no}$`) }).waitFor();
    await page.getByTestId('packet-detail').filter({ hasText: `Frame ${no}:` }).waitFor();
  }
  const conns = page.getByTestId('connection-row');
  for (let i = 0; i < (await conns.count()); i++) {
    await conns.nth(i).click();
    await page.getByTestId('ladder').waitFor();
    for (const a of await page.getByTestId('ladder-arrow').all()) await a.click();
    await page.getByTestId('follow-tab').click();
    await page.getByTestId('follow').waitFor();
    await page.getByRole('tab', { name: 'Handshake and ladder' }).click();
  }
}

test('no payload script runs, nothing is loaded from elsewhere, no payload HTML enters the DOM', async () => {
  await visitEverything();
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.deepEqual(foreignRequests, []);
  const injected = await page.evaluate(() => document.querySelectorAll('body script, body img, body iframe, body a[href^="javascript:"], body [onerror], body [onload], body [onmouseover], body svg svg').length);
  assert.equal(injected, 0);
  // The payload is there, as text.
  const text = await page.locator('body').innerText();
  assert.ok(text.includes('<script>window.__pwned=1</script>'), 'payload shown as text');
  assert.ok(text.includes('\\x202e') || text.includes('\\u{202e}'), 'the bidi override is made visible');
  assert.deepEqual(problems, []);
});
