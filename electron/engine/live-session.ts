/**
 * A live capture as an engine session: starts the capture process (with dumpcap or `cap` opening
 * the interface, see capture-backend.ts), waits until it has opened the
 * interface (or reports why it could not), then follows the pcapng file it writes — after every
 * flush the new packets are indexed and the views are told. Stop (or the process ending on its
 * own) finishes the pass, and the session becomes an ordinary opened capture.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureInfo, LiveCaptureOptions } from '../../api/engine-api';
import type { AppProtocol } from '../../dissectors/app/types';
import type { CaptureMessage } from '../capture/capture-messages';
import { backendsToTry, defaultBackendChoice, DUMPCAP_MISSING_HELP, findDumpcap, type CaptureBackend } from '../capture/capture-backend';
import { CaptureProcess } from '../capture/capture-process';
import { CaptureSession } from './capture-session';
import { startLiveLoad, type LiveLoad } from './live-load';

const START_TIMEOUT_MS = 20000;

export interface LiveSessionHooks {
  /** After each poll that indexed new packets (and at the end). */
  onUpdate(s: CaptureSession): void;
  /** The capture ended without being asked (the process died or failed). */
  onEnded(s: CaptureSession, why: string): void;
}

export class LiveController {
  private stopRequested = false;
  private finished: Promise<void> | null = null;
  /** Resolves once the capture process has ended and every packet it wrote is indexed. */
  private readonly ended: Promise<void>;
  private markEnded!: () => void;

  private constructor(
    readonly session: CaptureSession,
    private readonly proc: CaptureProcess,
    private readonly load: LiveLoad,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  /**
   * Starts capturing with the first backend that can (see capture-backend.ts); rejects with the
   * (explained) reason when none can.
   */
  static async start(id: string, options: LiveCaptureOptions, dir: string, decodeAs: Map<number, AppProtocol> | undefined, hooks: LiveSessionHooks): Promise<LiveController> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(dir, `${id}-${options.iface.replace(/[^\w.-]/g, '_')}-${stamp}.pcapng`);
    const dumpcap = findDumpcap();
    const failures: string[] = [];
    for (const backend of backendsToTry(options.backend ?? defaultBackendChoice(), dumpcap)) {
      try {
        return await LiveController.startWith(backend, dumpcap, id, options, file, decodeAs, hooks);
      } catch (e) {
        rmSync(file, { force: true });
        const message = (e as Error).message;
        failures.push(failures.length ? `(Wirelens's own capture process could not capture either: ${message})` : message);
        // A bad filter or interface name fails every backend alike.
        if (/not valid BPF|wirelens interfaces/.test(message)) break;
      }
    }
    throw new Error(failures.join('\n\n'));
  }

  private static async startWith(
    backend: CaptureBackend,
    dumpcap: string | null,
    id: string,
    options: LiveCaptureOptions,
    file: string,
    decodeAs: Map<number, AppProtocol> | undefined,
    hooks: LiveSessionHooks,
  ): Promise<LiveController> {
    let controller: LiveController | null = null;
    let startedResolve!: (m: CaptureMessage & { event: 'started' }) => void;
    let startedReject!: (e: Error) => void;
    const started = new Promise<CaptureMessage & { event: 'started' }>((res, rej) => {
      startedResolve = res;
      startedReject = rej;
    });
    let exit: { code: number | null; signal: NodeJS.Signals | null; stderr: string } | null = null;
    if (backend === 'dumpcap' && !dumpcap) throw new Error(DUMPCAP_MISSING_HELP);
    const proc = new CaptureProcess({
      iface: options.iface,
      filter: options.filter,
      snapLen: options.snaplen,
      file,
      backend,
      onMessage: (m) => {
        if (m.event === 'started') startedResolve(m);
        else if (m.event === 'error') startedReject(new Error(m.message));
        else if (controller) void controller.onStats(m, hooks);
      },
      onExit: (code, signal, stderr) => {
        exit = { code, signal, stderr };
        startedReject(new Error(stderr || `the capture process ended (${signal ?? `exit code ${code}`}) before capturing`));
        if (controller) void controller.onExit(exit, hooks);
      },
    });
    const timer = setTimeout(() => startedReject(new Error(`the capture process did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    let m: CaptureMessage & { event: 'started' };
    try {
      m = await started;
    } catch (e) {
      proc.kill('SIGTERM');
      throw e;
    } finally {
      clearTimeout(timer);
    }
    const load = await startLiveLoad(m.file, { decodeAs });
    const info: CaptureInfo = { id, name: `live: ${m.iface}${m.filter ? ` (${m.filter})` : ''}`, format: 'pcapng', sizeBytes: 0, live: true };
    const session = new CaptureSession(info, load.handle);
    session.live = { iface: m.iface, filter: m.filter, running: true, packets: 0, bytes: 0, ifReceived: null, ifDropped: null, kernelDropped: null, backend, file: m.file, ended: null };
    void session.ready();
    controller = new LiveController(session, proc, load);
    if (exit) void controller.onExit(exit, hooks);
    return controller;
  }

  private async onStats(m: CaptureMessage, hooks: LiveSessionHooks): Promise<void> {
    const live = this.session.live!;
    if (m.event === 'stats' || m.event === 'stopped') {
      live.packets = m.packets;
      live.bytes = m.bytes;
      live.ifReceived = m.ifReceived;
      live.ifDropped = m.ifDropped;
      if (m.kernelDropped !== undefined) live.kernelDropped = m.kernelDropped;
    }
    if (m.event !== 'stats' || this.finished) return;
    try {
      const got = await this.load.poll();
      this.session.info.sizeBytes = this.load.handle.source.size;
      if (got > 0) {
        this.session.refreshLiveProtocols();
        hooks.onUpdate(this.session);
      }
    } catch (e) {
      this.session.error = `reading the live capture failed: ${(e as Error).message}`;
      hooks.onEnded(this.session, this.session.error);
      this.proc.stop();
    }
  }

  private onExit(exit: { code: number | null; signal: NodeJS.Signals | null; stderr: string }, hooks: LiveSessionHooks): Promise<void> {
    const live = this.session.live!;
    live.running = false;
    if (!this.stopRequested && (exit.code !== 0 || exit.signal)) {
      live.ended = `The capture process ended unexpectedly (${exit.signal ?? `exit code ${exit.code}`})${exit.stderr ? `: ${exit.stderr.slice(0, 500)}` : ''}. Packets written until then are kept.`;
    }
    this.finished ??= (async () => {
      try {
        await this.load.finish();
        await this.session.ready();
        this.session.info.sizeBytes = this.load.handle.source.size;
      } catch (e) {
        this.session.error = `finishing the live capture failed: ${(e as Error).message}`;
      }
      if (live.ended) hooks.onEnded(this.session, live.ended);
      hooks.onUpdate(this.session);
      this.markEnded();
    })();
    return this.finished;
  }

  get running(): boolean {
    return this.proc.running;
  }

  /** Stops the capture and resolves once every written packet is indexed. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.proc.stop();
    await this.ended;
  }

  /** For tests of "the capture process died". */
  killProcess(): void {
    this.proc.kill('SIGKILL');
  }
}
