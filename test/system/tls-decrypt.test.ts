/**
 * System tier: TLS decryption against the tshark installed here, live.
 *  - every committed TLS fixture (fixtures/tls): tshark's decrypted bytes (`-o tls.keylog_file:K -q
 *    -z follow,tls,raw,0`) and its columns without keys are what the committed golden files say, and
 *    Wirelens decrypts the same bytes;
 *  - fresh sessions recorded now on loopback (fixtures/tls/record.sh into a temporary directory:
 *    openssl TLS 1.3 ChaCha20 and TLS 1.2 AES-256-CBC-SHA384, SMTP with AUTH LOGIN on 465 through
 *    npm smtp-server, a pcapng with the keys embedded by editcap) decrypt byte for byte as tshark.
 * Needs root (tcpdump on lo), tshark, editcap, openssl and node; ports 465 and 8443 free on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decrypt, tsharkFollow } from '../helpers/tls-decrypt';
import { FIXTURES } from '../helpers/fixtures';

const DIR = join(FIXTURES, 'tls');
const work = mkdtempSync(join(tmpdir(), 'wirelens-tls-system-'));
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

function tshark(args: string[]): string {
  const r = spawnSync('tshark', ['-n', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `tshark ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const captures = readdirSync(DIR).filter((n) => /\.pcap(ng)?$/.test(n));

for (const cap of captures) {
  const name = cap.replace(/\.pcap(ng)?$/, '');
  test(`tshark now agrees with the committed golden files and with Wirelens: ${name}`, async () => {
    const keys = join(DIR, `${name}.keys`);
    const keyOpt = existsSync(keys) ? ['-o', `tls.keylog_file:${keys}`] : [];
    const follow = tshark([
      '-r',
      join(DIR, cap),
      '-d',
      'tcp.port==11110,pop',
      ...keyOpt,
      '-q',
      '-z',
      'follow,tls,raw,0',
    ]);
    assert.equal(follow, readFileSync(join(DIR, 'tshark', `${name}.follow.txt`), 'utf8'));
    const columns = tshark([
      '-r',
      join(DIR, cap),
      '-d',
      'tcp.port==11110,pop',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      '_ws.col.Protocol',
      '-e',
      '_ws.col.Info',
    ]);
    assert.equal(columns, readFileSync(join(DIR, 'tshark', `${name}.columns.tsv`), 'utf8'));
    const { plain } = await decrypt(join(DIR, cap), existsSync(keys) ? [keys] : []);
    assert.deepEqual([plain.client, plain.server].sort(), tsharkFollow(follow));
  });
}

test(
  'sessions recorded now (openssl, smtp-server, editcap) decrypt byte for byte as tshark',
  { timeout: 120_000 },
  async () => {
    const names = [
      'tls13-chacha20',
      'tls12-cbc-sha384',
      'smtps-465-auth-login',
      'tls13-aes128gcm',
      'tls13-aes128gcm-dsb',
    ];
    const r = spawnSync('bash', [join(DIR, 'record.sh'), ...names], {
      encoding: 'utf8',
      env: { ...process.env, TLS_FIXTURE_OUT: work },
      timeout: 110_000,
    });
    assert.equal(r.status, 0, r.stderr);
    for (const name of names) {
      const cap = join(work, name.endsWith('-dsb') ? `${name}.pcapng` : `${name}.pcap`);
      const keys = join(work, `${name}.keys`);
      const keyOpt = name.endsWith('-dsb') ? [] : ['-o', `tls.keylog_file:${keys}`];
      const theirs = tsharkFollow(tshark(['-r', cap, ...keyOpt, '-q', '-z', 'follow,tls,raw,0']));
      assert.ok(theirs[0].length > 0 && theirs[1].length > 0, `${name}: tshark decrypted both directions`);
      const { report, plain } = await decrypt(cap, name.endsWith('-dsb') ? [] : [keys]);
      assert.deepEqual([plain.client, plain.server].sort(), theirs, name);
      const c = report.connections[0];
      assert.equal(c.tls?.decrypted, true, name);
      assert.equal(c.tls?.decryption.keySource, name.endsWith('-dsb') ? 'pcapng' : 'keylog');
      if (name.startsWith('smtps')) {
        const inner = c.ladder.filter((e) => e.insideTls).map((e) => e.label);
        assert.ok(inner.includes('AUTH LOGIN'), inner.join('\n'));
        assert.deepEqual(
          report.credentials.map((x) => [x.username, x.password, x.insideTls]),
          [['pari@lab.local', 'ninja-secret', true]],
        );
      }
    }
  },
);

test('a capture saved with its TLS keys (saveWithTlsKeys) is decrypted by tshark with no key log', async () => {
  const { Engine } = await import('../../electron/engine/engine');
  const { writeFileSync } = await import('node:fs');
  const e = new Engine({});
  try {
    const s = await e.openAndWait(join(DIR, 'tls12-cbc-sha256-noetm.pcap'));
    const r = await e.loadKeyLog(
      s.info.id,
      'k',
      readFileSync(join(DIR, 'tls12-cbc-sha256-noetm.keys'), 'utf8'),
    );
    const saved = await e.saveWithTlsKeys(r.capture.id);
    const out = join(work, saved.filename);
    writeFileSync(out, Buffer.from(saved.bytesBase64, 'base64'));
    const theirs = tsharkFollow(tshark(['-r', out, '-q', '-z', 'follow,tls,raw,0']));
    assert.deepEqual(
      theirs,
      tsharkFollow(readFileSync(join(DIR, 'tshark', 'tls12-cbc-sha256-noetm.follow.txt'), 'utf8')),
    );
  } finally {
    await e.close();
  }
});
