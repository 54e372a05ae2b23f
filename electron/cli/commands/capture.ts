/**
 * `wirelens interfaces` and `wirelens capture -i IFACE [-f BPF] [-w FILE.pcapng] [--duration S | --count N]`:
 * headless capture to pcapng (like dumpcap), stopped by the duration, the count or Ctrl+C.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listInterfaces } from '../../capture/interfaces';
import { CaptureError, startLiveCapture } from '../../capture/live-capture';
import { PcapngWriter } from '../../capture/pcapng-writer';
import type { ParsedArgs } from '../args';
import { single, UsageError } from '../args';

export async function interfacesCommand(_args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  for (const i of listInterfaces())
    out.write(`${i.name.padEnd(20)} ${i.loopback ? 'loopback ' : ''}${i.up ? 'up' : 'down'}  ${i.addresses.join(', ')}${i.description ? `  (${i.description})` : ''}\n`);
  return 0;
}

function positiveNumber(args: ParsedArgs, key: string): number | undefined {
  const v = single(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key}: '${v}' is not a positive number`);
  return n;
}

export async function captureCommand(args: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const iface = single(args, 'i') ?? single(args, 'interface');
  if (!iface) throw new UsageError('capture: -i IFACE is required (see `wirelens interfaces`)');
  const filter = single(args, 'f') ?? '';
  const file = single(args, 'w') ?? join(tmpdir(), `wirelens-${iface}-${new Date().toISOString().replace(/[:.]/g, '-')}.pcapng`);
  const duration = positiveNumber(args, 'duration');
  const count = positiveNumber(args, 'count');
  const snapLen = positiveNumber(args, 'snaplen') ?? 65535;
  let writer: PcapngWriter | null = null;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let capture;
  try {
    capture = startLiveCapture({
      iface,
      filter,
      snapLen,
      onPacket: (data, origLen, timeNs) => {
        if (!writer) return;
        writer.write(data, origLen, timeNs);
        if (count !== undefined && writer.packets >= count) done();
      },
    });
  } catch (e) {
    if (e instanceof CaptureError) {
      err.write(`wirelens: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  writer = new PcapngWriter(file, { linkType: capture.linkType, snapLen, ifName: iface, comment: filter ? `capture filter: ${filter}` : undefined });
  out.write(`Capturing on ${iface} (${capture.linkTypeName})${filter ? ` with filter '${filter}'` : ''} to ${file}; Ctrl+C stops.\n`);
  const timer = duration !== undefined ? setTimeout(done, duration * 1000) : null;
  const onSignal = () => done();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await finished;
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  capture.stop();
  writer.close();
  out.write(`${writer.packets} packets (${writer.bytes} bytes) written to ${file}\n`);
  return 0;
}
