/**
 * `wirelens capture --backend dumpcap`: the capture process with Wireshark's dumpcap opening the
 * interface. Same contract as with `cap`: in --status-json mode it reports on stdout as JSON lines
 * and stops (dumpcap flushes, writes its statistics, closes the file) when stdin closes — so the
 * engine dying stops the capture too; otherwise it prints a line and stops on Ctrl+C, the duration
 * or the count.
 */
import { findDumpcap, DUMPCAP_MISSING_HELP } from '../../capture/capture-backend';
import type { CaptureMessage } from '../../capture/capture-messages';
import { DumpcapProcess } from '../../capture/dumpcap-process';
import { forTerminalLines } from '../format';

export interface DumpcapCaptureOptions {
  iface: string;
  filter: string;
  file: string;
  snapLen: number;
  flushMs: number;
  bufferMb?: number;
  duration?: number;
  count?: number;
  json: boolean;
}

export async function captureWithDumpcap(o: DumpcapCaptureOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const say = (m: CaptureMessage) => out.write(JSON.stringify(m) + '\n');
  const fail = (message: string) => {
    if (o.json) say({ event: 'error', message });
    else err.write(`wirelens: ${forTerminalLines(message)}\n`);
    return 1;
  };
  const dumpcap = findDumpcap();
  if (!dumpcap) return fail(DUMPCAP_MISSING_HELP);
  let started = false;
  let failed: string | null = null;
  let stop: () => void = () => undefined;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const proc = new DumpcapProcess(dumpcap, {
      iface: o.iface,
      filter: o.filter,
      snapLen: o.snapLen,
      file: o.file,
      bufferMb: o.bufferMb,
      count: o.count,
      durationS: o.duration,
      flushMs: o.flushMs,
      onMessage: (m) => {
        if (m.event === 'started') started = true;
        if (m.event === 'error') failed = m.message;
        if (o.json) say(m);
        else if (m.event === 'started') out.write(`Capturing on ${o.iface} (${m.linkTypeName}) with dumpcap${o.filter ? `, filter '${o.filter}'` : ''}, to ${o.file}; Ctrl+C stops.\n`);
        else if (m.event === 'stopped') out.write(`${m.packets} packets (${m.bytes} bytes) written to ${o.file}; the kernel dropped ${m.kernelDropped ?? 'an unknown number of'}\n`);
      },
      onExit: (code, signal, stderr) => resolve({ code, signal, stderr }),
    });
    stop = () => proc.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
    if (o.json) {
      process.stdin.on('end', stop);
      process.stdin.on('close', stop);
      process.stdin.resume();
    }
  });
  const exit = await ended;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(sig, stop);
  process.stdin.pause();
  if (!started) {
    if (!o.json) err.write(`wirelens: ${forTerminalLines(failed ?? exit.stderr)}\n`);
    return 1;
  }
  if (exit.code === 0 || exit.signal === 'SIGINT') return 0;
  // dumpcap ended on its own (the interface went away, it was killed…): say why on stderr, which
  // the engine shows as the reason the capture ended.
  err.write(`dumpcap ended (${exit.signal ?? `exit code ${exit.code}`})${exit.stderr ? `: ${forTerminalLines(exit.stderr)}` : ''}\n`);
  return 1;
}
