#!/usr/bin/env node
/**
 * Types a POP3 or FTP session line by line, as a student would with `ncat --crlf` (and a second ncat
 * for each FTP data connection), waiting for the server's answer after each line. Used to record the
 * regression captures of fixtures/recorded/ (see scripts/record-pop3-ftp-mistakes.sh).
 *
 *   node scripts/lesson/line-session.mjs PORT EOL LINE...
 *
 * EOL is `crlf` or `lf` (what `nc` without -C sends). A LINE is sent as typed, except:
 *   `@data`           open the data connection to the port of the last 227 reply (PASV)
 *   `@upload TEXT`    after the last command's 150 reply, send TEXT on the data connection and close it
 *   `@wait MS`        pause
 * Only loopback (127.0.0.1) is used.
 */
import net from 'node:net';

const [portArg, eolArg, ...lines] = process.argv.slice(2);
const port = Number(portArg);
const eol = eolArg === 'lf' ? '\n' : '\r\n';
if (!Number.isInteger(port) || !['crlf', 'lf'].includes(eolArg)) {
  console.error('usage: line-session.mjs PORT crlf|lf LINE...');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let received = '';
let lastAt = Date.now();
const control = net.connect(port, '127.0.0.1');
control.setNoDelay(true);
// The server may close first (QUIT, too many errors): listen for it from the start.
const closed = new Promise((r) => control.once('close', r));
control.on('data', (d) => {
  received += d.toString('latin1');
  lastAt = Date.now();
  process.stdout.write(d.toString('latin1').replace(/[^\n\r\t\x20-\x7e]/g, '?'));
});
await new Promise((r, j) => control.once('connect', r).once('error', j));

/** Waits until the server said something after `mark` and then stayed quiet for `quiet` ms (at most `max`). */
async function answered(mark, quiet = 300, max = 5000) {
  const start = Date.now();
  while (Date.now() - start < max) {
    if (received.length > mark && Date.now() - lastAt >= quiet) return;
    await sleep(25);
  }
}

let data = null;
let dataClosed = Promise.resolve();
await answered(0);
for (const line of lines) {
  if (line === '@data') {
    const m = /227 .*\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/g;
    let last = null;
    for (let x = m.exec(received); x; x = m.exec(received)) last = x;
    if (!last) throw new Error('no 227 reply to connect to');
    data = net.connect(Number(last[5]) * 256 + Number(last[6]), '127.0.0.1');
    data.on('data', () => {});
    data.on('error', () => {});
    dataClosed = new Promise((r) => data.once('close', r));
    await new Promise((r) => data.once('connect', r));
    await sleep(300);
    continue;
  }
  if (line.startsWith('@upload ')) {
    data.end(line.slice('@upload '.length).replace(/\\n/g, '\n'));
    await dataClosed;
    await answered(received.length - 1, 300);
    continue;
  }
  if (line.startsWith('@wait ')) {
    await sleep(Number(line.slice(6)));
    continue;
  }
  const mark = received.length;
  control.write(line + eol);
  await answered(mark);
  await sleep(200);
}
control.end();
await closed;
