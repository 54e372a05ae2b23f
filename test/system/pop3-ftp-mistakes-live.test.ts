/**
 * System tier: the POP3 and FTP mistakes of the lessons recorded afresh against Debian's Dovecot and
 * vsftpd on loopback (scripts/record-pop3-ftp-mistakes.sh, the recipe of the committed
 * fixtures/recorded/ captures), then checked against the tshark installed here:
 *  - every packet-list row's `Win=` equals tshark's Info (the window the connection uses, scaled
 *    after the handshake), and its SACK edges too;
 *  - the diagnoses, credential outcomes and message numbers are those the unit tier pins on the
 *    committed captures (the recording is reproducible, not a one-off).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Pop3Summary } from '../../dissectors/app/pop3/pop3';
import { buildReport } from '../../dissectors/analysis/report';
import { Engine } from '../../electron/engine/engine';
import { loadCapture } from '../../electron/engine/load-capture';
import { ROOT } from '../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-pop3-ftp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const recorded = (() => {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'record-pop3-ftp-mistakes.sh'), dir], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, `the recorder failed: ${r.stderr}`);
  return (name: string) => join(dir, name);
})();

const CAPTURES = [
  'pop3-numbers-and-errors.pcap',
  'ftp-transfers-and-mistakes.pcap',
  'pop3-bare-lf-auth-plain.pcap',
  'ftp-bare-lf.pcap',
  'pop3-ftp-typos.pcap',
  'ftp-pasv-not-connected.pcap',
];

const win = (info: string): string | null => / Win=(\d+) /.exec(info)?.[1] ?? null;
const sack = (info: string): string[] => [...info.matchAll(/ (SLE|SRE)=(\d+)/g)].map((m) => m[0]);

for (const name of CAPTURES) {
  test(`live ${name}: Win= and SACK edges of every row equal tshark's`, async () => {
    const path = recorded(name);
    const r = spawnSync('tshark', ['-r', path, '-n', '-T', 'fields', '-e', '_ws.col.Info'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.split('\n').slice(0, -1);
    const e = new Engine({});
    try {
      const s = await e.openAndWait(path);
      const rows = await e.getPackets(s.info.id, 0, 100000);
      assert.equal(rows.length, theirs.length);
      let compared = 0;
      for (const [i, row] of rows.entries()) {
        if (win(row.info) === null || win(theirs[i]) === null) continue;
        compared++;
        assert.equal(win(row.info), win(theirs[i]), `frame ${row.no}: ${row.info} — tshark: ${theirs[i]}`);
        assert.deepEqual(sack(row.info), sack(theirs[i]), `frame ${row.no}`);
      }
      assert.ok(compared >= 8, `${compared} rows compared`);
    } finally {
      await e.close();
    }
  });
}

test('live recordings give the diagnoses, credential outcomes and message numbers of the committed ones', async () => {
  const want: Record<string, { codes: string[]; outcomes: string[] }> = {
    'pop3-numbers-and-errors.pcap': {
      codes: [
        'pop3.command.before_login',
        'pop3.login.refused',
        'pop3.message.missing',
        'pop3.message.missing',
        'pop3.message.deleted',
      ],
      outcomes: ['refused', 'accepted'],
    },
    'ftp-transfers-and-mistakes.pcap': {
      codes: ['ftp.login.refused', 'ftp.data.pasv_used', 'ftp.data.active_failed'],
      outcomes: ['refused', 'accepted'],
    },
    'pop3-bare-lf-auth-plain.pcap': {
      codes: ['pop3.line.bare_lf', 'pop3.login.refused'],
      outcomes: ['refused', 'accepted'],
    },
    'ftp-bare-lf.pcap': { codes: ['ftp.line.bare_lf'], outcomes: ['accepted'] },
    'pop3-ftp-typos.pcap': {
      codes: ['pop3.command.unknown', 'pop3.command.unknown', 'ftp.command.unknown'],
      outcomes: ['accepted', 'accepted'],
    },
    'ftp-pasv-not-connected.pcap': { codes: ['ftp.data.pasv_failed'], outcomes: ['accepted'] },
  };
  for (const [name, w] of Object.entries(want)) {
    const loaded = await loadCapture(recorded(name));
    const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
    await loaded.source.dispose();
    const codes = report.connections.flatMap((c) =>
      c.diagnostics.map((d) => d.code).filter((code) => /^(pop3|ftp)\./.test(code)),
    );
    assert.deepEqual(codes, w.codes, name);
    assert.deepEqual(
      report.credentials.map((c) => c.outcome),
      w.outcomes,
      name,
    );
    if (name === 'pop3-numbers-and-errors.pcap') {
      const pop3 = report.connections[0].pop3 as Pop3Summary;
      assert.deepEqual(
        pop3.retrieved.map((m) => [m.command, m.number]),
        [
          ['RETR', 2],
          ['TOP', 2],
        ],
      );
      assert.deepEqual(pop3.deleted, [1]);
    }
  }
});
