/**
 * Screenshots of the lab's drawer for README (docs/images/lab-type-this.png, lab-inbox.png at
 * 1366×768): starts `wirelens lab` on free ports (no browser, no capture), delivers the five-minute
 * lesson's mail to its SMTP server, and opens the Lab drawer in Debian's Chromium.
 *   node --import tsx scripts/lab-screenshots.ts   (build the renderer first: npm run build:renderer)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/helpers/browser';
import { waitForOutput } from '../test/helpers/child-output';

const ROOT = new URL('..', import.meta.url).pathname;

function free(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function send(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    s.on('data', () => undefined);
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

const ports = await Promise.all(Array.from({ length: 7 }, free));
const [smtp, smtps, pop3, pop3s, http, ftp, app] = ports;
const pasv = 41000 + Math.floor(Math.random() * 1000);
const dir = mkdtempSync(join(tmpdir(), 'wirelens-lab-shots-'));
const lab = spawn(
  process.execPath,
  [
    join(ROOT, 'bin/wirelens.mjs'),
    'lab',
    '--no-open',
    '--no-capture',
    '--dir',
    dir,
    '--smtp',
    `${smtp}`,
    '--smtps',
    `${smtps}`,
    '--pop3',
    `${pop3}`,
    '--pop3s',
    `${pop3s}`,
    '--http',
    `${http}`,
    '--ftp',
    `${ftp}`,
    '--ftp-pasv',
    `${pasv}-${pasv + 9}`,
    '--port',
    `${app}`,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
try {
  const banner = await waitForOutput(lab, /Press Ctrl\+C to stop/);
  const url = /Wirelens is serving the lab at (\S+)/.exec(banner)![1];
  await send(
    smtp,
    'EHLO sam\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nFrom: The Principal <principal@school.example>\r\nSubject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n',
  );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(url);
    await page.getByTestId('lab-button').filter({ hasText: '1 message' }).waitFor();
    await page.getByTestId('lab-button').click();
    await page.getByTestId('lab-type-this').waitFor();
    await page.screenshot({ path: join(ROOT, 'docs/images/lab-type-this.png') });
    await page.getByTestId('lab-tab-inbox').click();
    await page.getByTestId('lab-message').first().click();
    await page.getByTestId('lab-message-detail').waitFor();
    await page.screenshot({ path: join(ROOT, 'docs/images/lab-inbox.png') });
    console.log('wrote docs/images/lab-type-this.png and docs/images/lab-inbox.png');
  } finally {
    await browser.close();
  }
} finally {
  lab.kill('SIGINT');
  await new Promise((r) => lab.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
