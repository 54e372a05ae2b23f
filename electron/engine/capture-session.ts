/**
 * One open capture in the engine: the load in progress or done, the packet store for re-reading
 * bytes, the per-frame labels and the current display-filter view.
 */
import type { AppProtocol } from '../../dissectors/app/types';
import { buildFrameLabels, type FrameLabel } from '../../dissectors/analysis/frame-labels';
import { Analyzer } from '../../dissectors/analysis/analyzer';
import { buildCaptureReport, buildConnectionResult, buildReport, connectionStatus, wireCounts } from '../../dissectors/analysis/report';
import type { AnalysisReport, CaptureReport, ConnectionResult } from '../../dissectors/analysis/types';
import type { Credential } from '../../dissectors/app/types';
import type { ConnectionModel } from '../../dissectors/tcp/types';
import { formatEndpoint } from '../../dissectors/analysis/endpoint';
import type { CaptureInfo, ConnectionRow, LiveCaptureStatus, LoadStatus, SortColumn } from '../../api/engine-api';
import type { CompiledFilter } from '../../dissectors/filter/compile';
import type { LoadedCapture, LoadHandle, LoadingAnalysis } from './load-capture';
import { PacketStore } from './packet-store';
import type { KeyLogReport, KeyLogText } from './key-logs';

export class CaptureSession {
  loaded: LoadedCapture | null = null;
  error: string | null = null;
  store: PacketStore | null = null;
  labels = new Map<number, FrameLabel>();
  protocols: AppProtocol[] = [];
  /** Display filter view: 0-based packet indices, or null for all packets. */
  view: Int32Array | null = null;
  filterText = '';
  /** The compiled display filter and how far into the index the view has been computed (live). */
  viewFilter: CompiledFilter | null = null;
  viewUpTo = 0;
  /** Decode As rules this capture was opened with (server port → protocol). */
  decodeAs = new Map<number, AppProtocol>();
  /** TLS key logs this capture was opened with, and what each gave. */
  keyLogs: KeyLogText[] = [];
  keyLogReports: KeyLogReport[] = [];
  /** The packet-list sort, applied on top of the display filter. */
  sort: { column: SortColumn; descending: boolean } | null = null;
  /** Set for a live capture: its facts and statistics, updated by the engine. */
  live: LiveCaptureStatus | null = null;
  private report: AnalysisReport | null = null;
  private capture: CaptureReport | null = null;
  bytesRead = 0;
  readonly started = performance.now();
  /** Called once by the engine when the window fetched rows (the load may be waiting for that). */
  onRowsRequested: (() => void) | null = null;

  constructor(
    readonly info: CaptureInfo,
    readonly handle: LoadHandle,
  ) {
    this.store = new PacketStore(handle.source.path, handle.analyzer.index);
  }

  get analyzer(): LoadingAnalysis {
    return this.handle.analyzer;
  }

  /** The sequential analyzer of a live capture (file loads may run on several threads). */
  private get liveAnalyzer(): Analyzer | null {
    return this.handle.analyzer instanceof Analyzer ? this.handle.analyzer : null;
  }

  private prepared: Promise<void> | null = null;

  /**
   * Resolves once the load has ended and the per-connection protocols and frame labels are built —
   * once per session: every query awaits this, and rebuilding the labels of a million packets per
   * click cost about 0.2 s.
   */
  ready(): Promise<void> {
    return (this.prepared ??= this.prepare());
  }

