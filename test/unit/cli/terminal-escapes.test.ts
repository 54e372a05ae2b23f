/**
 * Issue 21, item 10: text from a capture never reaches the terminal raw. A capture whose SMTP
 * greeting, EHLO, AUTH PLAIN credentials, MAIL FROM, POP3 USER/PASS and HTTP headers carry escape
 * sequences (OSC 0 title + BEL, CSI 2J clear screen, OSC 8 hyperlinks, 8-bit CSI, a bidi override)
 * is run through the real `wirelens` command: its text output (analyze, packets, follow in every
 * mode, errors) holds no control character but line feed and tab, no C1 control and no bidi
 * control; JSON keeps JSON.stringify's bytes for a pipe and escapes C1/bidi for a terminal.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { analyzeCommand } from '../../../electron/cli/commands/analyze';
import { packetsCommand } from '../../../electron/cli/commands/packets';
import { parseArgs } from '../../../electron/cli/args';
import { forTerminal, forTerminalLines, jsonForTerminal } from '../../../electron/cli/format';
import { ipv4TcpPacket, writePcap, type PcapRecordSpec } from '../../helpers/capture-writer';
import { ROOT } from '../../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const DIR = mkdtempSync(join(tmpdir(), 'wirelens-escapes-'));
const CAPTURE = join(DIR, 'hostile-terminal.pcap');
after(() => rmSync(DIR, { recursive: true, force: true }));

/** A control character a terminal would act on (line feed and tab are layout). */
const RAW_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

// Raw IPv4 (link type 101) TCP sessions on loopback addresses, each: handshake, turns, FINs.
const ESC = '\x1b',
  BEL = '\x07';
function session(
  sport: number,
  dport: number,
  turns: Array<['c' | 's', string | Uint8Array]>,
  records: PcapRecordSpec[],
  t0: number,
) {
  let cs = 1000,
    ss = 5000,
    t = t0;
  const push = (fromClient: boolean, flags: number, payload: Uint8Array) => {
    const data = ipv4TcpPacket({
      src: fromClient ? 0x7f000001 : 0x7f000002,
      dst: fromClient ? 0x7f000002 : 0x7f000001,
      sport: fromClient ? sport : dport,
      dport: fromClient ? dport : sport,
      seq: fromClient ? cs : ss,
      ack: fromClient ? ss : cs,
      flags,
      payload,
    });
    records.push({
      tsSec: 1_800_000_000 + Math.floor(t),
      tsFrac: Math.round((t % 1) * 1e6),
      origLen: data.length,
      data,
    });
    t += 0.01;
    const adv = payload.length + (flags & 0x03 ? 1 : 0);
    if (fromClient) cs += adv;
    else ss += adv;
  };
  push(true, 0x02, new Uint8Array(0));
  push(false, 0x12, new Uint8Array(0));
  push(true, 0x10, new Uint8Array(0));
  for (const [who, text] of turns)
    push(who === 'c', 0x18, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  push(true, 0x11, new Uint8Array(0));
  push(false, 0x11, new Uint8Array(0));
}
const records: PcapRecordSpec[] = [];
const title = `${ESC}]0;pwned${BEL}`,
  clear = `${ESC}[2J`,
  link = `${ESC}]8;;http://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`;
session(
  40002,
  25,
  [
    ['s', `220 mx ESMTP ${title}\r\n`],
    ['c', `EHLO ${clear}x\r\n`],
    ['s', '250-mx\r\n250 AUTH PLAIN LOGIN\r\n'],
    ['c', `AUTH PLAIN ${Buffer.from(`\0alice${title}\0s3cret${clear}\u202e`).toString('base64')}\r\n`],
    ['s', '235 ok\r\n'],
    ['c', `MAIL FROM:<a${link}@b>\r\n`],
    ['s', '250 ok\r\n'],
    ['c', 'QUIT\r\n'],
    ['s', '221 bye\r\n'],
  ],
  records,
  0,
);
session(
  40003,
  110,
  [
    ['s', `+OK ${title}\r\n`],
    ['c', `USER bob${clear}\r\n`],
    ['s', '+OK\r\n'],
    ['c', `PASS pw\u009b31m\u202e\r\n`],
    ['s', '+OK\r\n'],
    ['c', 'QUIT\r\n'],
    ['s', '+OK\r\n'],
  ],
  records,
  1,
);
session(
  40004,
  80,
  [
    [
      'c',
      `GET /${title} HTTP/1.1\r\nHost: evil.example\r\nX-Link: ${link}\r\nX-C1: \u009b2J \u202egnp.exe\r\n\r\n`,
    ],
    [
      's',
      Buffer.concat([
        Buffer.from('HTTP/1.1 200 OK\r\nX-Raw: '),
        Buffer.from([0x9b, 0x32, 0x4a, 0x1b, 0x5d, 0x30, 0x3b, 0x78, 0x07]),
        Buffer.from('\r\nContent-Length: 0\r\n\r\n'),
      ]),
    ],
  ],
  records,
  2,
);
writeFileSync(
  CAPTURE,
  writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes,
);

function wirelens(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertNoRawControls(text: string, what: string): void {
  const m = RAW_CONTROL.exec(text);
  assert.equal(
    m,
    null,
    `${what}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 20))}`,
  );
}

test('the escapers: every unsafe character shown as \\xNN or \\uNNNN, layout kept only where asked', () => {
  assert.equal(
    forTerminal(`a${ESC}]0;t${BEL}b\tc\r\nd\u009b\u202e\u2066\u007f`),
    'a\\x1b]0;t\\x07b\\x09c\\x0d\\x0ad\\x9b\\u202e\\u2066\\x7f',
  );
  assert.equal(forTerminalLines(`line 1\n\tline 2${ESC}[2J\r`), 'line 1\n\tline 2\\x1b[2J\\x0d');
  assert.equal(forTerminal('plain text, é ✓ → ok'), 'plain text, é ✓ → ok');
  const json = JSON.stringify({ s: `x\u009b31m\u202e${ESC}` });
  assert.equal(jsonForTerminal(json), '{"s":"x\\u009b31m\\u202e\\u001b"}');
  assert.deepEqual(JSON.parse(jsonForTerminal(json)), JSON.parse(json), 'the same JSON value');
});

test('analyze (text): the hostile lines are shown with their escapes visible, nothing raw', () => {
  const r = wirelens('analyze', CAPTURE);
  assert.equal(r.code, 0, r.err);
  assertNoRawControls(r.out, 'analyze');
  // The attack is really in the capture, and shown visibly rather than dropped.
  assert.match(r.out, /220 mx ESMTP \\x1b\]0;pwned\\x07/);
  assert.match(r.out, /EHLO \\x1b\[2Jx/);
  assert.match(r.out, /MAIL FROM:<a\\x1b\]8;;http:\/\/evil\.example\/\\x1b\\click/);
  assert.match(r.out, /user="alice\\u001b\]0;pwned\\u0007" password="s3cret\\u001b\[2J\\u202e"/);
  assert.match(r.out, /USER bob\\x1b\[2J/);
  assert.match(r.out, /GET \/\\x1b\]0;pwned\\x07/);
});

test('packets (text) and follow (text, --hex, --raw) of every connection: nothing raw', () => {
  const p = wirelens('packets', CAPTURE);
  assert.equal(p.code, 0, p.err);
  assertNoRawControls(p.out, 'packets');
  assert.match(p.out, /\\x1b/, 'the escape is shown');
  for (const id of ['0', '1', '2']) {
    for (const mode of [[], ['--hex'], ['--raw']]) {
      const f = wirelens('follow', CAPTURE, id, ...mode);
      assert.equal(f.code, 0, f.err);
      assertNoRawControls(f.out, `follow ${id} ${mode.join(' ')}`);
    }
  }
  assert.match(wirelens('follow', CAPTURE, '2').out, /X-Link: \\x1b\]8;;http:\/\/evil\.example\//);
});

test('errors quoting the command line are escaped too', () => {
  const r = wirelens('analyze', join(DIR, `missing${ESC}]0;pwned${BEL}.pcap`));
  assert.equal(r.code, 1);
  assertNoRawControls(r.err, 'stderr');
  assert.match(r.err, /no such file: .*missing\\x1b\]0;pwned\\x07\.pcap/);
});

