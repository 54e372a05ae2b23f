/**
 * `wirelens interfaces` and `wirelens capture -i IFACE [-f BPF] [-w FILE.pcapng] [--duration S | --count N] [--backend auto|cap|dumpcap]`:
 * headless capture to pcapng (through Wireshark's dumpcap when it is installed, else libpcap through
 * `cap`), stopped by the duration, the count or Ctrl+C. This is also the app's capture process
 * (--status-json): the interface must be one the backend lists, checked here before anything opens it.
 * Without -w the file goes to the private live-capture directory (capture-dir.ts), like the app's.
 */
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { findDumpcap, type CaptureBackend } from '../../capture/capture-backend';
import { ensureCaptureDir } from '../../capture/capture-dir';
import { listInterfaces, listInterfacesFor, unlistedInterfaceProblem } from '../../capture/interfaces';
import { CaptureError, startLiveCapture } from '../../capture/live-capture';
import { PcapngWriter } from '../../capture/pcapng-writer';
import type { CaptureMessage } from '../../capture/capture-messages';
import { countersSince, readInterfaceCounters } from '../../capture/interface-stats';
import type { ParsedArgs } from '../args';
import { captureWithDumpcap } from './capture-dumpcap';
import { single, UsageError } from '../args';
import { forTerminal } from '../format';

export async function interfacesCommand(_args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  for (const i of listInterfaces())
    out.write(
      `${forTerminal(i.name).padEnd(20)} ${i.loopback ? 'loopback ' : ''}${i.up ? 'up' : 'down'}  ${forTerminal(i.addresses.join(', '))}${i.description ? `  (${forTerminal(i.description)})` : ''}\n`,
    );
  return 0;
}

/**
 * Like dumpcap, the capture process should win the CPU against the UI and the indexer during a
 * burst, or the kernel's ring overflows: raise its priority when allowed (root / CAP_SYS_NICE). A
 * dumpcap it starts inherits it.
 */
function raisePriority(): void {
  try {
    setPriority(0, -10);
  } catch {
    /* not permitted: capture at normal priority */
  }
}

function positiveNumber(args: ParsedArgs, key: string): number | undefined {
  const v = single(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key}: '${v}' is not a positive number`);
  return n;
}

/** `--backend`: auto (the default) is dumpcap when it is installed — its rights come from Wireshark's packaging — else cap. */
function chooseBackend(choice: string): CaptureBackend {
  if (choice === 'auto') return findDumpcap() ? 'dumpcap' : 'cap';
  if (choice === 'cap' || choice === 'dumpcap') return choice;
  throw new UsageError(`--backend: '${choice}' is not auto, cap or dumpcap`);
}

/** Null when `iface` is one of the interfaces the backend lists, else why not. */
function interfaceProblem(iface: string, backend: CaptureBackend): string | null {
  let listed;
  try {
    listed = listInterfacesFor(backend);
  } catch (e) {
    return `the interfaces could not be listed, so none is opened: ${(e as Error).message}`;
  }
  return unlistedInterfaceProblem(iface, listed);
}

export async function captureCommand(args: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const iface = single(args, 'i') ?? single(args, 'interface');
  if (!iface) throw new UsageError('capture: -i IFACE is required (see `wirelens interfaces`)');
  const filter = single(args, 'f') ?? '';
  const duration = positiveNumber(args, 'duration');
  const count = positiveNumber(args, 'count');
  const snapLen = positiveNumber(args, 'snaplen') ?? 65535;
  const flushMs = positiveNumber(args, 'flush-ms') ?? 200;
  const bufferMb = positiveNumber(args, 'buffer-mb');
  // --status-json: run as the app's capture process (JSON lines on stdout, stops when stdin closes).
  const json = args.flags.has('status-json');
  const backend = chooseBackend(single(args, 'backend') ?? 'auto');
  const say = (m: CaptureMessage) => out.write(JSON.stringify(m) + '\n');
  const refused = interfaceProblem(iface, backend);
  if (refused) {
    if (json) say({ event: 'error', message: refused });
    else err.write(`wirelens: ${forTerminal(refused)}\n`);
    return 1;
  }
  const file = single(args, 'w') ?? join(await ensureCaptureDir(), `wirelens-${iface.replace(/[^\w.-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.pcapng`);
  if (backend === 'dumpcap') {
    raisePriority(); // dumpcap inherits it
    return captureWithDumpcap({ iface, filter, file, snapLen, flushMs, bufferMb, duration, count, json }, out, err);
  }
  let writer: PcapngWriter | null = null;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let capture;
  const ifStart = readInterfaceCounters(iface);
  raisePriority();
  try {
    capture = startLiveCapture({
      iface,
      filter,
      snapLen,
      bufferMb,
      onPacket: (data, origLen, timeUs) => {
        if (!writer) return;
        writer.write(data, origLen, timeUs);
        if (count !== undefined && writer.packets >= count) done();
      },
    });
  } catch (e) {
    if (e instanceof CaptureError) {
      if (json) say({ event: 'error', message: e.message });
      else err.write(`wirelens: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // In --status-json mode every flush is reported, so the parent reads only packets on disk.
  const onFlush = json ? () => say({ event: 'stats', ...stats() }) : undefined;
  writer = new PcapngWriter(file, { linkType: capture.linkType, snapLen, ifName: iface, comment: filter ? `capture filter: ${filter}` : undefined, flushMs, onFlush });
  const stats = () => {
    const d = countersSince(ifStart, readInterfaceCounters(iface));
    return { packets: writer!.packets, bytes: writer!.bytes, ifReceived: d?.rxPackets ?? null, ifDropped: d?.rxDropped ?? null };
  };
  let ticker: NodeJS.Timeout | null = null;
  if (json) {
    say({ event: 'started', file, linkType: capture.linkType, linkTypeName: capture.linkTypeName, iface, filter });
    // Quiet moments: still report (and flush) on time, so the statistics keep moving.
    ticker = setInterval(() => {
      if (!writer!.flush()) say({ event: 'stats', ...stats() });
    }, flushMs);
    process.stdin.on('end', done);
    process.stdin.on('close', done);
    process.stdin.resume();
  } else {
    out.write(`Capturing on ${iface} (${capture.linkTypeName})${filter ? ` with filter '${filter}'` : ''} to ${file}; Ctrl+C stops.\n`);
  }
  const timer = duration !== undefined ? setTimeout(done, duration * 1000) : null;
  const onSignal = () => done();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  await finished;
  if (timer) clearTimeout(timer);
  if (ticker) clearInterval(ticker);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  capture.stop();
  writer.close();
  if (json) {
    say({ event: 'stopped', ...stats() });
    process.stdin.pause();
  } else out.write(`${writer.packets} packets (${writer.bytes} bytes) written to ${file}\n`);
  return 0;
}
