/**
 * UI benchmark in Chromium (browser mode, playwright-core; `npm run bench -- --ui [FILE]`): the
 * performance issue's app targets, measured — time to the first packet rows of a big capture,
 * scrolling the packet list to its last row and the frame times while scrolling, display filters
 * over every packet, and a 10,000-event ladder drawn and scrolled. Figures, not pass/fail.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser';
import { spawn } from 'node:child_process';
import type { CaptureInfo, ConnectionView, FilterResult, LoadStatus } from '../api/engine-api';
import { PACKAGE_ROOT, RENDERER_DIST } from '../electron/shared/paths';
import { waitForOutput } from '../test/helpers/child-output';
import { connectRemoteEngine } from './engine-ws-client';
import { writeLongLadderCapture } from './long-ladder-capture';

export interface UiFigures {
  file: string;
  packets: number;
  /** Median of three rounds (page clock: from just before the open request to the first row in the page). */
  firstRowsMs: number;
  firstRowsRounds: number[];
  coldFirstRowsMs: number;
  loadedMs: number;
  scrollToEndMs: number;
  scrollFrameP95Ms: number;
  /** Scrolling as a mouse wheel does: 3 rows per frame from the top. */
  wheelFrameP95Ms: number;
  /** The same wheel-like scrolling of an empty page (a tall div, nothing drawn): this browser's and machine's own frame jitter. */
  emptyPageWheelP95Ms: number;
  filters: Array<{ filter: string; displayed: number; ms: number }>;
  ladder: { events: number; firstDrawMs: number; drawnArrows: number; scrollFrameP95Ms: number };
}

/**
 * Scrolls an element in `steps` animation frames and returns the p95 frame time: top to bottom
 * (`px` null: every frame a new part of the list) or down by `px` a frame from the top (a wheel).
 */
async function scrollFrames(page: Page, selector: string, steps: number, px: number | null = null): Promise<number> {
  return page.evaluate(
    async ({ selector, steps, px }) => {
      const el = document.querySelector(selector) as HTMLElement;
      if (px !== null) {
        el.scrollTop = 0;
        await new Promise((r) => setTimeout(r, 300));
      }
      const times: number[] = [];
      let last = performance.now();
      for (let i = 1; i <= steps; i++) {
        if (px === null) el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / steps;
        else el.scrollTop += px;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length * 0.95)];
    },
    { selector, steps, px },
  );
}

/**
 * Time from just before `open` is sent to the frame after the first packet row entered the page,
 * on the page's own clock (a MutationObserver; the harness's polling would add its own delay).
 */
async function firstRowOnPageClock(page: Page, open: () => Promise<void>): Promise<number> {
  // The page the user looks at: Chromium throttles animation frames of pages in the background.
  await page.bringToFront();
  await page.evaluate(() => {
    const w = window as unknown as { __firstRow?: number };
    const start = performance.now();
    const obs = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="packet-row"]')) return;
      obs.disconnect();
      requestAnimationFrame(() => (w.__firstRow = performance.now() - start));
    });
    obs.observe(document.body, { subtree: true, childList: true });
  });
  await open();
  await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow !== undefined, undefined, { timeout: 60000 });
  return page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow);
}

/** One round of the first-rows figure in its own `wirelens serve`, stopped afterwards. */
async function firstRowsInFreshEngine(browser: Awaited<ReturnType<typeof launchChromium>>, file: string): Promise<number> {
  const serve = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'wirelens.mjs'), 'serve', '--empty', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const printed = await waitForOutput(serve, /at (http:\/\/\S+)/);
    const url = /at (http:\/\/\S+)/.exec(printed)![1];
    const engine = await connectRemoteEngine(url);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(url);
      await page.getByText('No capture open').waitFor();
      return await firstRowOnPageClock(page, async () => void (await engine.call<CaptureInfo>('openFile', file)));
    } finally {
      await page.close();
      engine.close();
    }
  } finally {
    serve.kill('SIGINT');
    await new Promise((r) => serve.once('exit', r));
  }
}