test('analyze --json and packets --json to a pipe: JSON.stringify escapes every C0 control; the values are intact', () => {
  const a = wirelens('analyze', CAPTURE, '--json');
  assert.equal(a.code, 0, a.err);
  assert.doesNotMatch(a.out.replace(/\n/g, ''), /[\u0000-\u001f]/);
  const report = JSON.parse(a.out) as {
    connections: Array<{ ladder: unknown[] }>;
    credentials: Array<{ username: string; password: string }>;
  };
  assert.ok(report.connections[0].ladder.length > 5);
  // The credentials keep the bytes as they were sent: the escape sequence is data in the JSON.
  assert.equal(report.credentials[0].username, `alice${title}`);
  assert.equal(report.credentials[0].password, `s3cret${clear}\u202e`);
  const p = wirelens('packets', CAPTURE, '--json');
  assert.equal(p.code, 0, p.err);
  assert.doesNotMatch(p.out.replace(/\n/g, ''), /[\u0000-\u001f]/);
});

test('--json to a terminal: C1 and bidi controls escaped as \\uNNNN as well, the same JSON values', async () => {
  const piped = JSON.parse(wirelens('analyze', CAPTURE, '--json').out) as unknown;
  for (const [command, expected] of [
    [analyzeCommand, piped],
    [packetsCommand, JSON.parse(wirelens('packets', CAPTURE, '--json').out) as unknown],
  ] as const) {
    const parts: string[] = [];
    const tty = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          parts.push(String(chunk));
          done();
        },
      }),
      { isTTY: true },
    );
    assert.equal(await command(parseArgs([CAPTURE, '--json'], new Set()), tty), 0);
    const text = parts.join('');
    assertNoRawControls(text.replace(/\n/g, ''), command.name);
    if (command === analyzeCommand)
      assert.match(text, /password": "s3cret\\u001b\[2J\\u202e"/, 'the bidi override written as an escape');
    assert.deepEqual(JSON.parse(text), expected);
  }
});
