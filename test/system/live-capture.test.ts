/**
 * Live capture on loopback (needs root or capture rights, and the native `cap` module; test:all
 * installs libpcap-dev and builds it): `wirelens capture` records a real SMTP + POP3 session typed to
 * the lab mail server on unusual ports, writes a pcapng that tshark reads, and Wirelens's analysis
 * of that file names the protocols by content and decodes the lesson. A bad BPF filter and an
 * unknown interface get advice, not a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitForOutput } from '../helpers/child-output';
import { ROOT } from '../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const dir = mkdtempSync(join(tmpdir(), 'wirelens-live-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('wirelens capture records a typed SMTP + POP3 session on lo, and the analysis decodes it', async () => {
  const smtpPort = 42025;
  const pop3Port = 42110;
  const file = join(dir, 'lesson.pcapng');
  const server = spawn(process.execPath, [join(ROOT, 'scripts/lesson/mini-mail-server.mjs')], { env: { ...process.env, SMTP_PORT: String(smtpPort), POP3_PORT: String(pop3Port) } });
  children.push(server);
  await waitForOutput(server, /lab mail server/);
  const cap = spawn(process.execPath, [BIN, 'capture', '-i', 'lo', '-f', `tcp port ${smtpPort} or tcp port ${pop3Port}`, '-w', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(cap);
  await waitForOutput(cap, /Capturing on lo/);
  for (const [kind, port] of [['smtp', smtpPort], ['pop3', pop3Port]] as const) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/lesson/type-session.mjs'), kind, String(port)], { timeout: 20000 });
    assert.equal(r.status, 0, `${kind} session: ${r.stderr}`);
  }
  await new Promise((r) => setTimeout(r, 500));
  const stopped = waitForOutput(cap, /packets \(\d+ bytes\) written/);
  cap.kill('SIGINT');
  const summary = await stopped;
  server.kill();
  const packets = Number(/(\d+) packets/.exec(summary)?.[1]);
  assert.ok(packets >= 50, summary);

  const tshark = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  assert.equal(tshark.status, 0, tshark.stderr);
  assert.equal(tshark.stdout.trim().split('\n').length, packets, 'tshark reads every packet of the pcapng');

  const a = spawnSync(process.execPath, [BIN, 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(a.status, 0, a.stderr);
  const report = JSON.parse(a.stdout);
  assert.equal(report.capture.format, 'pcapng');
  assert.deepEqual(report.connections.map((c: { protocol: string; protocolBy: string }) => [c.protocol, c.protocolBy]), [['smtp', 'content'], ['pop3', 'content']]);
  const labels = report.connections[0].ladder.map((e: { label: string }) => e.label);
  assert.ok(labels.includes('334 VXNlcm5hbWU6 → “Username:”'), labels.join('\n'));
  assert.equal(report.connections[0].smtp.messages[0].spoofed, true);
  assert.deepEqual(report.credentials.map((c: { mechanism: string; username: string }) => [c.mechanism, c.username]), [['AUTH LOGIN', 'student'], ['USER/PASS', 'teacher']]);
  for (const c of report.connections) assert.equal(c.handshake.complete, true);
});

test('a bad capture filter is refused with libpcap\'s reason and what the syntax is', () => {
  const r = spawnSync(process.execPath, [BIN, 'capture', '-i', 'lo', '-f', 'tcp port banana', '--count', '1'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /capture filter is not valid BPF/i);
  assert.match(r.stderr, /tcp port 25 or tcp port 110/);
});

test('an unknown interface says how to list the real ones', () => {
  const r = spawnSync(process.execPath, [BIN, 'capture', '-i', 'nosuchif0', '--count', '1'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /wirelens interfaces/);
});
