/**
 * Presenter mode in Chromium on the SMTP/POP3 lesson capture: the Present button and F5 show only the
 * ladder and the explanation in large type; → reveals one step at a time (later arrows not drawn),
 * ← goes back, Escape leaves; auto-play reveals the next step by itself; the URL fragment names the
 * capture, connection and step, and a page loaded with that fragment opens the same slide.
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

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let engine: Engine;
let server: RunningServer;
let browser: Browser;
const consoleErrors: string[] = [];

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
  assert.deepEqual(consoleErrors, [], 'no console errors');
});

async function open(hash = '', size = { width: 1366, height: 768 }): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  const errors = collectConsoleErrors(page);
  page.on('close', () => consoleErrors.push(...errors));
  await page.goto(server.url + hash);
  await page.getByTestId('ladder-arrow').first().waitFor();
  return page;
}

const PRESENTER = '[data-testid="presenter"]';
const stepCount = (page: Page) => page.locator(`${PRESENTER} [data-testid="step-count"]`).innerText();
const arrows = (page: Page) => page.locator(`${PRESENTER} [data-testid="ladder-arrow"]`).count();

test('Present shows only the ladder and the explanation, large, revealing one step at a time', async () => {
  const page = await open();
  try {
    await page.getByTestId('present').click();
    const presenter = page.locator(PRESENTER);
    await presenter.waitFor();
    // It covers the window: the packet list is not visible on top of it.
    const box = (await presenter.boundingBox())!;
    assert.equal(Math.round(box.width), 1366);
    assert.equal(Math.round(box.height), 768);
    assert.equal(
      await page.evaluate(
        () => document.elementFromPoint(200, 200)?.closest('[data-testid="presenter"]') !== null,
      ),
      true,
    );
    assert.match(await stepCount(page), /^Step 1 of (\d+)$/);
    const total = Number((await stepCount(page)).match(/of (\d+)/)![1]);
    // The first steps are the handshake: no arrow of the conversation drawn yet.
    const seen: number[] = [await arrows(page)];
    for (let i = 2; i <= 6; i++) {
      await page.keyboard.press('ArrowRight');
      await page
        .locator(`${PRESENTER} [data-testid="step-count"]`, { hasText: `Step ${i} of ${total}` })
        .waitFor();
      seen.push(await arrows(page));
    }
    // One arrow more per conversation step, never a step ahead; the current one is aria-current.
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i] - seen[i - 1] <= 1 && seen[i] >= seen[i - 1], `arrows per step: ${seen}`);
    assert.ok(seen[seen.length - 1] >= 1 && seen[seen.length - 1] < total, `arrows per step: ${seen}`);
    const drawn = seen[seen.length - 1];
    assert.equal(await page.locator(`${PRESENTER} [aria-current="step"]`).count(), 1);
    assert.match(await page.getByTestId('presenter-hidden').innerText(), /\d+ more steps? to come/);
    // Large type: the explanation's text is at least 20 px.
    const size = await page
      .locator(`${PRESENTER} .explain`)
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 20, `explanation font ${size}px`);
    // ← goes back and hides the arrow again.
    await page.keyboard.press('ArrowLeft');
    await page
      .locator(`${PRESENTER} [data-testid="step-count"]`, { hasText: `Step 5 of ${total}` })
      .waitFor();
    assert.ok((await arrows(page)) <= drawn);
    // The fragment names the slide.
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /^#c=c\d+&conn=\d+&step=5&present=1$/);
    // Escape leaves: the lesson view is back, the step kept.
    await page.keyboard.press('Escape');
    await presenter.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('step-count').innerText(), `Step 5 of ${total}`);
    assert.doesNotMatch(await page.evaluate(() => location.hash), /present/);
    // F5 opens it again (instead of reloading the page).
    await page.keyboard.press('F5');
    await presenter.waitFor();
    assert.equal(await stepCount(page), `Step 5 of ${total}`);
  } finally {
    await page.close();
  }
});

test('a page opened with a slide fragment shows that connection and step', async () => {
  const first = await open();
  let hash: string;
  let label: string;
  try {
    // Choose another connection than the first one, then a step.
    const rows = first.getByTestId('connection-row');
    assert.ok((await rows.count()) >= 2, 'the lesson has several connections');
    await rows.nth(1).click();
    await first.getByTestId('ladder-arrow').nth(2).click();
    await first.locator('[aria-current="step"]').waitFor();
    label = (await first.locator('[aria-current="step"]').getAttribute('aria-label'))!;
    hash = await first.evaluate(() => location.hash);
    assert.match(hash, /^#c=c\d+&conn=\d+&step=\d+$/);
  } finally {
    await first.close();
  }
  // Reopened: the same connection and the same step, in the lesson view.
  const again = await open(hash);
  try {
    await again.locator('[aria-current="step"]').waitFor();
    assert.equal(await again.locator('[aria-current="step"]').getAttribute('aria-label'), label);
    assert.equal(await again.evaluate(() => location.hash), hash);
  } finally {
    await again.close();
  }
  // With present=1 the slide opens in presenter mode.
  const slide = await open(`${hash}&present=1`, { width: 1024, height: 768 });
  try {
    await slide.locator(PRESENTER).waitFor();
    await slide.locator(`${PRESENTER} [aria-current="step"]`).waitFor();
    assert.equal(await slide.locator(`${PRESENTER} [aria-current="step"]`).getAttribute('aria-label'), label);
  } finally {
    await slide.close();
  }
  // A fragment naming a capture that is not open, or a connection the capture lacks, is ignored:
  // the first lesson connection is shown, and the fragment then names it.
  const capture = hash.match(/c=(c\d+)/)![1];
  for (const bad of ['#c=c999&conn=4&step=3&present=1', `#c=${capture}&conn=999&step=3&present=1`]) {
    const stale = await open(bad);
    try {
      assert.match(await stale.locator('.connection-pane h2').innerText(), /smtp/, bad);
      assert.equal(await stale.locator(PRESENTER).count(), 0, bad);
      await stale.waitForFunction(() => /^#c=c\d+&conn=\d+$/.test(location.hash));
    } finally {
      await stale.close();
    }
  }
});

test('auto-play reveals the next steps by itself, evenly, and Pause stops it', async () => {
  const page = await open();
  try {
    await page.getByTestId('present').click();
    await page.locator(PRESENTER).waitFor();
    assert.match(await stepCount(page), /^Step 1 of/);
    await page.getByTestId('presenter-speed').selectOption('even-2');
    const t0 = Date.now();
    await page.getByTestId('presenter-play').click();
    await page
      .locator(`${PRESENTER} [data-testid="step-count"]`, { hasText: /^Step 2 of/ })
      .waitFor({ timeout: 6000 });
    // Evenly every 2 s: not before about 2 s have passed.
    assert.ok(Date.now() - t0 >= 1800, `advanced after ${Date.now() - t0} ms`);
    await page.getByTestId('presenter-play').click();
    assert.equal(await page.getByTestId('presenter-play').getAttribute('aria-pressed'), 'false');
    const at = await stepCount(page);
    await page.waitForTimeout(2600);
    assert.equal(await stepCount(page), at, 'paused: no step taken');
  } finally {
    await page.close();
  }
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe-core: no serious or critical violation in presenter mode (${theme} theme), with the TCP state diagram`, async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
    const errors = collectConsoleErrors(page);
    page.on('close', () => consoleErrors.push(...errors));
    try {
      await page.addInitScript((t) => localStorage.setItem('wirelens.theme', JSON.stringify(t)), theme);
      await page.goto(server.url);
      await page.getByTestId('ladder-arrow').first().waitFor();
      await page.keyboard.press('F5');
      await page.locator(PRESENTER).waitFor();
      for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
      await page.locator(`${PRESENTER} [aria-current="step"]`).waitFor();
      await page.locator(`${PRESENTER} [data-testid="tcp-states"]`).waitFor();
      await page.addScriptTag({ content: AXE_SOURCE });
      const violations = await page.evaluate(async () => {
        const w = window as unknown as {
          axe: {
            run(
              ctx: Element,
              opts: object,
            ): Promise<{
              violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }>;
            }>;
          };
        };
        return (
          await w.axe.run(document.querySelector('[data-testid="presenter"]')!, {
            resultTypes: ['violations'],
          })
        ).violations;
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        bad.map(
          (v) =>
            `${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        ),
        [],
      );
    } finally {
      await page.close();
    }
  });
}
