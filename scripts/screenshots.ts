/**
 * Screenshots of the lesson view on the lesson captures, from the same setup as the end-to-end tests
 * (an engine in browser mode, Debian's Chromium): `node --import tsx scripts/screenshots.ts [--all]`.
 * Writes docs/images/lesson-<capture>-<theme>.png at 1366×768 (the README's), and with --all also
 * 1024×768 and 150 % zoom at 1280×720 into test-artifacts/screens/; with --presenter only
 * docs/images/presenter-*.png (1366×768 and 1024×768) and tcp-states-*.png. Build the renderer first
 * (`npm run build:renderer`).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../electron/engine/engine';
import { startServer } from '../electron/server/server';
import { RENDERER_DIST } from '../electron/shared/paths';
import { launchChromium } from '../test/helpers/browser';

const ROOT = new URL('..', import.meta.url).pathname;
const LESSONS = join(ROOT, 'fixtures', 'lessons');

export interface ShotSize {
  name: string;
  width: number;
  height: number;
  zoom: number;
}
export const SIZES: ShotSize[] = [
  { name: '1366x768', width: 1366, height: 768, zoom: 1 },
  { name: '1024x768', width: 1024, height: 768, zoom: 1 },
  { name: '1280x720-150', width: 1280, height: 720, zoom: 1.5 },
  { name: '1920x1080', width: 1920, height: 1080, zoom: 1 },
];

/** Opens `file` in the app at `size` and `theme`, steps to `steps` (→ presses), runs `then` (if any) and saves a screenshot. */
export async function shoot(
  browser: Browser,
  file: string,
  size: ShotSize,
  theme: 'light' | 'dark',
  steps: number,
  out: string,
  then?: (page: Page) => Promise<void>,
): Promise<void> {
  const engine = new Engine({});
  await engine.openFile(file);
  const server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  try {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    await page.addInitScript(
      ([t, z]) => {
        localStorage.setItem('wirelens.theme', JSON.stringify(t));
        localStorage.setItem('wirelens.zoom', JSON.stringify(z));
      },
      [theme, size.zoom] as const,
    );
    await page.goto(server.url);
    await page.getByTestId('ladder-arrow').first().waitFor();
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
    await page.locator('[aria-current="step"]').first().waitFor();
    await page.getByTestId('hex-byte').first().waitFor();
    if (then) await then(page);
    await page.screenshot({ path: out });
    await page.close();
  } finally {
    await server.close();
    await engine.close();
  }
}

/** Presenter mode (step 10 of the lesson) and the TCP state diagrams (the server's FIN), README's images. */
async function shootPresenterAndStates(browser: Browser, docs: string): Promise<void> {
  const lesson = join(LESSONS, 'smtp-pop3-lesson.pcap');
  for (const theme of ['light', 'dark'] as const) {
    for (const size of [SIZES[0], SIZES[1]]) {
      const out = join(docs, `presenter-${size.name}-${theme}.png`);
      await shoot(browser, lesson, size, theme, 9, out, async (page) => {
        await page.getByTestId('present').click();
        await page.keyboard.press('ArrowRight');
        await page.locator('[data-testid="presenter"] [aria-current="step"]').waitFor();
      });
      console.log(out);
    }
    // The last but one step: the server has sent its FIN (FIN-WAIT-1), the client has not yet.
    const out = join(docs, `tcp-states-${theme}.png`);
    await shoot(browser, lesson, SIZES[0], theme, 25, out, async (page) => {
      // More height for the lesson (smaller lists and packet details), then the same slide again
      // (the URL fragment names it).
      await page.evaluate(() => {
        localStorage.setItem('wirelens.pane.top', '0.2');
        localStorage.setItem('wirelens.pane.bottom', '0.1');
      });
      await page.reload();
      await page.locator('.explain [data-testid="tcp-states"]').waitFor();
      await page.getByTestId('step-count').filter({ hasText: 'Step 25 of' }).waitFor();
      await page
        .locator('.explain [data-testid="tcp-states"]')
        .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    });
    console.log(out);
  }
}

async function main(): Promise<void> {
  const all = process.argv.includes('--all');
  if (process.argv.includes('--presenter')) {
    const browser = await launchChromium();
    try {
      await shootPresenterAndStates(browser, join(ROOT, 'docs', 'images'));
    } finally {
      await browser.close();
    }
    return;
  }
  const browser = await launchChromium();
  try {
    const docs = join(ROOT, 'docs', 'images');
    const artifacts = join(ROOT, 'test-artifacts', 'screens');
    mkdirSync(docs, { recursive: true });
    mkdirSync(artifacts, { recursive: true });
    for (const f of readdirSync(LESSONS).filter((n) => /\.pcap(ng)?$/.test(n))) {
      const name = basename(f).replace(/\.pcap(ng)?$/, '');
      for (const theme of ['light', 'dark'] as const) {
        for (const size of all ? SIZES : SIZES.slice(0, 1)) {
          // The README's: step 9, an AUTH LOGIN exchange with credentials and replies of several colours.
          const out =
            size.name === '1366x768'
              ? join(docs, `lesson-${name}-${theme}.png`)
              : join(artifacts, `lesson-${name}-${size.name}-${theme}.png`);
          await shoot(browser, join(LESSONS, f), size, theme, 9, out);
          console.log(out);
        }
      }
    }
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