export async function uiBench(file: string, workDir: string): Promise<UiFigures> {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) throw new Error('run `npm run build` first');
  // The engine runs as in browser mode: its own process (`wirelens serve`), driven over its WebSocket.
  const serve = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'wirelens.mjs'), 'serve', '--empty', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = await waitForOutput(serve, /at (http:\/\/\S+)/);
  const url = /at (http:\/\/\S+)/.exec(printed)![1];
  const engine = await connectRemoteEngine(url);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Opening in a running window: the engine starts reading, the page shows rows as soon as there are some.
    await page.goto(url);
    await page.getByText('No capture open').waitFor();
    // Two earlier rounds, each in a fresh engine (a load cannot be cancelled), and this one.
    const rounds = [await firstRowsInFreshEngine(browser, file), await firstRowsInFreshEngine(browser, file)];
    const t0 = performance.now();
    let info!: CaptureInfo;
    rounds.push(await firstRowOnPageClock(page, async () => void (info = await engine.call<CaptureInfo>('openFile', file))));
    rounds.sort((a, b) => a - b);
    const firstRowsMs = rounds[1];
    // And a cold start: a new page loaded while the file is being read.
    const cold = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const tc = performance.now();
    await cold.goto(url);
    await cold.getByTestId('packet-row').first().waitFor({ timeout: 60000 });
    const coldFirstRowsMs = performance.now() - tc;
    await cold.close();
    let st = await engine.call<LoadStatus>('getStatus', info.id);
    while (st.state === 'loading') {
      await new Promise((r) => setTimeout(r, 200));
      st = await engine.call<LoadStatus>('getStatus', info.id);
    }
    const loadedMs = performance.now() - t0;
    const packets = st.packets;
    await page.getByTestId('status').filter({ hasText: `${packets} packets` }).waitFor({ timeout: 60000 });

    // Jump to the last row, on the page's clock: from setting scrollTop to the frame after the row
    // numbered `packets` is in the page (Playwright's own polling would add its interval).
    const scrollToEndMs = await page.evaluate(async (packets) => {
      const el = document.querySelector('[data-testid="packet-list"]') as HTMLElement;
      const start = performance.now();
      const shown = new Promise<number>((resolve) => {
        const obs = new MutationObserver(() => {
          for (const s of el.querySelectorAll('[data-testid="packet-row"] span:first-child')) {
            if (s.textContent !== String(packets)) continue;
            obs.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
            return;
          }
        });
        obs.observe(el, { subtree: true, childList: true, characterData: true });
      });
      el.scrollTop = el.scrollHeight;
      return shown;
    }, packets);
    const scrollFrameP95Ms = await scrollFrames(page, '[data-testid="packet-list"]', 120);
    const wheelFrameP95Ms = await scrollFrames(page, '[data-testid="packet-list"]', 240, 66);

    const filters: UiFigures['filters'] = [];
    for (const filter of ['tcp.port == 25', 'smtp.req.command == "MAIL" || pop.request.command == "RETR"', 'tcp.analysis.retransmission', 'frame.len > 1000 && !tls']) {
      const t = performance.now();
      const r = await engine.call<FilterResult>('setFilter', info.id, filter);
      filters.push({ filter, displayed: r.displayed, ms: performance.now() - t });
    }
    await engine.call('setFilter', info.id, '');

    // The 10,000-event ladder, in a fresh window.
    const ladderFile = join(workDir, 'ladder-10k.pcap');
    if (!existsSync(ladderFile)) writeLongLadderCapture(ladderFile);
    const lpage = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await lpage.goto(url);
    await lpage.getByText('No capture open').waitFor().catch(() => undefined);
    const l = await engine.call<CaptureInfo>('openFile', ladderFile);
    const events = (await engine.call<ConnectionView>('getConnection', l.id, 0)).ladder.length;
    await lpage.reload();
    const row = lpage.getByTestId('connection-row').filter({ hasText: '10.0.0.1:40000' });
    await row.first().waitFor();
    // From the click to the frame after the first arrow entered the page, on the page's clock.
    const firstDrawMs = await lpage.evaluate(async () => {
      const conn = [...document.querySelectorAll<HTMLElement>('[data-testid="connection-row"]')].find((r) => r.textContent!.includes('10.0.0.1:40000'))!;
      const start = performance.now();
      const drawn = new Promise<number>((resolve) => {
        const obs = new MutationObserver(() => {
          if (!document.querySelector('[data-testid="ladder-arrow"]')) return;
          obs.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - start));
        });
        obs.observe(document.body, { subtree: true, childList: true });
      });
      conn.click();
      return drawn;
    });
    await lpage.getByTestId('ladder-arrow').first().waitFor();
    const drawnArrows = await lpage.getByTestId('ladder-arrow').count();
    const ladderP95 = await scrollFrames(lpage, '[data-testid="ladder"]', 120);
    const empty = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await empty.setContent('<div data-testid="empty" style="height:800px;overflow:auto"><div style="height:44000000px"></div></div>');
    const emptyPageWheelP95Ms = await scrollFrames(empty, '[data-testid="empty"]', 240, 66);
    await empty.close();
    return { file, packets, firstRowsMs, firstRowsRounds: rounds, coldFirstRowsMs, loadedMs, scrollToEndMs, scrollFrameP95Ms, wheelFrameP95Ms, emptyPageWheelP95Ms, filters, ladder: { events, firstDrawMs, drawnArrows, scrollFrameP95Ms: ladderP95 } };
  } finally {
    await browser.close();
    engine.close();
    serve.kill('SIGINT');
  }
}

export function printUi(f: UiFigures): void {
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`\n== UI in Chromium (browser mode): ${f.file} (${fmt(statSync(f.file).size / 1048576, 0)} MiB, ${fmt(f.packets)} packets)`);
  console.log(`first packet rows on screen: ${fmt(f.firstRowsMs)} ms after opening in a running window (median of ${f.firstRowsRounds.map((x) => fmt(x)).join(', ')}; page clock, up to the frame after the first row is in the page); ${fmt(f.coldFirstRowsMs)} ms for a new page loaded meanwhile (whole file indexed after ${fmt(f.loadedMs / 1000, 1)} s)`);
  console.log(`packet list: jump to the last row ${fmt(f.scrollToEndMs)} ms (page clock); scrolling top to bottom in 120 frames (all rows new each frame): p95 frame ${fmt(f.scrollFrameP95Ms, 1)} ms; wheel-like, 3 rows a frame for 240 frames: p95 frame ${fmt(f.wheelFrameP95Ms, 1)} ms (an empty page scrolled the same way: p95 ${fmt(f.emptyPageWheelP95Ms, 1)} ms)`);
  for (const x of f.filters) console.log(`display filter over ${fmt(f.packets)} packets: ${x.filter} → ${fmt(x.displayed)} rows in ${fmt(x.ms)} ms`);
  console.log(`ladder of ${fmt(f.ladder.events)} events: first draw ${fmt(f.ladder.firstDrawMs)} ms after the click (page clock), ${f.ladder.drawnArrows} arrows in the DOM, scrolling p95 frame ${fmt(f.ladder.scrollFrameP95Ms, 1)} ms`);
}
