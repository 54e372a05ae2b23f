/**
 * Accessibility of the lesson view in Chromium: axe-core finds no serious or critical violation in
 * the light and the dark theme with a connection and a step selected (and with the What went wrong
 * tab and the legend open); the lists are grids with aria-selected; everything needed for a lesson is
 * reachable by keyboard alone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { collectConsoleErrors, launchChromium } from '../helpers/browser';
import { FIXTURES } from '../helpers/fixtures';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
// Retransmission, RST and 5xx replies (uploaded in a test): every colour of the palette on screen.
// An implicit-TLS connection: the TLS summary, purple arrows and the encrypted band.
const TLS = join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'tls', 'tls-pre-1970', 'input.pcap');
const SMTP_ERRORS = join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'smtp-errors', 'smtperr.pcap');

let engine: Engine;
let server: RunningServer;
let browser: Browser;
const errors: string[][] = [];

before(async () => {
  engine = new Engine({});
  await engine.openFile(LESSON);
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function axe(page: Page): Promise<AxeViolation[]> {
  // The page's CSP allows only its own scripts: axe is added to a page opened with bypassCSP.
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> };
    };
    return (await w.axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const describe = (vs: AxeViolation[]) =>
  vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
          .join('\n  ')}`,
    )
    .join('\n');

async function openAt(theme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  errors.push(collectConsoleErrors(page));
  await page.addInitScript((t) => localStorage.setItem('wirelens.theme', JSON.stringify(t)), theme);
  await page.goto(server.url);
  await page.getByTestId('ladder-arrow').first().waitFor();
  return page;
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe-core: no serious or critical violation in the ${theme} theme with a connection and a step selected`, async () => {
    const page = await openAt(theme);
    try {
      for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
      await page.locator('[data-testid="ladder-arrow"][aria-current="step"]').waitFor();
      await page.getByTestId('hex-byte').first().waitFor();
      let found = await axe(page);
      assert.deepEqual(found, [], describe(found));
      // The legend's sentences, the More menu and What went wrong.
      await page.getByText('What the colours mean').click();
      await page.getByTestId('more-menu').click();
      found = await axe(page);
      assert.deepEqual(found, [], describe(found));
      await page.getByTestId('more-menu').click();
      await page.getByTestId('problems-tab').click();
      await page.getByTestId('what-went-wrong').waitFor();
      found = await axe(page);
      assert.deepEqual(found, [], describe(found));
    } finally {
      await page.close();
    }
  });

  test(`axe-core: no serious or critical violation in the ${theme} theme on Bad TCP, RST and refused replies`, async () => {
    const page = await openAt(theme);
    try {
      // Open the other capture by uploading it, as a student would.
      await page.getByTestId('open-file').setInputFiles(SMTP_ERRORS);
      await page.getByTestId('status').filter({ hasText: '158 packets' }).waitFor();
      await page.locator('[data-testid="ladder-arrow"][data-outcome="permanent-negative"]').first().waitFor();
      await page
        .getByTestId('ladder-arrow')
        .filter({ has: page.locator('text.trouble-text') })
        .first()
        .click();
      await page.getByTestId('hex-byte').first().waitFor();
      const found = await axe(page);
      assert.deepEqual(found, [], describe(found));
    } finally {
      await page.close();
    }
  });
}

test('axe-core: no serious or critical violation in either theme on a TLS connection, its Follow stream and its panel', async () => {
  for (const theme of ['light', 'dark'] as const) {
    const page = await openAt(theme);
    try {
      await page.getByTestId('open-file').setInputFiles(TLS);
      await page.getByTestId('tls-summary').waitFor();
      await page.keyboard.press('ArrowRight');
      await page.getByTestId('hex-byte').first().waitFor();
      let found = await axe(page);
      assert.deepEqual(found, [], `${theme}: ${describe(found)}`);
      await page.getByTestId('follow-tab').click();
      await page.getByTestId('follow').waitFor();
      found = await axe(page);
      assert.deepEqual(found, [], `${theme} follow: ${describe(found)}`);
      await page.getByTestId('panel-tab').click();
      found = await axe(page);
      assert.deepEqual(found, [], `${theme} panel: ${describe(found)}`);
    } finally {
      await page.close();
    }
  }
});

test('the lists are grids with aria-selected; a lesson can be followed by keyboard alone', async () => {
  const page = await openAt('light');
  try {
    assert.equal(await page.getByRole('grid', { name: 'Packet list' }).count(), 1);
    assert.equal(await page.getByRole('grid', { name: 'Connections' }).count(), 1);
    assert.equal(await page.locator('[data-testid="connection-row"][aria-selected="true"]').count(), 1);
    // Tab to the connection list and choose the POP3 connection with ↓.
    let guard = 0;
    while (
      !(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Connections')) &&
      guard++ < 40
    )
      await page.keyboard.press('Tab');
    assert.ok(guard < 40, 'the connection list is reachable with Tab');
    await page.keyboard.press('ArrowDown');
    await page
      .locator('[data-testid="connection-row"][aria-selected="true"]')
      .filter({ hasText: 'pop3' })
      .waitFor();
    // Tab on to the first ladder step, Enter chooses it, → walks on.
    guard = 0;
    while (
      !(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'ladder-arrow')) &&
      guard++ < 60
    )
      await page.keyboard.press('Tab');
    assert.ok(guard < 60, 'ladder steps are reachable with Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    assert.match(focused, /^(server to client|client to server): /);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="ladder-arrow"][aria-current="step"]').waitFor();
    const before = await page.locator('[aria-current="step"]').getAttribute('aria-label');
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await page.locator('[aria-current="step"]').getAttribute('aria-label'), before);
    assert.equal(await page.locator('[data-testid="packet-row"][aria-selected="true"]').count(), 1);
    // Focus is visible: the focused element has an outline or a drawn focus ring.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    });
    assert.ok(outline, 'the focused control shows an outline');
    // The splitters move by keyboard and remember their place.
    const split = page.getByTestId('split-top');
    const v0 = Number(await split.getAttribute('aria-valuenow'));
    await split.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const v1 = Number(await split.getAttribute('aria-valuenow'));
    assert.ok(v1 > v0, `${v0} → ${v1}`);
    assert.equal(
      Math.round(Number(await page.evaluate(() => localStorage.getItem('wirelens.pane.top'))) * 100),
      v1,
    );
  } finally {
    await page.close();
  }
});

test('no console errors', () => {
  assert.deepEqual(errors.flat(), []);
});
