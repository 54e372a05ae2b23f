/** Debian's Chromium for the end-to-end tests and the UI benchmark, launched as the guide prescribes, and a console-error collector. */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT, RENDERER_DIST } from '../../electron/shared/paths';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Console errors and uncaught page errors of `page`, as they happen (`ignore` drops expected ones). */
export function collectConsoleErrors(page: Page, ignore?: RegExp): string[] {
  const errors: string[] = [];
  page.on(
    'console',
    (m) => m.type() === 'error' && !(ignore && ignore.test(m.text())) && errors.push(m.text()),
  );
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** An engine served in browser mode and one Chromium page on it (the usual end-to-end setup). */
export interface ServedPage {
  server: RunningServer;
  browser: Browser;
  page: Page;
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function servePage(engine: Engine): Promise<ServedPage> {
  const server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors = collectConsoleErrors(page);
  await page.goto(server.url);
  return {
    server,
    browser,
    page,
    consoleErrors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Where an end-to-end test saves a screenshot named `name`: test-artifacts/screens/ (ignored by
 * git), or the folder in $WIRELENS_SHOTS_DIR — `WIRELENS_SHOTS_DIR=docs/images` refreshes the
 * pictures README and docs/ show from the same run.
 */
export function screenshotPath(name: string): string {
  const dir = resolve(PACKAGE_ROOT, process.env.WIRELENS_SHOTS_DIR ?? 'test-artifacts/screens');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
