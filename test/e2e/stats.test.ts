/**
 * The Statistics window in Chromium (browser mode) on the lesson capture: Protocol Hierarchy and
 * Conversations show the engine's numbers (which the unit tier compares with tshark's), a TCP row
 * opens its connection, the Stevens graph draws one dot per segment and zooms, tcptrace draws the
 * ACK and window lines, the retransmissions of a public capture are red, and tables and charts
 * save as CSV and SVG. Screenshots at 1366×768 go to screenshotPath (docs/images with WIRELENS_SHOTS_DIR=docs/images).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Download, Page } from 'playwright-core';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import type { CaptureStatistics } from '../../api/engine-api';
import { collectConsoleErrors, launchChromium, screenshotPath } from '../helpers/browser';
import { FIXTURES, ROOT } from '../helpers/fixtures';
import { flattenHierarchy } from '../../dissectors/stats/tables';

const LESSON = join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap');
const RESENT = join(FIXTURES, 'corpus/chrissanders-packets/tcp_retransmissions.pcapng');
let engine: Engine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];
let id: string;
let stats: CaptureStatistics;

before(async () => {
  engine = new Engine({});
  id = (await engine.openFile(LESSON)).id;
  await engine.session(id).ready();
  stats = await engine.getStatistics(id);
  server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  errors = collectConsoleErrors(page);
  await page.goto(server.url);
  await page.getByTestId('packet-row').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
});

async function downloaded(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [d] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

test('Protocol Hierarchy lists every protocol path with its packets and bytes', async () => {
  await page.getByTestId('statistics-button').click();
  const table = page.getByTestId('st-hierarchy').locator('table');
  await table.waitFor();
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
  const flat = flattenHierarchy(stats.hierarchy);
  assert.deepEqual(
    rows.map((r) => [r[0], Number(r[1]), Number(r[3])]),
    flat.map((f) => [f.path.split(':').pop(), f.frames, f.bytes]),
  );
  assert.ok(flat.some((f) => f.path === 'eth:ip:tcp:smtp') && flat.some((f) => f.path === 'eth:ip:tcp:pop'));
  const csv = await downloaded(() => page.getByTestId('st-csv-hierarchy').click());
  assert.equal(csv.name, 'smtp-pop3-lesson-protocol-hierarchy.csv');
  assert.match(csv.text, /^Protocol path,Frames,% frames,Bytes,% bytes\r\neth,72,100,6899,100\r\n/);
  await page.screenshot({ path: screenshotPath('stats-hierarchy.png') });
  await page.getByTestId('st-tab-properties').click();
  const props = Object.fromEntries(
    await page
      .getByTestId('st-properties')
      .locator('tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      ),
  );
  assert.equal(props['Number of packets'], `${stats.properties.packets}`);
  assert.equal(props['First packet time'], `${stats.properties.firstTime} UTC`);
  assert.equal(props['Data byte rate'], `${stats.properties.dataByteRate!.toFixed(2)} bytes/s`);
  await page.screenshot({ path: screenshotPath('stats-properties.png') });
});

test('Conversations: the TCP table has the engine numbers, a row opens its connection', async () => {
  await page.getByTestId('st-tab-conversations').click();
  const rows = page.getByTestId('st-conv-table').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), stats.conversations.tcp.length);
  const first = stats.conversations.tcp[0];
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 8), [
    first.a,
    first.b,
    `${first.framesAtoB}`,
    `${first.bytesAtoB}`,
    `${first.framesBtoA}`,
    `${first.bytesBtoA}`,
    `${first.framesAtoB + first.framesBtoA}`,
    `${first.bytesAtoB + first.bytesBtoA}`,
  ]);
  await page.getByTestId('st-conv-ip').click();
  assert.equal(await rows.count(), stats.conversations.ip.length);
  await page.getByTestId('st-conv-tcp').click();
  await page.screenshot({ path: screenshotPath('stats-conversations.png') });
  const csv = await downloaded(() => page.getByTestId('st-csv-conversations').click());
  assert.equal(csv.text.trimEnd().split('\r\n').length, 1 + stats.conversations.tcp.length);
  // The second conversation (POP3): its row chooses its first packet in the main window.
  const second = stats.conversations.tcp[1];
  await rows.nth(1).click();
  await page.getByTestId('statistics').waitFor({ state: 'detached' });
  await page.locator('[data-testid="packet-row"].selected').waitFor();
  assert.equal(
    Number(await page.locator('[data-testid="packet-row"].selected span:first-child').innerText()),
    second.firstFrame,
  );
});

test('Stevens graph: a dot per segment, zoom narrows the time axis, tcptrace draws ACK and window', async () => {
  await page.getByTestId('statistics-button').click();
  await page.getByTestId('st-tab-tcp').click();
  const chart = page.getByTestId('st-tcp-chart');
  await chart.locator('circle').first().waitFor();
  const connection = Number(await page.getByTestId('st-tcp-connection').inputValue());
  const graph = await engine.getTcpStreamGraph(id, connection, 'client');
  assert.equal(await chart.locator('circle').count(), graph.segments.length);
  assert.match(await page.getByTestId('st-graph-explanation').innerText(), /sequence number/);
  await page.screenshot({ path: screenshotPath('stats-stevens.png') });
  const ticks = async () => (await chart.locator('.axis text').allInnerTexts()).join(' ');
  const before = await ticks();
  await chart.getByRole('button', { name: 'Zoom in' }).click();
  await chart.getByRole('button', { name: 'Zoom in' }).click();
  await page.waitForFunction(
    (b) =>
      Array.from(
        document.querySelectorAll('[data-testid="st-tcp-chart"] .axis text'),
        (t) => t.textContent,
      ).join(' ') !== b,
    before,
  );
  assert.ok(
    (await chart.locator('circle').count()) < graph.segments.length,
    'zoomed in, fewer segments are in view',
  );
  await page.getByTestId('st-tcp-chart-reset').click();
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="st-tcp-chart"] circle').length === n,
    graph.segments.length,
  );
  const svg = await downloaded(() => page.getByTestId('st-tcp-chart-svg').click());
  assert.match(svg.name, /^connection-\d+-client-stevens\.svg$/);
  assert.match(svg.text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.text.match(/<circle/g) ?? []).length, graph.segments.length);
  await page.getByTestId('st-graph-tcptrace').click();
  await chart.locator('path.line-ack').waitFor();
  assert.ok((await chart.locator('path.line-window').getAttribute('d'))!.length > 10);
  assert.equal(
    await chart.locator('line.bar-segment, line.bar-retransmission').count(),
    graph.segments.length,
  );
  assert.match(await page.getByTestId('st-tcp-chart-note').innerText(), /window never held this sender back/);
  await page.screenshot({ path: screenshotPath('stats-tcptrace.png') });
  // The other three graphs draw their samples, each with its explanation.
  for (const [kind, marks, count] of [
    ['rtt', 'circle.dot-sample', graph.rtt.length],
    ['window', 'circle.dot-data', graph.inFlight.length],
    ['throughput', 'circle.dot-sample', graph.throughput.length],
  ] as const) {
    await page.getByTestId(`st-graph-${kind}`).click();
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(`[data-testid="st-tcp-chart"] ${sel}`).length === n,
      [marks, count] as const,
    );
    assert.ok(count > 0, kind);
    assert.ok((await page.getByTestId('st-graph-explanation').innerText()).length > 100);
    await page.screenshot({ path: join(ROOT, 'test-artifacts', `stats-${kind}.png`) });
  }
});

test('IO Graph: one line per display-filter series, totals as the engine counts', async () => {
  await page.getByTestId('st-tab-io').click();
  await page.getByTestId('st-io-filter-1').fill('pop');
  await page.getByTestId('st-io-apply').click();
  const io = await engine.getIoGraph(id, 1, ['', 'pop']);
  const chart = page.getByTestId('st-io-chart');
  await chart.getByText(`pop (${io.series[1].frames.reduce((a, b) => a + b, 0)})`).waitFor();
  assert.equal(await chart.locator('path.line-series-0, path.line-series-1').count(), 2);
  assert.match(
    await chart.locator('.st-legend').innerText(),
    new RegExp(`all packets \\(${stats.properties.packets}\\)`),
  );
  const csv = await downloaded(() => page.getByTestId('st-csv-io').click());
  assert.equal(csv.text.trimEnd().split('\r\n').length, 1 + io.series[0].frames.length);
  await page.screenshot({ path: screenshotPath('stats-io-graph.png') });
});

test('retransmissions are red on a capture that has them', async () => {
  assert.deepEqual(errors, []);
  // A window of its own on a capture with retransmissions.
  const other = new Engine({});
  const otherId = (await other.openFile(RESENT)).id;
  await other.session(otherId).ready();
  const otherServer = await startServer({ engine: other, rendererRoot: RENDERER_DIST, port: 0 });
  const p = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const otherErrors = collectConsoleErrors(p);
  try {
    const graphs = [
      await other.getTcpStreamGraph(otherId, 0, 'client'),
      await other.getTcpStreamGraph(otherId, 0, 'server'),
    ];
    const g = graphs.find((x) => x.segments.some((s) => s.retransmission))!;
    await p.goto(otherServer.url);
    await p.getByTestId('packet-row').first().waitFor();
    await p.getByTestId('statistics-button').click();
    await p.getByTestId('st-tab-tcp').click();
    await p.getByTestId('st-tcp-direction').selectOption(g.direction);
    const red = p.getByTestId('st-tcp-chart').locator('circle.dot-retransmission');
    await red.first().waitFor();
    assert.equal(await red.count(), g.segments.filter((s) => s.retransmission).length);
    const fill = await red.first().evaluate((c) => getComputedStyle(c).fill);
    assert.match(fill, /rgb\((1[5-9]\d|2\d\d), \d{1,2}, \d{1,2}\)/, `red, not ${fill}`);
    await p.screenshot({ path: screenshotPath('stats-stevens-retransmissions.png') });
    assert.deepEqual(otherErrors, []);
  } finally {
    await p.close();
    await otherServer.close();
    await other.close();
  }
});
