/** Debian's Chromium for the end-to-end tests and the UI benchmark, launched as the guide prescribes, and a console-error collector. */
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Console errors and uncaught page errors of `page`, as they happen (`ignore` drops expected ones). */
export function collectConsoleErrors(page: Page, ignore?: RegExp): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && !(ignore && ignore.test(m.text())) && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
