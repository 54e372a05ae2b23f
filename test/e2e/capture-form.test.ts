/**
 * The Capture form at 1366×768 in Chromium: it opens over the page without widening or growing the
 * toolbar, lies inside the window, lists loopback first and the interfaces that are up with an
 * address next, and puts this machine's pseudo-interfaces (any, bluetooth, nflog, dbus, usbmon…)
 * under "more"; the options (snaplen, backend) sit behind a disclosure; Escape closes it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { collectConsoleErrors, launchChromium } from '../helpers/browser';
import { FIXTURES } from '../helpers/fixtures';

let engine: Engine;
let server: RunningServer;
let browser: Browser;

before(async () => {
  engine = new Engine({});
  await engine.openFile(join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'));
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

test('the Capture form fits at 1366 px and lists useful interfaces first', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = collectConsoleErrors(page);
  try {
    await page.goto(server.url);
    await page.getByTestId('ladder-arrow').first().waitFor();
    const bar = page.locator('header.bar');
    const before = (await bar.boundingBox())!;
    await page.getByTestId('capture-open').click();
    const form = page.getByTestId('capture-form');
    await form.waitFor();
    const iface = page.getByTestId('capture-iface');
    await iface.locator('option').first().waitFor({ state: 'attached' });
    // Over the page: the toolbar keeps its size, the form is inside the window.
    const after = (await bar.boundingBox())!;
    assert.equal(after.height, before.height, 'the toolbar does not grow');
    assert.equal(after.width, before.width);
    const box = (await form.boundingBox())!;
    assert.ok(
      box.x >= 0 && box.x + box.width <= 1366 && box.y + box.height <= 768,
      `form at ${JSON.stringify(box)}`,
    );
    for (const id of ['capture-iface', 'capture-filter', 'capture-start']) {
      const b = (await page.getByTestId(id).boundingBox())!;
      assert.ok(b.x + b.width <= 1366, `${id} cut off at ${b.x + b.width}`);
    }

    // The order, against the interfaces this machine has.
    const listed = await engine.listInterfaces();
    const options = await iface.evaluate((el: HTMLSelectElement) =>
      [...el.options].map((o) => ({ name: o.value, more: o.parentElement?.tagName === 'OPTGROUP' })),
    );
    assert.equal(options.length, listed.length, 'every interface is offered');
    assert.equal(options[0].name, listed.find((x) => x.loopback && x.up)!.name, 'loopback first');
    assert.equal(await iface.inputValue(), options[0].name, 'and chosen');
    const firstMore = options.findIndex((o) => o.more);
    const top = firstMore < 0 ? options : options.slice(0, firstMore);
    for (const o of top) {
      const x = listed.find((l) => l.name === o.name)!;
      assert.ok(x.up && (x.loopback || x.addresses.length > 0), `${o.name} is up with an address`);
    }
    if (firstMore >= 0)
      assert.ok(
        options.slice(firstMore).every((o) => o.more),
        'the rest are all under more',
      );
    const pseudo = listed.filter((l) => /^(any$|bluetooth|nflog|nfqueue|dbus|usbmon)/.test(l.name) || !l.up);
    for (const p of pseudo)
      assert.ok(options.find((o) => o.name === p.name)!.more, `${p.name} is under more`);
    if (pseudo.length)
      assert.match((await page.getByTestId('capture-iface-more').getAttribute('label'))!, /^more/);

    // Options behind a disclosure; Escape closes the form.
    assert.equal(await page.getByTestId('capture-snaplen').isVisible(), false);
    await page.locator('.capture-options summary').click();
    assert.equal(await page.getByTestId('capture-snaplen').isVisible(), true);
    await page.getByTestId('capture-filter').focus();
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
