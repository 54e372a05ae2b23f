/**
 * A 10,003-event ladder in Chromium (browser mode): one SMTP connection of 5,000 NOOP/250
 * exchanges, generated deterministically. Its view is megabytes of JSON, which the server sends as
 * a binary frame; the page shows every event (the count, the first and the last arrows after
 * scrolling to the end), with only the arrows in view in the page.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { servePage, type ServedPage } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { BINARY_FRAME_FROM } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { writeLongLadderCapture } from '../../bench/long-ladder-capture';

let dir: string;
let engine: Engine;
let served: ServedPage;
let page: Page;
let id: string;

before(async () => {
  assert.ok(existsSync(join(RENDERER_DIST, 'index.html')), 'run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'wirelens-ladder-'));
  const file = join(dir, 'ladder-10k.pcap');
  writeLongLadderCapture(file);
  engine = new Engine({});
  id = (await engine.openFile(file)).id;
  await engine.session(id).ready();
  served = await servePage(engine);
  page = served.page;
});

after(async () => {
  await served?.close();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the whole 10,003-event ladder reaches the page and scrolls to its last arrow', async () => {
  const view = await engine.getConnection(id, 0);
  assert.equal(view.ladder.length, 10003);
  assert.ok(JSON.stringify({ id: 1, result: view }).length > BINARY_FRAME_FROM, 'the answer is big enough to travel as a binary frame');
  const last = view.ladder[view.ladder.length - 1];
  await page.getByTestId('connection-row').filter({ hasText: '10.0.0.1:40000' }).click();
  await page.getByText('10003 events').waitFor();
  const arrows = page.getByTestId('ladder-arrow');
  await arrows.filter({ hasText: 'EHLO student-pc' }).waitFor();
  const drawn = await arrows.count();
  assert.ok(drawn > 5 && drawn < 100, `only the arrows in view are drawn (${drawn})`);
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="ladder"]') as HTMLElement;
    el.scrollTop = el.scrollHeight;
  });
  // The last event: the server's 250 in the last frame with data, numbered as the engine says.
  await arrows.filter({ hasText: String(last.frame) }).filter({ hasText: last.label }).waitFor();
  await arrows.filter({ hasText: 'NOOP 4999' }).waitFor();
});

test('no console errors', () => {
  assert.deepEqual(served.consoleErrors, []);
});
