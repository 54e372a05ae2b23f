/**
 * Live capture load benchmark (`npm run bench -- --live`): a bounded burst of UDP datagrams on lo
 * (sent by tcpreplay at an exact rate when it is installed, else by a Node sender), captured at the
 * same time by Wirelens (capture process → pcapng → engine indexing, as the app does) with one
 * backend, and by tcpdump (the peer) in that backend's libpcap mode: with `cap`, the same kernel
 * buffer and the immediate mode `cap` always uses; with dumpcap, libpcap's default block mode and
 * dumpcap's buffer. Reports, from one run: packets sent, captured by each, lost (sent − captured),
 * the kernel-drop counts the capturing programs report, the capture rate, how often the engine
 * told the views to update during the burst, and how long indexing lagged behind the burst's end.
 * Needs capture rights, and `cap` or dumpcap.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureBackend } from '../electron/capture/capture-backend';
import { DUMPCAP_BUFFER_MB } from '../electron/capture/dumpcap-process';
import { defaultBufferMb } from '../electron/capture/ring-size';
import { Engine } from '../electron/engine/engine';
import { waitForOutput } from '../test/helpers/child-output';
import { writeUdpBurstPcap } from './udp-burst-pcap';

export interface BurstResult {
  backend: CaptureBackend;
  rateTarget: number;
  /** tcpreplay (C, exact rate) when installed, else a Node sender (which the captures' CPU use slows). */
  sender: 'tcpreplay' | 'node';
  sent: number;
  sendMs: number;
  /** kernelDropped: what the capturing program reported (dumpcap does; null with cap). */
  wirelens: { captured: number; written: number; lost: number; kernelDropped: number | null; updatesPerSecond: number; indexLagMs: number };
  tcpdump: { captured: number; lost: number; kernelDropped: number } | null;
}

const root = new URL('..', import.meta.url).pathname;

const hasTcpreplay = (): boolean => spawnSync('tcpreplay', ['--version'], { stdio: 'ignore' }).status === 0;

async function sendBurst(count: number, rate: number, port: number): Promise<{ sent: number; ms: number }> {
  if (hasTcpreplay()) {
    const file = join(tmpdir(), `wirelens-burst-${process.pid}-${count}.pcap`);
    writeUdpBurstPcap(file, count, port);
    try {
      const tr = spawn('tcpreplay', ['-i', 'lo', ...(rate > 0 ? ['--pps', String(rate)] : ['--topspeed']), file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      tr.stdout.on('data', (d: Buffer) => (out += d.toString()));
      tr.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => tr.once('exit', r));
      const m = /Actual: (\d+) packets \(\d+ bytes\) sent in ([\d.]+) seconds/.exec(out);
      if (code !== 0 || !m) throw new Error(`tcpreplay failed (exit ${code}): ${out.slice(0, 500)}`);
      return { sent: Number(m[1]), ms: Number(m[2]) * 1000 };
    } finally {
      rmSync(file, { force: true });
    }
  }
  const sender = spawn(process.execPath, [join(root, 'bench/udp-burst-sender.mjs'), String(port), String(count), String(rate), '64'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let senderOut = '';
  sender.stdout.on('data', (d: Buffer) => (senderOut += d.toString()));
  const code = await new Promise<number | null>((r) => sender.once('exit', r));
  if (code !== 0) throw new Error(`sender failed (exit ${code})`);
  return JSON.parse(senderOut) as { sent: number; ms: number };
}

export async function liveBurst(count: number, rate: number, backend: CaptureBackend, port = 47999): Promise<BurstResult> {
  const filter = `udp port ${port}`;
  const engine = new Engine({});
  const dumpFile = join(tmpdir(), `wirelens-burst-${process.pid}.pcap`);
  let dump: ReturnType<typeof spawn> | null = null;
  if (spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).status === 0) {
    const mode = backend === 'cap' ? ['--immediate-mode', '-B', String(defaultBufferMb('lo') * 1024)] : ['-B', String(DUMPCAP_BUFFER_MB * 1024)];
    dump = spawn('tcpdump', ['-i', 'lo', '-n', ...mode, '-Z', 'root', '-w', dumpFile, filter], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForOutput(dump, /listening on/);
  }
  const info = await engine.startCapture({ iface: 'lo', filter, backend });
  let updates = 0;
  let counting = false;
  engine.onEvent((e) => {
    if (counting && e.type === 'status' && e.status.id === info.id) updates++;
  });
  await new Promise((r) => setTimeout(r, 300));
  counting = true;
  const t0 = performance.now();
  // The sender runs beside the engine (never spawnSync: the engine must keep working meanwhile).
  const { sent, ms: sendMs } = await sendBurst(count, rate, port);
  const burstEnd = performance.now();
  // Wait for the capture to catch up (libpcap delivers at least once a second), then stop.
  let indexLagMs = 0;
  let last = -1;
  for (;;) {
    const st = await engine.getStatus(info.id);
    if (st.packets >= sent) {
      indexLagMs = performance.now() - burstEnd;
      break;
    }
    if (performance.now() - burstEnd > 3000 && st.packets === last) {
      indexLagMs = performance.now() - burstEnd;
      break;
    }
    last = st.packets;
    await new Promise((r) => setTimeout(r, 50));
  }
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const st = await engine.stopCapture(info.id);
  let tcpdump: BurstResult['tcpdump'] = null;
  if (dump) {
    // tcpdump's default mode hands packets over in blocks retired at least once a second.
    await new Promise((r) => setTimeout(r, 1500));
    const out = waitForOutput(dump, /packets dropped by kernel/);
    dump.kill('SIGINT');
    const text = await out;
    const captured = Number(/(\d+) packets captured/.exec(text)?.[1] ?? 0);
    const kernelDropped = Number(/(\d+) packets dropped by kernel/.exec(text)?.[1] ?? 0);
    tcpdump = { captured, lost: sent - captured, kernelDropped };
    rmSync(dumpFile, { force: true });
  }
  const file = st.capture?.file;
  await engine.close();
  if (file) rmSync(file, { force: true });
  return {
    backend,
    rateTarget: rate,
    sender: hasTcpreplay() ? 'tcpreplay' : 'node',
    sent,
    sendMs,
    wirelens: { captured: st.packets, written: st.capture?.packets ?? 0, lost: sent - st.packets, kernelDropped: st.capture?.kernelDropped ?? null, updatesPerSecond: updates / seconds, indexLagMs },
    tcpdump,
  };
}
