/**
 * Live capture through the engine, as the app uses it (needs capture rights, the native `cap`
 * module and dumpcap; test:all provides them): a capture process records loopback, with either
 * backend (libpcap through `cap`, or Wireshark's dumpcap), while a student's SMTP and POP3 sessions
 * are typed to the lab mail server. While the capture runs the connection list and
 * the ladder already show the session; after Stop the ladders equal `wirelens analyze` of the file,
 * and tcpdump, capturing the same traffic at the same time, saw exactly the same packets. A capture
 * process killed mid-capture leaves a readable file and a clear message, and the window stays up;
 * an engine killed mid-capture leaves the capture process to flush, close a valid file and exit.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readCaptureBytes } from '../../dissectors/capture/reader';
import { Engine } from '../../electron/engine/engine';
import { waitForOutput } from '../helpers/child-output';
import { ROOT } from '../helpers/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-live-engine-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function startMailServer(smtp: number, pop3: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, [join(ROOT, 'scripts/lesson/mini-mail-server.mjs')], { env: { ...process.env, SMTP_PORT: String(smtp), POP3_PORT: String(pop3) } });
  children.push(server);
  return waitForOutput(server, /lab mail server/).then(() => server);
}

function typeSession(kind: 'smtp' | 'pop3', port: number): ChildProcess {
  const c = spawn(process.execPath, [join(ROOT, 'scripts/lesson/type-session.mjs'), kind, String(port)], { stdio: 'ignore' });
  children.push(c);
  return c;
}

/** A process that still runs (one that ended but was not reaped yet — a zombie, here under a PID 1 that does not reap — does not). */
function running(pid: string): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const lines = (text: string) => text.trim().split('\n').filter(Boolean);

/** The capture process writing `file` (it has the file on its command line), and the processes it started. */
function captureProcesses(file: string): { wrapper: string; children: string[] } {
  const wrapper = lines(spawnSync('pgrep', ['-f', `wirelens.mjs capture .*-w ${file}`], { encoding: 'utf8' }).stdout);
  assert.equal(wrapper.length, 1, `one capture process writes ${file}`);
  return { wrapper: wrapper[0], children: lines(spawnSync('pgrep', ['-P', wrapper[0]], { encoding: 'utf8' }).stdout) };
}

