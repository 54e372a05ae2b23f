/**
 * The capture process, seen from the engine: `wirelens capture --status-json` run as a child
 * process (Wireshark's dumpcap design). It is the only part that opens the interface, so it is the
 * only part that needs capture rights; if it crashes the engine and the window stay up, and what it
 * flushed to the pcapng file stays readable. It stops when asked, and also when the engine dies
 * (its stdin closes), after flushing and closing the file.
 *
 * Which Node runs it: the engine's own Node in the CLI and browser mode; in the Electron app the
 * system `node` (or $WIRELENS_NODE), because the native `cap` module is built for the system Node
 * by `npm install` and cannot load into Electron's ABI without a rebuild.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../shared/paths';
import { parseCaptureMessage, type CaptureMessage } from './capture-messages';
import type { CaptureBackend } from './capture-backend';

export interface CaptureProcessOptions {
  iface: string;
  filter?: string;
  snapLen?: number;
  file: string;
  flushMs?: number;
  /** Who opens the interface inside the capture process: libpcap through `cap` (default), or dumpcap. */
  backend?: CaptureBackend;
  onMessage(m: CaptureMessage): void;
  /** The process ended (normally after 'stopped', or because it failed). */
  onExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): void;
}

export function captureNode(env: NodeJS.ProcessEnv = process.env, versions: NodeJS.ProcessVersions = process.versions): string {
  if (env.WIRELENS_NODE) return env.WIRELENS_NODE;
  return versions.electron ? 'node' : process.execPath;
}

/**
 * How to run the capture process for this backend. With dumpcap it needs no native module, so under
 * Electron it runs on Electron's own Node (ELECTRON_RUN_AS_NODE) and no system Node is needed.
 */
export function captureLaunch(backend: CaptureBackend, env: NodeJS.ProcessEnv = process.env, versions: NodeJS.ProcessVersions = process.versions): { command: string; env: NodeJS.ProcessEnv } {
  if (backend === 'dumpcap' && versions.electron && !env.WIRELENS_NODE) return { command: process.execPath, env: { ...env, ELECTRON_RUN_AS_NODE: '1' } };
  return { command: captureNode(env, versions), env };
}

export function captureArgs(o: Pick<CaptureProcessOptions, 'iface' | 'filter' | 'snapLen' | 'file' | 'flushMs' | 'backend'>): string[] {
  const args = [join(PACKAGE_ROOT, 'bin', 'wirelens.mjs'), 'capture', '--status-json', '-i', o.iface, '-w', o.file];
  if (o.filter) args.push('-f', o.filter);
  if (o.snapLen) args.push('--snaplen', String(o.snapLen));
  args.push('--flush-ms', String(o.flushMs ?? (o.backend === 'dumpcap' ? DUMPCAP_TICK_MS : 200)));
  args.push('--backend', o.backend ?? 'cap');
  return args;
}

const MAX_STDERR = 64 * 1024;
/** With dumpcap the capture process only looks at the file dumpcap flushes: a cheap look, taken twice as often. */
const DUMPCAP_TICK_MS = 100;
const GROUP_KILL = process.platform !== 'win32';

export class CaptureProcess {
  private readonly child: ChildProcess;
  private stderr = '';
  private exited = false;

  constructor(o: CaptureProcessOptions) {
    const launch = captureLaunch(o.backend ?? 'cap');
    // Its own process group (POSIX), so kill() also reaches a dumpcap it started.
    this.child = spawn(launch.command, captureArgs(o), { stdio: ['pipe', 'pipe', 'pipe'], env: launch.env, detached: GROUP_KILL });
    let buf = '';
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const m = parseCaptureMessage(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (m) o.onMessage(m);
      }
      if (buf.length > MAX_STDERR) buf = '';
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => {
      if (this.stderr.length < MAX_STDERR) this.stderr += d;
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.on('error', (e) => {
      this.stderr += `could not start the capture process (${launch.command}): ${e.message}`;
    });
    this.child.on('close', (code, signal) => {
      this.exited = true;
      o.onExit(code, signal, this.stderr.trim());
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the process to stop: closing its stdin makes it flush, close the file and exit. */
  stop(): void {
    if (this.exited) return;
    this.child.stdin!.end();
    const t = setTimeout(() => {
      if (!this.exited) this.kill('SIGTERM');
    }, 3000);
    t.unref();
  }

  /** Kills it outright (tests of "the capture process died"). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exited) return;
    try {
      if (GROUP_KILL && this.child.pid) process.kill(-this.child.pid, signal);
      else this.child.kill(signal);
    } catch {
      this.child.kill(signal);
    }
  }
}
