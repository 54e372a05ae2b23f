/**
 * Every lesson capture in browser mode shows what `wirelens analyze --json` says about it: the
 * packet count, one row per connection with its protocol, and for each connection exactly the CLI's
 * ladder (its event count, and the arrows on screen in the CLI's order with the CLI's labels) and the
 * three handshake marks. Screenshots per connection go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { FIXTURES, ROOT } from '../helpers/fixtures';

const LESSONS = [join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'), join(FIXTURES, 'recorded', 'smtp-pop3-lesson.pcap.gz')];
const ARTIFACTS = join(ROOT, 'test-artifacts');
let browser: Browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

interface CliConnection {
  protocol: string;
  handshake: { complete: boolean };
  ladder: Array<{ label: string }>;
}

for (const file of LESSONS) {
  test(`${basename(file)}: the page shows exactly what wirelens analyze reports`, async () => {
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'wirelens.mjs'), 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(cli.status, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as { capture: { packets: number }; connections: CliConnection[] };
    const engine = new Engine({});
    let server: RunningServer | null = null;
    try {
      await engine.openFile(file);
      server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(server.url);
      await page.getByTestId('status').filter({ hasText: `${report.capture.packets} packets · ${report.connections.length} connections` }).waitFor();
      await page.getByTestId('connection-row').nth(report.connections.length - 1).waitFor();
      const rows = (await page.getByTestId('connection-row').allInnerTexts()).map((t) => t.split('\t')[3]);
      assert.deepEqual(rows, report.connections.map((c) => c.protocol));
      for (const [i, c] of report.connections.entries()) {
        await page.getByTestId('connection-row').nth(i).click();
        await page.locator('.ladder-mode .count', { hasText: `${c.ladder.length} events` }).waitFor();
        const shown = await page.getByTestId('ladder-arrow').locator('text:nth-of-type(1)').allTextContents();
        assert.ok(shown.length > 0);
        assert.deepEqual(shown, c.ladder.slice(0, shown.length).map((e) => (e.label.length > 90 ? e.label.slice(0, 89) + '…' : e.label)));
        if (c.handshake.complete) assert.equal(await page.getByTestId('handshake-mark').count(), 3);
        await page.screenshot({ path: join(ARTIFACTS, `lesson-${basename(file)}-connection-${i}.png`) });
      }
      await page.close();
    } finally {
      await server?.close();
      await engine.close();
    }
  });
}