/** The status once the capture is no longer running. */
function endedStatus(e: Engine, id: string) {
  return until('the capture to end', async () => {
    const s = await e.getStatus(id);
    return s.state !== 'capturing' ? s : null;
  });
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', r)));

const BACKENDS = [
  { backend: 'cap', ports: 0 },
  { backend: 'dumpcap', ports: 10 },
] as const;

for (const { backend, ports } of BACKENDS)
test(`${backend}: the ladder grows while capturing; after Stop it equals analyze, and tcpdump saw the same packets`, async () => {
  const [smtp, pop3] = [44025 + ports, 44110 + ports];
  const filter = `tcp port ${smtp} or tcp port ${pop3}`;
  const server = await startMailServer(smtp, pop3);
  const dumpFile = join(dir, 'tcpdump.pcap');
  const dump = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-w', dumpFile, filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(dump);
  await waitForOutput(dump, /listening on/);
  const e = new Engine({});
  try {
    const info = await e.startCapture({ iface: 'lo', filter, backend });
    assert.equal(info.live, true);
    const first = await e.getStatus(info.id);
    assert.equal(first.state, 'capturing');
    assert.equal(first.capture?.backend, backend);
    const session = typeSession('smtp', smtp);
    // While the student is still typing, the connection and the first ladder rows are there.
    const liveLadder = await until('a live SMTP ladder', async () => {
      const rows = await e.getConnections(info.id);
      if (rows[0]?.protocol !== 'smtp' || session.exitCode !== null) return null;
      const v = await e.getConnection(info.id, 0);
      return v.ladder.length >= 4 && (await e.getStatus(info.id)).state === 'capturing' ? v : null;
    });
    assert.equal(liveLadder.model.handshake.outcome, 'complete');
    assert.equal(await exited(session), 0);
    assert.equal(await exited(typeSession('pop3', pop3)), 0);
    await sleep(1200); // libpcap hands packets over at least once a second
    const stopped = await e.stopCapture(info.id);
    assert.equal(stopped.state, 'ready');
    assert.equal(stopped.capture?.running, false);
    assert.equal(stopped.capture?.ended, null);
    assert.equal(stopped.packets, stopped.capture?.packets, 'every packet written was indexed');
    // dumpcap reports the kernel's drop count when it stops; cap cannot.
    assert.equal(stopped.capture?.kernelDropped, backend === 'dumpcap' ? 0 : null);

    const rows = await e.getConnections(info.id);
    assert.deepEqual(rows.map((r) => [r.protocol, r.status]), [['smtp', 'closed'], ['pop3', 'closed']]);
    const final = await e.getConnection(info.id, 0);
    const liveLabels = liveLadder.ladder.map((x) => x.label);
    assert.deepEqual(final.ladder.slice(0, liveLabels.length).map((x) => x.label), liveLabels, 'the live ladder is the beginning of the final one');

    const file = stopped.capture!.file;
    const a = spawnSync(process.execPath, [join(ROOT, 'bin/wirelens.mjs'), 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(a.status, 0, a.stderr);
    const report = JSON.parse(a.stdout);
    for (const c of [0, 1]) assert.deepEqual((await e.getConnection(info.id, c)).ladder, report.connections[c].ladder);
    assert.deepEqual(report.credentials.map((c: { username: string }) => c.username), ['student', 'teacher']);

    dump.kill('SIGINT');
    await exited(dump);
    const ours = readCaptureBytes(readFileSync(file)).records;
    const theirs = readCaptureBytes(readFileSync(dumpFile)).records;
    assert.equal(ours.length, theirs.length, 'same packet count as tcpdump');
    for (let i = 0; i < ours.length; i++) assert.deepEqual(Buffer.from(ours[i].data), Buffer.from(theirs[i].data), `packet ${i + 1} differs from tcpdump's`);
    rmSync(file, { force: true });
  } finally {
    await e.close();
    server.kill();
  }
});

for (const { backend, ports } of BACKENDS)
test(`${backend}: the capture process killed mid-capture: the file up to the last flush is opened and the user told why it ended`, async () => {
  const [smtp, pop3] = [44026 + ports, 44111 + ports];
  const server = await startMailServer(smtp, pop3);
  const e = new Engine({});
  const messages: string[] = [];
  e.onEvent((ev) => ev.type === 'error' && messages.push(ev.message));
  try {
    const info = await e.startCapture({ iface: 'lo', filter: `tcp port ${smtp}`, backend });
    assert.equal(await exited(typeSession('smtp', smtp)), 0);
    await until('packets on disk', async () => ((await e.getStatus(info.id)).packets > 20 ? true : null));
    // Everything capturing for it: the capture process and what it runs.
    const { wrapper, children: kids } = captureProcesses((await e.getStatus(info.id)).capture!.file);
    assert.equal(kids.length, backend === 'dumpcap' ? 1 : 0, 'with dumpcap the capture process runs it');
    e.liveController(info.id)!.killProcess();
    const st = await endedStatus(e, info.id);
    assert.equal(st.state, 'ready');
    assert.match(st.capture!.ended ?? '', /capture process ended unexpectedly \(SIGKILL\).*kept/);
    assert.ok(messages.some((m) => /ended unexpectedly/.test(m)));
    const onDisk = readCaptureBytes(readFileSync(st.capture!.file));
    assert.equal(st.packets, onDisk.records.length, 'every packet on disk is indexed');
    assert.ok(st.packets > 20);
    assert.equal((await e.getConnections(info.id))[0].protocol, 'smtp');
    for (const pid of [wrapper, ...kids]) assert.ok(!running(pid), `process ${pid} is gone: nothing it started keeps capturing`);
    rmSync(st.capture!.file, { force: true });
  } finally {
    await e.close();
    server.kill();
  }
});

test('dumpcap dying on its own ends the capture with its reason, and what it wrote is opened', async () => {
  const [smtp, pop3] = [44046, 44131];
  const server = await startMailServer(smtp, pop3);
  const e = new Engine({});
  try {
    const info = await e.startCapture({ iface: 'lo', filter: `tcp port ${smtp}`, backend: 'dumpcap' });
    assert.equal(await exited(typeSession('smtp', smtp)), 0);
    await until('packets on disk', async () => ((await e.getStatus(info.id)).packets > 20 ? true : null));
    const file = (await e.getStatus(info.id)).capture!.file;
    // The dumpcap the capture process runs.
    const pids = captureProcesses(file).children;
    assert.equal(pids.length, 1, 'it runs one dumpcap');
    assert.match(readFileSync(`/proc/${pids[0]}/comm`, 'utf8'), /^dumpcap/);
    process.kill(Number(pids[0]), 'SIGKILL');
    const st = await endedStatus(e, info.id);
    assert.match(st.capture!.ended ?? '', /ended unexpectedly \(exit code 1\): dumpcap ended \(SIGKILL\).*kept/s);
    assert.equal(st.packets, readCaptureBytes(readFileSync(file)).records.length, 'every packet on disk is indexed');
    assert.equal((await e.getConnections(info.id))[0].protocol, 'smtp');
    rmSync(file, { force: true });
  } finally {
    await e.close();
    server.kill();
  }
});

test('auto captures with dumpcap when it is installed, and with cap when dumpcap cannot start', async () => {
  const [smtp, pop3] = [44045, 44130];
  const server = await startMailServer(smtp, pop3);
  const e = new Engine({});
  const saved = process.env.WIRELENS_DUMPCAP;
  try {
    for (const [dumpcap, expected] of [[undefined, 'dumpcap'], ['/bin/false', 'cap']] as const) {
      if (dumpcap) process.env.WIRELENS_DUMPCAP = dumpcap;
      else delete process.env.WIRELENS_DUMPCAP;
      const info = await e.startCapture({ iface: 'lo', filter: `tcp port ${smtp}` });
      assert.equal((await e.getStatus(info.id)).capture?.backend, expected);
      assert.equal(await exited(typeSession('smtp', smtp)), 0);
      await until('the SMTP ladder', async () => ((await e.getConnections(info.id))[0]?.protocol === 'smtp' ? true : null));
      const st = await e.stopCapture(info.id);
      assert.equal(st.packets, readCaptureBytes(readFileSync(st.capture!.file)).records.length);
      rmSync(st.capture!.file, { force: true });
    }
    // Asked for by name, a dumpcap that fails is reported, not replaced (it fails listing the
    // interfaces, which the capture process checks the name against before capturing).
    await assert.rejects(e.startCapture({ iface: 'lo', backend: 'dumpcap' }), /dumpcap \(\/bin\/false\) could not list the interfaces \(exit code 1\)/);
  } finally {
    if (saved === undefined) delete process.env.WIRELENS_DUMPCAP;
    else process.env.WIRELENS_DUMPCAP = saved;
    await e.close();
    server.kill();
  }
});

for (const backend of ['cap', 'dumpcap', 'auto'] as const)
test(`${backend}: a bad capture filter fails the start with libpcap\'s reason, and nothing keeps running`, async () => {
  const e = new Engine({});
  try {
    await assert.rejects(e.startCapture({ iface: 'lo', filter: 'tcp port banana', backend }), /capture filter is not valid BPF/);
    await assert.rejects(e.startCapture({ iface: 'nosuchif0', backend }), /wirelens interfaces/);
    assert.deepEqual(await e.listCaptures(), []);
  } finally {
    await e.close();
  }
});

for (const { backend, ports } of BACKENDS)
test(`${backend}: the engine killed mid-capture (serve --live): the capture process flushes, closes a valid file and exits`, async () => {
  const [smtp, pop3] = [44027 + ports, 44112 + ports];
  const server = await startMailServer(smtp, pop3);
  const serve = spawn(process.execPath, [join(ROOT, 'bin/wirelens.mjs'), 'serve', '--live', 'lo', '-f', `tcp port ${smtp}`, '--port', '0', '--backend', backend], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(serve);
  const banner = await waitForOutput(serve, /written to (\S+\.pcapng) at http/);
  const file = /written to (\S+\.pcapng) at http/.exec(banner)![1];
  assert.equal(await exited(typeSession('smtp', smtp)), 0);
  await sleep(1500);
  const before = spawnSync('pgrep', ['-f', file], { encoding: 'utf8' }).stdout.trim();
  assert.ok(before.length > 0, 'the capture process runs while serve runs');
  serve.kill('SIGKILL');
  let left = before;
  for (let i = 0; i < 50 && left; i++) {
    await sleep(100);
    left = spawnSync('pgrep', ['-f', file], { encoding: 'utf8' }).stdout.trim();
  }
  assert.equal(left, '', `the capture process${backend === 'dumpcap' ? ' and its dumpcap exit' : ' exits'} once the engine is gone`);
  const onDisk = readCaptureBytes(readFileSync(file));
  assert.equal(onDisk.summary.truncated, false, 'the file ends on a whole block');
  assert.ok(onDisk.records.length > 20, `${onDisk.records.length} packets kept`);
  const tshark = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  assert.equal(tshark.status, 0, tshark.stderr);
  assert.equal(tshark.stdout.trim().split('\n').length, onDisk.records.length);
  rmSync(file, { force: true });
  server.kill();
});
