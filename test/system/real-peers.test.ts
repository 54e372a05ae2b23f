/**
 * A real server on loopback: Debian's Dovecot (scripts/peers/dovecot-pop3.sh) on unusual ports,
 * driven by curl in clear text, with STLS, and with implicit TLS, recorded by `wirelens capture`.
 * The analysis must name POP3 by content, list the clear-text credentials, show the STLS upgrade
 * with a real TLS 1.3 handshake and the point where encryption starts, and name the implicit-TLS
 * connection TLS.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitForOutput } from '../helpers/child-output';
import { ROOT } from '../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const dir = mkdtempSync(join(tmpdir(), 'wirelens-peers-'));
chmodSync(dir, 0o755); // the mailbox inside belongs to the lab user
let dovecotPid = 0;
let capture: ChildProcess | null = null;
after(() => {
  if (dovecotPid) spawnSync('kill', [String(dovecotPid)]);
  capture?.kill('SIGKILL');
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

test('Dovecot POP3 in clear text, with STLS and with implicit TLS, captured and dissected', async () => {
  const plain = 43110;
  const tls = 43995;
  const start = spawnSync('bash', [join(ROOT, 'scripts/peers/dovecot-pop3.sh'), join(dir, 'dovecot'), String(plain), String(tls)], { encoding: 'utf8' });
  assert.equal(start.status, 0, start.stderr);
  dovecotPid = Number(start.stdout.trim());
  await new Promise((r) => setTimeout(r, 1500));
  const file = join(dir, 'pop3.pcapng');
  capture = spawn(process.execPath, [BIN, 'capture', '-i', 'lo', '-f', `tcp port ${plain} or tcp port ${tls}`, '-w', file]);
  await waitForOutput(capture, /Capturing on lo/);
  const curl = (...args: string[]) => {
    const r = spawnSync('curl', ['-s', '--max-time', '10', '-u', 'pari:ninja', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, `curl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  assert.match(curl(`pop3://127.0.0.1:${plain}/1`), /Subject: read me over STLS/);
  assert.match(curl('--ssl-reqd', '-k', `pop3://127.0.0.1:${plain}/1`), /Hello from Dovecot/);
  assert.match(curl('-k', `pop3s://127.0.0.1:${tls}/`), /^1 \d+/);
  await new Promise((r) => setTimeout(r, 500));
  const stopped = waitForOutput(capture, /packets \(\d+ bytes\) written/);
  capture.kill('SIGINT');
  await stopped;

  const a = spawnSync(process.execPath, [BIN, 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(a.status, 0, a.stderr);
  const report = JSON.parse(a.stdout);
  const [clear, stls, implicit] = report.connections;
  assert.deepEqual([clear.protocol, clear.protocolBy], ['pop3', 'content']);
  // curl logs in with SASL PLAIN when the server offers it: base64, decoded by Wirelens.
  assert.ok(clear.ladder.some((e: { label: string }) => e.label.startsWith('AUTH PLAIN')), clear.ladder.map((e: { label: string }) => e.label).join('\n'));
  assert.equal(clear.pop3.retrieved[0].headers.subject, 'read me over STLS');
  assert.deepEqual(report.credentials.filter((c: { connection: number }) => c.connection === clear.id).map((c: { mechanism: string; username: string; password: string }) => [c.mechanism, c.username, c.password]), [['AUTH PLAIN', 'pari', 'ninja']]);
  assert.deepEqual([stls.protocol, stls.tls.upgrade], ['pop3', 'stls']);
  assert.equal(stls.tls.serverHello.version, 'TLS 1.3');
  assert.ok(stls.tls.encryptedFrom.client > 0 && stls.tls.encryptedFrom.server > 0);
  assert.ok(stls.ladder.some((e: { tls?: string }) => e.tls === 'encrypted-start'));
  assert.ok(!stls.ladder.some((e: { label: string }) => /^PASS /.test(e.label)), 'the password after STLS is not readable');
  assert.deepEqual([implicit.protocol, implicit.protocolBy], ['tls', 'content']);
  assert.equal(implicit.tls.serverHello.version, 'TLS 1.3');
});
