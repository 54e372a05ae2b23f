/**
 * The lesson view in Chromium on real captures: the explanation beside the ladder is in the viewport
 * after a click and after a step at 1024×768, 1366×768, 1920×1080 and the app's 150 % zoom at
 * 1280×720; stepping (→, n, Space, ←, p) moves the arrow, the packet row and the highlighted bytes
 * together; clicking a packet row selects its step; colours mean something (a 5xx reply in the
 * problem colour, a retransmission and a RST in Wireshark's colours, the same marks on the ladder, a
 * legend); What went wrong lists the engine's diagnostics; a chosen connection scrolls the list and
 * offers "only this connection".
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { PALETTE } from '../../renderer/src/palette/palette';
import { collectConsoleErrors, launchChromium } from '../helpers/browser';
import { FIXTURES } from '../helpers/fixtures';

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
// Sendmail answering 500 to garbage (a retransmitted reply, frame 7, and the client's RST, frame 12),
// then a session with 472 and 501 replies.
const SMTP_ERRORS = join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'smtp-errors', 'smtperr.pcap');

interface Served {
  engine: Engine;
  server: RunningServer;
}
const served: Served[] = [];
/** The lesson capture served once for the viewport tests. */
let lesson: Served | undefined;
let browser: Browser;
const consoleErrors: string[] = [];

async function serve(file: string): Promise<Served> {
  const engine = new Engine({});
  await engine.openFile(file);
  const server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  const s = { engine, server };
  served.push(s);
  return s;
}

async function open(
  s: Served,
  size: { width: number; height: number },
  zoom = 1,
  theme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  const errors = collectConsoleErrors(page);
  page.on('close', () => consoleErrors.push(...errors));
  await page.addInitScript(
    ([z, t]) => {
      localStorage.setItem('wirelens.zoom', JSON.stringify(z));
      localStorage.setItem('wirelens.theme', JSON.stringify(t));
    },
    [zoom, theme] as const,
  );
  await page.goto(s.server.url);
  // The first connection with an application protocol is chosen on opening.
  await page.getByTestId('ladder-arrow').first().waitFor();
  return page;
}

/** The element's box lies inside the viewport (in CSS pixels of the page). */
async function inViewport(page: Page, selector: string): Promise<{ ok: boolean; box: unknown }> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const b = el.getBoundingClientRect();
    const ok =
      b.width > 0 &&
      b.height > 40 &&
      b.top >= 0 &&
      b.left >= 0 &&
      b.bottom <= innerHeight + 0.5 &&
      b.right <= innerWidth + 0.5;
    return {
      ok,
      box: { top: b.top, left: b.left, bottom: b.bottom, right: b.right, vw: innerWidth, vh: innerHeight },
    };
  }, selector);
}

const EXPLAIN = '[role="region"][aria-label="Explanation"]';
const SELECTED_ROW = '[data-testid="packet-row"][aria-selected="true"]';

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const s of served) {
    await s.server.close();
    await s.engine.close();
  }
});

const SIZES = [
  { name: '1024×768', width: 1024, height: 768, zoom: 1 },
  { name: '1366×768', width: 1366, height: 768, zoom: 1 },
  { name: '1920×1080', width: 1920, height: 1080, zoom: 1 },
  { name: '150 % at 1280×720', width: 1280, height: 720, zoom: 1.5 },
];

