/**
 * Each side's TCP state while stepping, in Chromium on real captures: the lesson's handshake and
 * close (SYN-SENT/LISTEN, both ESTABLISHED, FIN-WAIT-1, then CLOSED and TIME-WAIT at the last step),
 * a simultaneous close (CLOSING, explained as such), a capture starting mid-connection ("Unknown",
 * said honestly), and the diagram in presenter mode.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { collectConsoleErrors, launchChromium } from '../helpers/browser';
import { FIXTURES } from '../helpers/fixtures';

let browser: Browser;
const running: Array<{ engine: Engine; server: RunningServer }> = [];
const consoleErrors: string[] = [];

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  for (const r of running) {
    await r.server.close();
    await r.engine.close();
  }
  assert.deepEqual(consoleErrors, [], 'no console errors');
});

async function open(file: string): Promise<Page> {
  const engine = new Engine({});
  await engine.openFile(join(FIXTURES, file));
  const server = await startServer({ engine, rendererRoot: RENDERER_DIST, port: 0 });
  running.push({ engine, server });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = collectConsoleErrors(page);
  page.on('close', () => consoleErrors.push(...errors));
  await page.goto(server.url);
  await page.getByTestId('tcp-states').waitFor();
  return page;
}

const state = (page: Page, side: 'client' | 'server') =>
  page.locator(`.explain [data-testid="tcp-state-${side}"]`).getAttribute('data-state');
async function stepTo(page: Page, n: number): Promise<void> {
  const count = page.getByTestId('step-count');
  for (;;) {
    const m = (await count.innerText()).match(/^Step (\d+) of/);
    const at = m ? Number(m[1]) : 0;
    if (at === n) return;
    await page.keyboard.press(at < n ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForFunction(
      ([prev]) =>
        !document.querySelector('[data-testid="step-count"]')!.textContent!.startsWith(`Step ${prev} of`),
      [at],
    );
  }
}

test('the lesson: the lit state follows the steps, each change said in a sentence', async () => {
  const page = await open('lessons/smtp-pop3-lesson.pcap');
  try {
    // Before any step: the client CLOSED, the server LISTENing.
    assert.deepEqual([await state(page, 'client'), await state(page, 'server')], ['CLOSED', 'LISTEN']);
    await stepTo(page, 1);
    assert.deepEqual([await state(page, 'client'), await state(page, 'server')], ['SYN-SENT', 'LISTEN']);
    const lit = page.locator('.explain [data-testid="tcp-state-client"] [aria-current="true"]');
    assert.equal(await lit.innerText(), 'SYN-SENT');
    assert.match(
      await page.getByTestId('tcp-state-changes').innerText(),
      /The client sent SYN: it asks to open a connection/,
    );
    await stepTo(page, 3);
    assert.deepEqual(
      [await state(page, 'client'), await state(page, 'server')],
      ['ESTABLISHED', 'ESTABLISHED'],
    );
    // The server's FIN (the last but one step), then the client's FIN with the final ACK.
    const total = Number((await page.getByTestId('step-count').innerText()).match(/of (\d+)/)![1]);
    await stepTo(page, total - 1);
    assert.deepEqual(
      [await state(page, 'client'), await state(page, 'server')],
      ['ESTABLISHED', 'FIN-WAIT-1'],
    );
    assert.match(
      await page.getByTestId('tcp-state-changes').innerText(),
      /The server sent FIN: it will send no more data, but can still receive\./,
    );
    await stepTo(page, total);
    assert.deepEqual([await state(page, 'client'), await state(page, 'server')], ['CLOSED', 'TIME-WAIT']);
    assert.match(await page.getByTestId('tcp-state-server-now').innerText(), /^TIME-WAIT: closed both ways/);
    // The same diagram in presenter mode.
    await page.getByTestId('present').click();
    await page
      .locator('[data-testid="presenter"] [data-testid="tcp-state-server"][data-state="TIME-WAIT"]')
      .waitFor();
    await page.keyboard.press('Escape');
  } finally {
    await page.close();
  }
});

test('a simultaneous close passes through CLOSING on both sides', async () => {
  const page = await open('corpus/suricata-verify/tests/bug-3519/input.pcap');
  try {
    const total = Number((await page.getByTestId('step-count').innerText()).match(/(\d+) steps/)![1]);
    await stepTo(page, total);
    assert.deepEqual([await state(page, 'client'), await state(page, 'server')], ['TIME-WAIT', 'TIME-WAIT']);
    // CLOSING was passed through (marked) and explained in one of the last steps.
    assert.equal(
      await page
        .locator('.explain [data-testid="tcp-state-client"] .tcp-state.passed', { hasText: 'CLOSING' })
        .count(),
      1,
    );
    let said = '';
    for (let n = total; n > total - 3 && !/simultaneous close/.test(said); n--) {
      await stepTo(page, n);
      said = await page.locator('.explain .tcp-states').innerText();
    }
    assert.match(said, /both sides are closing at once \(a simultaneous close\)/);
  } finally {
    await page.close();
  }
});

test('a capture that starts mid-connection says the state is unknown', async () => {
  const page = await open('corpus/chrissanders-packets/tcp_teardown.pcapng');
  try {
    assert.deepEqual([await state(page, 'client'), await state(page, 'server')], ['unknown', 'unknown']);
    assert.match(
      await page.getByTestId('tcp-state-client-now').innerText(),
      /^Unknown: the capture starts after the handshake/,
    );
    assert.equal(await page.locator('.explain .tcp-states [aria-current="true"]').count(), 0, 'no state lit');
    // Step 1, the server's FIN (frame 1), stands for frames 1-2: the client's ACK (frame 2) is in it.
    await stepTo(page, 1);
    assert.deepEqual(
      [await state(page, 'client'), await state(page, 'server')],
      ['CLOSE-WAIT', 'FIN-WAIT-2'],
    );
    assert.match(
      await page.getByTestId('tcp-state-changes').innerText(),
      /\? → FIN-WAIT-1 The server sent FIN/,
    );
  } finally {
    await page.close();
  }
});
