/**
 * System tier (issue 23 item 5): `contains` and `matches` on a protocol name search that protocol's
 * bytes as tshark does (`tcp` = the segment, `ip` = the datagram, `smtp`/`pop`/`ftp`/`http` = the
 * application payload of the frame): the same filter text selects the same frames in Wirelens's
 * engine as in the tshark installed here, on the recorded lesson captures.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../electron/engine/engine';
import { FIXTURES } from '../helpers/fixtures';

/** The lesson ports tshark does not know (Wirelens recognises these protocols by their bytes). */
const DECODE_AS = ['tcp.port==1025,smtp', 'tcp.port==1110,pop', 'tcp.port==11310,pop', 'tcp.port==2121,ftp'];

function tsharkFrames(file: string, filter: string): number[] {
  const r = spawnSync(
    'tshark',
    [
      '-n',
      '-r',
      file,
      ...DECODE_AS.flatMap((d) => ['-d', d]),
      '-Y',
      filter,
      '-T',
      'fields',
      '-e',
      'frame.number',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `tshark -Y '${filter}': ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

async function ourFrames(engine: Engine, id: string, filter: string): Promise<number[]> {
  const res = await engine.setFilter(id, filter);
  assert.ok(res.ok, `${filter}: ${res.error}`);
  const frames: number[] = [];
  while (frames.length < res.displayed) {
    const rows = await engine.getPackets(id, frames.length, 5000);
    if (!rows.length) break;
    frames.push(...rows.map((r) => r.no));
  }
  return frames;
}

const CASES: Array<{ file: string; filters: string[] }> = [
  {
    file: join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'),
    filters: [
      'tcp contains "MAIL"',
      'smtp contains "MAIL"',
      'smtp contains "250"',
      'ip contains "EHLO"',
      'tcp matches "^ehlo"',
      'smtp matches "^ehlo"',
      'smtp matches "^(?-i)rcpt to"',
      'pop contains "+OK"',
      'pop matches "^retr \\\\d"',
      'tcp contains 04:01',
      'frame contains "USER"',
      'smtp matches "\\\\r$"',
      'smtp matches "\\\\r\\\\n."',
      'smtp matches "^(?-i)[A-Z]{4} "',
      'tcp matches "\\\\bAUTH\\\\b"',
    ],
  },
  {
    file: join(FIXTURES, 'recorded', 'ftp-transfers-and-mistakes.pcap'),
    filters: [
      'tcp contains "PASV"',
      'ftp contains "227"',
      'ftp matches "^(RETR|STOR) "',
      'ip contains "LIST"',
      'tcp contains 08:49',
      'ftp contains 0d:0a',
    ],
  },
  {
    file: join(FIXTURES, 'recorded', 'pop3-numbers-and-errors.pcap'),
    filters: ['pop contains "-ERR"', 'tcp contains "DELE"', 'pop matches "^(list|retr|dele) [0-9]+"'],
  },
];

for (const c of CASES) {
  test(`protocol contains/matches select the frames tshark -Y selects: ${c.file.slice(FIXTURES.length + 1)}`, async () => {
    const engine = new Engine({});
    try {
      const cap = await engine.openFile(c.file);
      while ((await engine.getStatus(cap.id)).state === 'loading')
        await new Promise((r) => setTimeout(r, 10));
      let nonEmpty = 0;
      for (const f of c.filters) {
        const want = tsharkFrames(c.file, f);
        assert.deepEqual(await ourFrames(engine, cap.id, f), want, f);
        if (want.length) nonEmpty++;
      }
      assert.ok(
        nonEmpty >= c.filters.length - 2,
        'most filters select frames (the comparison is not of empty sets)',
      );
    } finally {
      await engine.close();
    }
  });
}