for (const size of SIZES) {
  test(`${size.name}: the explanation sits beside the ladder, in view after a click and after a step`, async () => {
    lesson ??= await serve(LESSON);
    const page = await open(lesson, size, size.zoom);
    try {
      assert.match(
        await page.locator('.connection-pane h2').innerText(),
        /smtp/,
        'the SMTP connection is chosen on opening',
      );
      const arrow = page.getByTestId('ladder-arrow').filter({ hasText: 'AUTH LOGIN' });
      await arrow.click();
      const explain = page.locator(EXPLAIN);
      await explain.filter({ hasText: 'AUTH LOGIN' }).waitFor();
      let v = await inViewport(page, EXPLAIN);
      assert.ok(v.ok, `after a click: ${JSON.stringify(v.box)}`);
      // Side by side: the explanation is right of the ladder, and the ladder's server lifeline is not cut off.
      const ladder = (await page.getByTestId('ladder').boundingBox())!;
      const box = (await explain.boundingBox())!;
      assert.ok(
        box.x >= ladder.x + ladder.width - 1,
        `explanation at x=${box.x}, ladder ends at ${ladder.x + ladder.width}`,
      );
      assert.ok(Math.abs(box.y - ladder.y) < ladder.height, 'the explanation and the ladder share a row');
      const svgWidth = await page
        .locator('[data-testid="ladder"] svg')
        .evaluate((el) => el.getBoundingClientRect().width);
      assert.ok(svgWidth <= ladder.width + 1, `the ladder fits its pane (${svgWidth} > ${ladder.width})`);
      await page.keyboard.press('ArrowRight');
      await explain.filter({ hasText: 'Username:' }).waitFor();
      v = await inViewport(page, EXPLAIN);
      assert.ok(v.ok, `after a step: ${JSON.stringify(v.box)}`);
      // Real text, not a native tooltip.
      assert.equal(await page.locator('[data-testid="ladder-arrow"] > title').count(), 0);
    } finally {
      await page.close();
    }
  });
}

test('stepping moves the arrow, the packet row and the highlighted bytes together; n, Space, p and ← too', async () => {
  const s = await serve(LESSON);
  const page = await open(s, { width: 1366, height: 768 });
  try {
    const view = await s.engine.getConnection((await s.engine.listCaptures())[0].id, 0);
    const current = page.locator('[aria-current="step"]');
    // The first step is the SYN: the handshake mark, its row, the TCP header's bytes.
    await page.keyboard.press('ArrowRight');
    await current.first().waitFor();
    assert.equal(await current.getAttribute('data-testid'), 'handshake-mark');
    await page
      .locator(SELECTED_ROW)
      .filter({ hasText: /\[SYN\]/ })
      .waitFor();
    await page.locator(EXPLAIN).filter({ hasText: 'SYN' }).waitFor();
    // Walk to the EHLO through the handshake and the greeting.
    const keys = ['n', ' ', 'ArrowRight', 'ArrowRight'];
    for (const k of keys) await page.keyboard.press(k);
    const ehlo = page.locator('[data-testid="ladder-arrow"][aria-current="step"]');
    await ehlo.filter({ hasText: 'EHLO student-pc' }).waitFor();
    const frame = view.ladder.find((e) => e.label.startsWith('EHLO'))!.frame;
    await page
      .locator(SELECTED_ROW)
      .filter({ has: page.locator(`span:first-child:text-is("${frame}")`) })
      .waitFor();
    await page
      .getByTestId('packet-detail')
      .filter({ hasText: `Frame ${frame}:` })
      .waitFor();
    // The highlighted bytes are the command's own: its ASCII twin reads EHLO student-pc and CR LF.
    const marked = (await page.locator('.hex > div > span.mark:not([data-testid])').allTextContents()).join(
      '',
    );
    assert.equal(marked, 'EHLO student-pc..');
    const hex = (await page.locator('.hex [data-testid="hex-byte"].mark').allTextContents())
      .join('')
      .replace(/\s+/g, '');
    assert.equal(hex, Buffer.from('EHLO student-pc\r\n').toString('hex'));
    // The row is in view inside the packet list.
    const list = (await page.getByTestId('packet-list').boundingBox())!;
    const row = (await page.locator(SELECTED_ROW).boundingBox())!;
    assert.ok(
      row.y >= list.y && row.y + row.height <= list.y + list.height,
      'the selected row is scrolled into view',
    );
    // Back one step (p, then ←): the greeting's reply, then the handshake's ACK.
    await page.keyboard.press('p');
    await page
      .locator('[data-testid="ladder-arrow"][aria-current="step"]')
      .filter({ hasText: '220 ' })
      .waitFor();
    await page.keyboard.press('ArrowLeft');
    assert.equal(
      await page.locator('[aria-current="step"]').getAttribute('aria-label'),
      `ACK: the connection is open, frame ${view.model.handshake.ack!.frame}`,
    );
    // Clicking a packet row selects its step.
    const mail = view.ladder.find((e) => e.label.startsWith('MAIL FROM'))!;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.getByTestId('filter-input').fill(`frame.number == ${mail.frame}`);
    await page.getByTestId('filter-input').press('Enter');
    await page.getByTestId('packet-row').filter({ hasText: 'MAIL FROM' }).click();
    await page
      .locator('[data-testid="ladder-arrow"][aria-current="step"]')
      .filter({ hasText: 'MAIL FROM' })
      .waitFor();
    await page.locator(EXPLAIN).filter({ hasText: 'MAIL FROM' }).waitFor();
    // Ladder steps are focusable list items with names; Enter on one selects it.
    const items = page.locator('[role="list"] > [role="listitem"][data-testid="ladder-arrow"]');
    assert.ok((await items.count()) > 5);
    assert.match(
      (await items.first().getAttribute('aria-label')) ?? '',
      /^server to client: 220 .*frame \d+$/,
    );
    await items.first().focus();
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid="ladder-arrow"][aria-current="step"]')
      .filter({ hasText: '220 ' })
      .waitFor();
  } finally {
    await page.close();
  }
});

