/**
 * `wirelens stats` as a user runs it (bin/wirelens.mjs in a child process): each table with the
 * numbers of the tshark goldens (fixtures/golden/stats), JSON equal to the engine's, and usage errors
 * with exit code 2 and the offending text escaped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, ROOT } from '../../helpers/fixtures';
import { goldenPath } from '../../../scripts/golden/stats';
import { parseConversations, parseEndpoints, parseIoStat } from '../../helpers/tshark-stats';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const WEB = join(FIXTURES, 'corpus/chrissanders-packets/http_ip4and6.pcapng');
const LESSON = join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap');

function wirelens(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WIRELENS_FROM_SOURCE: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("stats --conv tcp prints tshark's frames, bytes, start and duration for each conversation", () => {
  const r = wirelens('stats', WEB, '--conv', 'tcp');
  assert.equal(r.code, 0, r.err);
  for (const c of parseConversations(readFileSync(goldenPath(WEB, 'conv-tcp'), 'utf8'))) {
    const [addrA, portA] = [c.a.slice(0, c.a.lastIndexOf(':')), c.a.slice(c.a.lastIndexOf(':') + 1)];
    const a = addrA.includes(':') ? `[${addrA}]:${portA}` : c.a;
    const line = r.out.split('\n').find((l) => l.startsWith(`${a} `));
    assert.ok(line, `a row for ${a}`);
    const nums = line.split(/\s+/).slice(3, 11);
    assert.deepEqual(nums, [
      `${c.framesBtoA}`,
      `${c.bytesBtoA}`,
      `${c.framesAtoB}`,
      `${c.bytesAtoB}`,
      `${c.frames}`,
      `${c.bytes}`,
      c.start,
      c.duration,
    ]);
  }
});

test("stats --endpoints ip --json and --io 1 give tshark's numbers", () => {
  const r = wirelens('stats', LESSON, '--endpoints', 'ip', '--json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    JSON.parse(r.out),
    parseEndpoints(readFileSync(goldenPath(LESSON, 'endpoints-ip'), 'utf8')),
  );
  const io = wirelens('stats', LESSON, '--io', '1', '--json');
  const rows = parseIoStat(readFileSync(goldenPath(LESSON, 'io-1'), 'utf8')).rows;
  const g = JSON.parse(io.out) as { series: Array<{ frames: number[]; bytes: number[] }> };
  assert.deepEqual(
    g.series[0].frames,
    rows.map((x) => x.frames),
  );
  assert.deepEqual(
    g.series[0].bytes,
    rows.map((x) => x.bytes),
  );
});

test('stats --io with filters prints one column pair per filter; a bad filter is an error', () => {
  const r = wirelens('stats', LESSON, '--io', '1', '--filter', 'smtp', '--filter', 'pop');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Col 1: smtp\nCol 2: pop\n/);
  assert.equal(
    r.out
      .trimEnd()
      .split('\n')
      .filter((l) => / <> /.test(l)).length,
    6,
  );
  const bad = wirelens('stats', LESSON, '--io', '1', '--filter', 'tcp.port = = 25');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /filter 'tcp.port = = 25'/);
});

test('stats usage errors: no table, two tables, an unknown kind (escaped)', () => {
  assert.equal(wirelens('stats', LESSON).code, 2);
  assert.equal(wirelens('stats', LESSON, '--phs', '--capinfos').code, 2);
  const r = wirelens('stats', LESSON, '--conv', 'x\u001b[31m');
  assert.equal(r.code, 2);
  assert.ok(!r.err.includes('\u001b'), 'the terminal escape is not printed raw');
  assert.match(r.err, /--conv is tcp, udp, ip or ipv6/);
});
