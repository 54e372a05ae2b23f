/**
 * `wirelens analyze` (text) says which login worked: a wrong POP3 password then the right one
 * (fixtures/recorded/pop3-numbers-and-errors.pcap, Dovecot on loopback) are listed as refused, then
 * accepted; `--json` carries the same as each credential's `outcome`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { parseArgs } from '../../../electron/cli/args';
import { analyzeCommand } from '../../../electron/cli/commands/analyze';
import { FIXTURES } from '../../helpers/fixtures';

const CAPTURE = join(FIXTURES, 'recorded', 'pop3-numbers-and-errors.pcap');

async function analyze(args: string[]): Promise<string> {
  const parts: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      parts.push(String(chunk));
      done();
    },
  });
  assert.equal(await analyzeCommand(parseArgs([CAPTURE, ...args], new Set()), out), 0);
  return parts.join('');
}

test('the text report says which login the server accepted', async () => {
  const text = await analyze([]);
  assert.match(
    text,
    /pop3 USER\/PASS user="pari" password="ninj4" \(connection #0, frame 14\) login refused\n/,
  );
  assert.match(
    text,
    /pop3 USER\/PASS user="pari" password="ninja" \(connection #0, frame 22\) login accepted\n/,
  );
});

test('the JSON report carries each credential outcome', async () => {
  const report = JSON.parse(await analyze(['--json'])) as {
    credentials: Array<{ password: string; outcome: string }>;
  };
  assert.deepEqual(
    report.credentials.map((c) => [c.password, c.outcome]),
    [
      ['ninj4', 'refused'],
      ['ninja', 'accepted'],
    ],
  );
});