test('colours mean something: a 5xx reply in the problem colour, a retransmission and a RST in Wireshark’s colours, marked on the ladder too, and a legend', async () => {
  const s = await serve(SMTP_ERRORS);
  const page = await open(s, { width: 1366, height: 768 });
  try {
    const light = PALETTE.light;
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    // The packet list: frame 7 is a retransmission (Bad TCP: black, red text), frame 12 a RST, 1 a SYN.
    const rowOf = (n: number) =>
      page.getByTestId('packet-row').filter({ has: page.locator(`span:first-child:text-is("${n}")`) });
    await rowOf(12).waitFor();
    const style = (n: number) =>
      rowOf(n).evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    assert.deepEqual(await style(7), [rgb(light.badTcpBg), rgb(light.badTcpFg)]);
    assert.equal(await rowOf(7).getAttribute('data-rule'), 'bad-tcp');
    assert.deepEqual(await style(12), [rgb(light.rstBg), rgb(light.rstFg)]);
    assert.deepEqual(await style(1), [rgb(light.synFinBg), rgb(light.synFinFg)]);
    // The ladder: the 500 replies drawn in the problem colour; the retransmission and the RST marked.
    const refused = page.locator('[data-testid="ladder-arrow"][data-outcome="permanent-negative"]');
    await refused.first().waitFor();
    assert.equal(
      await refused
        .first()
        .locator('line')
        .evaluate((el) => getComputedStyle(el).stroke),
      rgb(light.permanentNegative),
    );
    const positive = page.locator('[data-testid="ladder-arrow"][data-outcome="positive"]').first();
    assert.equal(
      await positive.locator('line').evaluate((el) => getComputedStyle(el).stroke),
      rgb(light.positive),
    );
    const marks = await page.locator('text.trouble-text').allTextContents();
    assert.ok(marks.includes('frame 7: sent again'), marks.join(' | '));
    assert.ok(marks.includes('frame 12: reset'), marks.join(' | '));
    // The timeline's SYN in Wireshark's SYN/FIN grey.
    assert.equal(await page.getByTestId('handshake-mark').first().getAttribute('data-rule'), 'syn-fin');
    // The legend explains every colour in a plain sentence.
    const legend = page.getByTestId('legend');
    assert.match(await legend.innerText(), /refused/);
    await legend.getByText('What the colours mean').click();
    const sentences = await legend.locator('li').allInnerTexts();
    assert.ok(sentences.some((t) => /^Red reply: the server refused/.test(t)));
    assert.ok(sentences.some((t) => /^Black with red text \(Bad TCP\)/.test(t)));
    // The explanation of the step the retransmission follows names the trouble in one sentence.
    await page
      .getByTestId('ladder-arrow')
      .filter({ has: page.locator('text.trouble-text', { hasText: 'frame 7:' }) })
      .click();
    await page
      .locator(EXPLAIN)
      .filter({ hasText: 'Retransmission: the sender got no acknowledgement in time' })
      .waitFor();
    assert.match(await page.getByTestId('explain-outcome').innerText(), /refused or failed/);
    // 4xx in amber: the third connection's 472.
    await page.getByTestId('connection-row').nth(2).click();
    const amber = page.locator('[data-testid="ladder-arrow"][data-outcome="transient-negative"]').first();
    await amber.waitFor();
    assert.equal(
      await amber.locator('line').evaluate((el) => getComputedStyle(el).stroke),
      rgb(light.transientNegative),
    );
  } finally {
    await page.close();
  }
});

