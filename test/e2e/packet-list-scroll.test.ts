/**
 * The virtualised packet list while scrolling (Chromium, browser mode), on a real 410-packet POP3
 * capture: after every small wheel-like step and every jump, the rows in the page are consecutive
 * packets in page order, each drawn exactly where its number puts it, and together they cover the
 * visible part of the list. Catches rows reused for the wrong packet or left at a stale position
 * when the row elements are recycled.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { servePage, type ServedPage } from '../helpers/browser';
import { Engine } from '../../electron/engine/engine';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { FIXTURES } from '../helpers/fixtures';

const CAPTURE = join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'pop3', 'input.pcap');
let engine: Engine;
let served: ServedPage;
let page: Page;
let packets = 0;

before(async () => {
  assert.ok(existsSync(join(RENDERER_DIST, 'index.html')), 'run `npm run build` first');
  engine = new Engine({});
  const info = await engine.openFile(CAPTURE);
  await engine.session(info.id).ready();
  packets = (await engine.getStatus(info.id)).packets;
  served = await servePage(engine);
  page = served.page;
  await page.getByTestId('status').filter({ hasText: `${packets} packets` }).waitFor();
});

after(async () => {
  await served?.close();
  await engine?.close();
});

interface ListState {
  scrollTop: number;
  numbers: number[];
  /** Rows whose offset from the top of the list's content is not (number − 1) × row height. */
  misplaced: number[];
  covers: boolean;
}

/** Scrolls the list to `top` and waits until the rows in the page are the right ones, in place. */
async function scrollAndCheck(top: number): Promise<ListState> {
  await page.evaluate((top) => {
    (document.querySelector('[data-testid="packet-list"]') as HTMLElement).scrollTop = top;
  }, top);
  const settled = await page.waitForFunction(
    () => {
      const list = document.querySelector('[data-testid="packet-list"]') as HTMLElement;
      const rows = [...list.querySelectorAll<HTMLElement>('[data-testid="packet-row"]')];
      if (rows.length === 0) return false;
      const head = (list.querySelector('.row.head') as HTMLElement).offsetHeight;
      const listTop = list.getBoundingClientRect().top - list.scrollTop + head;
      const numbers = rows.map((r) => Number(r.firstElementChild!.textContent));
      const offsets = rows.map((r) => r.getBoundingClientRect().top - listTop);
      const rowHeight = rows[0].offsetHeight;
      const misplaced = numbers.filter((n, i) => Math.abs(offsets[i] - (n - 1) * rowHeight) > 0.5);
      const viewTop = list.scrollTop;
      const viewBottom = list.scrollTop + list.clientHeight - head;
      const covers = offsets[0] <= viewTop + 0.5 && offsets[offsets.length - 1] + rowHeight >= Math.min(viewBottom, numbers.length && list.scrollHeight - head) - 0.5;
      const consecutive = numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
      // Still waiting for the rows of this position (the fetch answers asynchronously).
      if (!covers || !consecutive || misplaced.length) return false;
      return { scrollTop: list.scrollTop, numbers, misplaced, covers };
    },
    undefined,
    { timeout: 10000 },
  );
  return (await settled.jsonValue()) as ListState;
}

test('wheel-like steps and jumps: consecutive rows, each at its own place, covering the view', async () => {
  assert.ok(packets > 300, `the capture has ${packets} packets`);
  await page.getByTestId('packet-row').first().waitFor();
  const seen = new Set<number>();
  // Down three rows at a time (as a mouse wheel does) for a while.
  for (let top = 0; top <= 66 * 40; top += 66) for (const n of (await scrollAndCheck(top)).numbers) seen.add(n);
  // Jumps back and forth, then to the end and back to the start.
  for (const top of [6000, 1200, 4321, 9999999, 2500, 0]) {
    const st = await scrollAndCheck(top);
    if (top === 9999999) assert.equal(st.numbers.at(-1), packets, 'the last packet is the last row at the end');
    if (top === 0) assert.equal(st.numbers[0], 1);
    for (const n of st.numbers) seen.add(n);
  }
  assert.ok(seen.has(1) && seen.has(packets) && seen.size > 150, `rows seen: ${seen.size}`);
});

test('no console errors while scrolling', () => {
  assert.deepEqual(served.consoleErrors, []);
});