  private async prepare(): Promise<void> {
    try {
      this.loaded = await this.handle.done;
      const out = this.loaded.output;
      this.protocols = out.states.map((s) => s?.selector?.protocol() ?? s?.initial?.protocol ?? 'unknown');
      this.labels = buildFrameLabels(out.apps, this.protocols);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  fullReport(): AnalysisReport {
    if (!this.loaded) throw new Error('capture still loading');
    if (!this.report)
      this.report = buildReport(this.loaded.summary, this.loaded.output, this.loaded.source.size);
    return this.report;
  }

  /** The capture part of the report (facts and diagnostics), without building every connection's. */
  captureReport(): CaptureReport {
    if (!this.loaded) throw new Error('capture still loading');
    if (this.report) return this.report.capture;
    this.capture ??= buildCaptureReport(this.loaded.summary, this.loaded.output, this.loaded.source.size);
    return this.capture;
  }

  private wire: ReturnType<typeof wireCounts> | null = null;

  /** One connection as the report shows it (built on demand: the window looks at a few). */
  connection(id: number): ConnectionResult {
    if (this.report) {
      const c = this.report.connections[id];
      if (!c) throw new Error(`no connection ${id}`);
      return c;
    }
    if (!this.loaded) throw new Error('capture still loading');
    const out = this.loaded.output;
    const m = Number.isInteger(id) && id >= 0 ? out.models[id] : undefined;
    if (!m) throw new Error(`no connection ${id}`);
    // Frame counts per side come from one pass over the index, made once for every connection.
    this.wire ??= wireCounts(out);
    return { ...buildConnectionResult(m, out.states[m.id], out.apps[m.id] ?? null), wire: this.wire[m.id] };
  }

  /** The connections with TLS: whether each was decrypted, or why not. */
  tlsConnections(): Array<{ id: number; decrypted: boolean; reason: string }> {
    if (!this.loaded) throw new Error('capture still loading');
    const out: Array<{ id: number; decrypted: boolean; reason: string }> = [];
    this.loaded.output.apps.forEach((app, id) => {
      const t = app?.tls;
      if (t) out.push({ id, decrypted: t.decrypted, reason: t.decryption.reason ?? '' });
    });
    return out;
  }

  /** Credentials seen in clear, in connection order. */
  credentials(): Credential[] {
    if (!this.loaded) throw new Error('capture still loading');
    if (this.report) return this.report.credentials;
    return this.loaded.output.apps.flatMap((app) => app?.credentials ?? []);
  }

  /** True while packets may still arrive (a live capture not yet finished). */
  get capturing(): boolean {
    return !!this.live && !this.loaded && !this.error;
  }

  /** Connection rows while a live capture runs: from the analyzer's snapshot. */
  private liveRows(): ConnectionRow[] {
    return (this.liveAnalyzer?.snapshot() ?? []).map(({ model: m, protocol, protocolBy, bytes }) => ({
      id: m.id,
      client: formatEndpoint(m.client),
      server: formatEndpoint(m.server),
      protocol,
      protocolBy,
      packets: m.packets,
      bytes,
      firstFrame: m.firstFrame,
      start: m.firstTime,
      duration: m.lastTime - m.firstTime,
      status: connectionStatus(m),
      tls: false,
    }));
  }

  /** Live: refresh the protocol per connection (packet list column) from the analyzer. */
  refreshLiveProtocols(): void {
    const live = this.liveAnalyzer;
    if (this.capturing && live) this.protocols = live.liveProtocols();
  }

  connectionRows(): ConnectionRow[] {
    if (this.capturing) return this.liveRows();
    if (!this.loaded) return [];
    return this.loaded.output.models.map((m) => this.rowOf(m));
  }

  /** One connection's row (a click on it must not build every row of a big capture). */
  connectionRow(id: number): ConnectionRow | undefined {
    if (this.capturing) return this.liveRows()[id];
    const m = this.loaded?.output.models[id];
    return m ? this.rowOf(m) : undefined;
  }

  private rowOf(m: ConnectionModel): ConnectionRow {
    const out = this.loaded!.output;
    const st = out.states[m.id];
    const s = st?.streams;
    const app = out.apps[m.id];
    return {
      id: m.id,
      client: formatEndpoint(m.client),
      server: formatEndpoint(m.server),
      protocol: this.protocols[m.id] ?? 'unknown',
      protocolBy: st?.selector?.protocolBy() ?? st?.initial?.by ?? 'port',
      packets: m.packets,
      bytes: (s?.client.bytes ?? 0) + (s?.server.bytes ?? 0),
      firstFrame: m.firstFrame,
      start: m.firstTime,
      duration: m.lastTime - m.firstTime,
      status: connectionStatus(m),
      tls: !!app?.tls?.clientHello || !!app?.tls?.serverHello,
    };
  }

  status(): LoadStatus {
    const idx = this.analyzer.index;
    return {
      id: this.info.id,
      state: this.error ? 'error' : this.loaded ? 'ready' : this.live ? 'capturing' : 'loading',
      bytesRead: this.loaded ? this.loaded.source.size : this.live ? this.handle.source.size : this.bytesRead,
      bytesTotal: this.handle.source.size,
      packets: idx.count,
      displayed: this.rowCount(),
      connections: this.loaded ? this.loaded.output.models.length : this.analyzer.connectionCount,
      loadMs: this.loaded ? Math.round(this.loaded.loadMs) : Math.round(performance.now() - this.started),
      truncated: this.loaded?.summary.truncated ?? false,
      format: this.loaded?.summary.format ?? null,
      error: this.error,
      diagnostics: this.loaded ? this.captureReport().diagnostics.slice(0, 200) : [],
      capture: this.live ? { ...this.live } : null,
    };
  }

  /**
   * Applies the display filter to packets not yet filtered (all of them after setFilter; only the
   * new ones on each live poll), so a filter set during a live capture keeps matching new packets.
   */
  extendView(matches: (i: number) => boolean): void {
    const n = this.analyzer.index.count;
    if (this.viewUpTo >= n) return;
    const add = new Int32Array(n - this.viewUpTo);
    let k = 0;
    for (let i = this.viewUpTo; i < n; i++) if (matches(i)) add[k++] = i;
    this.viewUpTo = n;
    if (!k) return;
    const prev = this.view ?? new Int32Array(0);
    const next = new Int32Array(prev.length + k);
    next.set(prev);
    next.set(add.subarray(0, k), prev.length);
    this.view = next;
  }

  /** Number of rows in the current view. */
  rowCount(): number {
    return this.view ? this.view.length : this.analyzer.index.count;
  }

  async close(): Promise<void> {
    this.handle.cancel?.();
    this.store?.close();
    this.store = null;
    await this.handle.source.dispose();
  }
}