test('What went wrong lists the engine’s diagnostics in plain words, each a link to its frame', async () => {
  const page = await open(await serve(SMTP_ERRORS), { width: 1366, height: 768 });
  try {
    await page.getByTestId('problems-tab').click();
    const panel = page.getByTestId('what-went-wrong');
    await panel.waitFor();
    const text = await panel.innerText();
    assert.match(text, /Warnings \(\d+\)/);
    assert.match(text, /Worth knowing \(1\)/);
    assert.match(text, /Some bytes were sent twice/);
    assert.match(text, /server: 1 retransmitted segment/);
    // The retransmission links to frame 7.
    await panel.getByRole('button', { name: /sent twice/ }).click();
    await page
      .locator(SELECTED_ROW)
      .filter({ has: page.locator('span:first-child:text-is("7")') })
      .waitFor();
  } finally {
    await page.close();
  }
});

test('choosing a connection scrolls the list to it, clears the old packet, and offers only this connection (tcp.stream == N)', async () => {
  const s = await serve(LESSON);
  const page = await open(s, { width: 1366, height: 768 });
  try {
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('packet-detail').waitFor();
    await page.getByTestId('connection-row').nth(1).click();
    // The previous connection's frame is no longer shown.
    assert.equal(await page.getByTestId('packet-detail').count(), 0);
    const first = (await s.engine.getConnections((await s.engine.listCaptures())[0].id))[1].firstFrame;
    const row = page
      .getByTestId('packet-row')
      .filter({ has: page.locator(`span:first-child:text-is("${first}")`) });
    await row.waitFor();
    const list = (await page.getByTestId('packet-list').boundingBox())!;
    const box = (await row.boundingBox())!;
    assert.ok(
      box.y >= list.y && box.y + box.height <= list.y + list.height,
      'the connection’s first packet is in view',
    );
    await page.getByTestId('only-this').click();
    await page.getByTestId('only-this-on').waitFor();
    assert.equal(await page.getByTestId('filter-input').inputValue(), 'tcp.stream == 1');
    assert.match(await page.getByTestId('filter-message').innerText(), /^33 of 72 packets$/);
    await page.getByTestId('filter-clear').click();
    await page.getByTestId('only-this').waitFor();
  } finally {
    await page.close();
  }
});

test('the packet list shows the new rows after an upload and after Decode As, without applying a filter', async () => {
  const s = await serve(SMTP_ERRORS);
  const page = await open(s, { width: 1366, height: 768 });
  try {
    await page.getByTestId('open-file').setInputFiles(LESSON);
    await page.getByTestId('status').filter({ hasText: '72 packets · 2 connections' }).waitFor();
    const row4 = page
      .getByTestId('packet-row')
      .filter({ has: page.locator('span:first-child:text-is("4")') });
    await row4.filter({ hasText: 'SMTP' }).waitFor();
    assert.match(await row4.innerText(), /S: 220 mail\.lab\.local/);
    // The lesson's SMTP connection is chosen at once, its ladder drawn.
    await page.getByTestId('ladder-arrow').filter({ hasText: 'EHLO student-pc' }).waitFor();
    await page.getByTestId('more-menu').click();
    await page.getByTestId('decode-as-protocol').selectOption('unknown');
    await page.getByTestId('decode-as-apply').click();
    await page.getByTestId('connection-row').first().filter({ hasText: 'unknown' }).waitFor();
    // The same frame, re-read without the SMTP dissector: plain TCP, without a filter applied.
    await row4.filter({ hasNotText: 'SMTP' }).waitFor();
    assert.equal(await row4.locator('span:nth-child(5)').innerText(), 'TCP');
    assert.equal(await page.getByTestId('filter-input').inputValue(), '');
  } finally {
    await page.close();
  }
});

test('no console errors', () => {
  assert.deepEqual(consoleErrors, []);
});
