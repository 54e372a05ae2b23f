/**
 * The capture process's dumpcap backend (`wirelens capture --backend dumpcap`): Wireshark's own
 * capture program writes the pcapng file the engine follows, with kernel timestamps, in libpcap's block mode (TPACKET_V3
 * on Linux: the kernel fills whole blocks, so a burst of 100k packets/s on lo is captured without
 * drops, where `cap`'s immediate mode loses ~1 %), and it reports the kernel's drop count at the
 * end. Capture rights are dumpcap's (on Debian/Ubuntu: the `wireshark` group), so Wirelens itself
 * needs none. Its stderr is parsed by DumpcapOutput; this turns it into the capture messages. The
 * capture process around it stops it (SIGINT: dumpcap writes its statistics and closes the file)
 * when the engine asks or dies, as with `cap`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { linkTypeName } from '../../dissectors/capture/link-types';
import type { CaptureMessage } from './capture-messages';
import { DumpcapOutput, pcapngFirstLinkType } from './dumpcap-output';
import { countersSince, readInterfaceCounters } from './interface-stats';
import { dumpcapHelp } from './permissions';
import { interfaceNameProblem } from './interface-name';

/**
 * dumpcap's kernel buffer (-B, MiB). In block mode frames are packed, so this holds ~200,000
 * small packets; dumpcap's own default (2 MiB) already kept up with 100k packets/s here.
 */
export const DUMPCAP_BUFFER_MB = 32;
const STOP_GRACE_MS = 3000;
const HEAD_BYTES = 4096;

export interface DumpcapOptions {
  iface: string;
  filter?: string;
  snapLen?: number;
  file: string;
  /** Kernel buffer in MiB (default DUMPCAP_BUFFER_MB). */
  bufferMb?: number;
  /** Stop after this many packets / seconds (dumpcap's -c and -a duration:). */
  count?: number;
  durationS?: number;
  /** How often progress is reported (ms). */
  flushMs?: number;
  onMessage(m: CaptureMessage): void;
  /** dumpcap ended; `stderr` is its error text when it failed. */
  onExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): void;
}

/** dumpcap's arguments. Throws on an interface name dumpcap would read as a pipe, stdin, an index or a remote source. */
export function dumpcapArgs(o: Pick<DumpcapOptions, 'iface' | 'filter' | 'snapLen' | 'file' | 'bufferMb' | 'count' | 'durationS'>): string[] {
  const problem = interfaceNameProblem(o.iface);
  if (problem) throw new Error(`refused interface ${JSON.stringify(o.iface)}: ${problem}`);
  if (o.filter && /[\0\n\r]/.test(o.filter)) throw new Error('the capture filter must be one line of BPF');
  const args = ['-i', o.iface, '-w', o.file, '-B', String(Math.max(1, Math.round(o.bufferMb ?? DUMPCAP_BUFFER_MB)))];
  if (o.filter) args.push('-f', o.filter);
  if (o.snapLen) args.push('-s', String(Math.round(o.snapLen)));
  if (o.count) args.push('-c', String(Math.ceil(o.count)));
  if (o.durationS) args.push('-a', `duration:${Math.ceil(o.durationS)}`);
  return args;
}

/** The first interface's link type in the file dumpcap opened, once its header is on disk. */
function fileLinkType(file: string): number | null {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = new Uint8Array(HEAD_BYTES);
    return pcapngFirstLinkType(head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0)));
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export class DumpcapProcess {
  private readonly child: ChildProcess;
  private readonly output = new DumpcapOutput();
  private exited = false;
  private started = false;
  private ticker: NodeJS.Timeout | null = null;
  private stderr = '';

  constructor(
    dumpcap: string,
    private readonly o: DumpcapOptions,
  ) {
    const ifStart = readInterfaceCounters(o.iface);
    const counters = () => {
      const d = countersSince(ifStart, readInterfaceCounters(o.iface));
      return { ifReceived: d?.rxPackets ?? null, ifDropped: d?.rxDropped ?? null };
    };
    this.child = spawn(dumpcap, dumpcapArgs(o), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d;
      this.output.push(d);
      if (!this.started && this.output.facts.file !== null) this.start(counters);
    });
    this.child.on('error', (e) => {
      this.output.facts.other.push(`could not start dumpcap (${dumpcap}): ${e.message}`);
    });
    this.child.on('close', (code, signal) => {
      this.exited = true;
      if (this.ticker) clearInterval(this.ticker);
      this.output.end();
      const f = this.output.facts;
      if (this.started) {
        o.onMessage({ event: 'stopped', packets: f.packets, bytes: fileSize(o.file), ...counters(), kernelDropped: f.dropped });
        o.onExit(code, signal, code === 0 && !signal ? '' : this.output.errorText());
      } else {
        const why = this.output.errorText() || `dumpcap ended (${signal ?? `exit code ${code}`}) before capturing`;
        o.onMessage({ event: 'error', message: dumpcapHelp(why) });
        o.onExit(code, signal, this.stderr.trim());
      }
    });
  }

  /** dumpcap named its file: the interface is open. Report it, then report progress on time. */
  private start(counters: () => { ifReceived: number | null; ifDropped: number | null }): void {
    this.started = true;
    const o = this.o;
    const linkType = fileLinkType(o.file);
    o.onMessage({ event: 'started', file: o.file, linkType: linkType ?? -1, linkTypeName: linkType === null ? 'unknown' : linkTypeName(linkType), iface: o.iface, filter: o.filter ?? '' });
    // dumpcap flushes the file after every batch of packets; the engine reads what is on disk.
    this.ticker = setInterval(() => {
      if (this.exited) return;
      o.onMessage({ event: 'stats', packets: this.output.facts.packets, bytes: fileSize(o.file), ...counters(), kernelDropped: null });
    }, o.flushMs ?? 200);
  }

  /** SIGINT makes dumpcap write its statistics, close the file and exit. */
  stop(): void {
    if (this.exited) return;
    this.child.kill('SIGINT');
    const t = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, STOP_GRACE_MS);
    t.unref();
  }

}
