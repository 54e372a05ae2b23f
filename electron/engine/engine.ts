/**
 * The engine behind the renderer: opens captures, indexes them in one pass, and answers the UI's
 * queries (rows by range, one packet, one connection). Runs in-process for the CLI and browser
 * mode, and in a utility process for the desktop app. Implements the EngineApi contract.
 */
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { ensureCaptureDir } from '../capture/capture-dir';
import { runTempDir } from '../shared/private-temp';
import type {
  CaptureId,
  CaptureInfo,
  ConnectionRow,
  ConnectionView,
  EngineApi,
  EngineEvent,
  FilterResult,
  FollowResult,
  InterfaceInfo,
  LiveCaptureOptions,
  LoadStatus,
  PacketDetail,
  PacketRow,
  SortColumn,
  DecodeAsRule,
  KeyLogResult,
  ExpertInfo,
  ExportObjectInfo,
  PacketSelection,
} from '../../api/engine-api';
import { buildKeyLog, type KeyLogText } from './key-logs';
import { saveWithTlsKeys } from './tls-keys-export';
import type { AppProtocol, AppResult, Credential } from '../../dissectors/app/types';
import { buildConnectionResult } from '../../dissectors/analysis/report';
import type { ConnectionResult } from '../../dissectors/analysis/types';
import type { ConnectionModel } from '../../dissectors/tcp/types';
import { createHash } from 'node:crypto';
import type { MailMessage } from '../../dissectors/app/mail/message';
import { compileFilter } from '../../dissectors/filter/compile';
import { CaptureSession } from './capture-session';
import { replayDissection, replayStreams, connectionFrameIndices } from './connection-replay';
import { frameMarks } from './frame-marks';
import { SessionFieldAccessor } from './filter-accessor';
import { LiveController } from './live-session';
import { startLoad } from './load-capture';
import { packetDetail } from './packet-detail';
import { rowsInView } from './packet-rows';
import { sortedView } from './packet-sort';
import { expertInfo } from './expert-info';
import { listObjects, objectBytes } from './export-objects';
import { allComments, annotateRows, commentOf, commentsReady, editedComment, markedFrames, setComment, setMarked, setTimeReference } from './packet-annotations';
import { exportPackets as writePackets, mergeCaptures } from './packet-export';
import { captureStatistics } from './stats/capture-statistics';
import { ioGraph } from './stats/io-graph';
import { tcpStreamGraph } from './stats/tcp-stream-graph';
import type { CaptureStatistics, IoGraph, TcpStreamGraph } from '../../dissectors/stats/types';

export const MAX_ROWS_PER_REQUEST = 10000;
export const FOLLOW_MAX_BYTES = 16 * 1024 * 1024;
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
/** Largest file (exported packets, an object) handed to a window in one message. */
export const MAX_PAGE_FILE_BYTES = 128 * 1024 * 1024;
/** Read size while a UI waits: about 5 ms of analysis between two chances to answer a query. */
const INTERACTIVE_CHUNK = 256 * 1024;
/** Longest pause of a load for the window to fetch its first rows. */
const FIRST_ROWS_GRACE_MS = 300;
const FIRST_ROWS_DRAW_MS = 50;

export interface EngineOptions {
  decodeAs?: Map<number, AppProtocol>;
  /** TLS key logs every opened file is decrypted with (CLI --keylog). */
  keyLogs?: KeyLogText[];
  /** Analysis worker threads for opened files (see workersFor); undefined = by file size and cores. */
  workers?: number;
  /**
   * No window waits for rows (the CLI's one-shot commands): files are read in the default large
   * chunks without yielding between them, instead of small steps that keep a window answered.
   */
  batch?: boolean;
}

/** Largest FTP transfer handed to the UI in one piece. */
const MAX_TRANSFER_BYTES = 256 * 1024 * 1024;

export class Engine implements EngineApi {
  private readonly sessions = new Map<CaptureId, CaptureSession>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly live = new Map<CaptureId, LiveController>();
  private nextId = 1;
  private tempDir: string | null = null;

  constructor(private readonly options: EngineOptions = {}) {}

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a broken listener must not stop the engine */
      }
    }
  }

  async listCaptures(): Promise<CaptureInfo[]> {
    return [...this.sessions.values()].map((s) => s.info);
  }

  async openFile(path: string, displayName?: string, decodeAs: Map<number, AppProtocol> | undefined = this.options.decodeAs, keyLogs: KeyLogText[] = this.options.keyLogs ?? []): Promise<CaptureInfo> {
    const id = `c${this.nextId++}`;
    const { keys: tlsKeys, reports: keyLogReports } = buildKeyLog(keyLogs);
    let lastEmit = 0;
    let firstRows = false;
    let session: CaptureSession | null = null;
    // Once the first packets are announced, reading waits until the window has asked for its rows
    // (at most FIRST_ROWS_GRACE_MS): on a busy machine the page then gets the CPU to show them.
    let firstRowsShown: Promise<void> | null = null;
    const handle = await startLoad(path, {
      decodeAs,
      tlsKeys,
      // Decryption happens in the sequential pass only: with key logs, one thread reads the file.
      workers: keyLogs.length ? 0 : this.options.workers,
      yieldBetweenChunks: !this.options.batch,
      afterChunk: () => {
        const wait = firstRowsShown;
        firstRowsShown = null;
        return wait ?? undefined;
      },
      // Small chunks: between two of them the server answers the page (first rows while loading).
      chunkSize: this.options.batch ? undefined : INTERACTIVE_CHUNK,
      onProgress: (p) => {
        if (!session) return;
        session.bytesRead = p.bytesRead;
        const now = performance.now();
        // At most every 100 ms, but at once when the first packets arrive (the first rows).
        if (now - lastEmit > 100 || (!firstRows && p.packets > 0)) {
          if (!firstRows && p.packets > 0 && this.listeners.size > 0) {
            const s = session;
            firstRowsShown = new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, FIRST_ROWS_GRACE_MS);
              // After the rows are sent, a moment more for the window to draw them.
              s.onRowsRequested = () => {
                clearTimeout(timer);
                setTimeout(resolve, FIRST_ROWS_DRAW_MS);
              };
            });
          }
          firstRows ||= p.packets > 0;
          lastEmit = now;
          this.emit({ type: 'status', status: session.status() });
        }
      },
    });
    const info: CaptureInfo = {
      id,
      name: displayName ?? basename(path),
      format: 'pcap',
      sizeBytes: handle.source.size,
      live: false,
    };
    session = new CaptureSession(info, handle);
    session.decodeAs = decodeAs ?? new Map();
    session.keyLogs = keyLogs;
    session.keyLogReports = keyLogReports;
    this.sessions.set(id, session);
    const s = session;
    void s.ready().then(() => {
      if (s.loaded) info.format = s.loaded.summary.format;
      this.emit({ type: 'status', status: s.status() });
      if (s.error) this.emit({ type: 'error', message: `${info.name}: ${s.error}` });
    });
    this.emit({ type: 'opened', capture: info, status: session.status() });
    return info;
  }

  /** Opens a file and waits until it is fully loaded (CLI, tests). */
  async openAndWait(path: string): Promise<CaptureSession> {
    const info = await this.openFile(path);
    const s = this.session(info.id);
    await s.ready();
    if (s.error) throw new Error(s.error);
    return s;
  }

  async openUpload(name: string, bytesBase64: string): Promise<CaptureInfo> {
    if (typeof name !== 'string' || typeof bytesBase64 !== 'string') throw new Error('bad upload');
    const bytes = Buffer.from(bytesBase64, 'base64');
    if (bytes.length > MAX_UPLOAD_BYTES) throw new Error('upload too large (512 MiB max); open the file with `wirelens serve FILE`');
    const dir = await this.scratchDir();
    const safe = basename(name).replace(/[^\w.-]+/g, '_').slice(0, 100) || 'upload.pcap';
    const path = join(dir, `${this.nextId}-${safe}`);
    await fsp.writeFile(path, bytes);
    return this.openFile(path, basename(name).slice(0, 200));
  }

  session(id: CaptureId): CaptureSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no open capture '${String(id)}'`);
    return s;
  }

  async getStatus(id: CaptureId): Promise<LoadStatus> {
    return this.session(id).status();
  }

  async setFilter(id: CaptureId, filter: string): Promise<FilterResult> {
    const s = this.session(id);
    if (!s.capturing) await s.ready();
    if (s.error) return { ok: false, error: s.error, displayed: 0 };
    return this.applyView(s, filter, s.sort);
  }

  /**
   * Rebuilds the packet view: the filter's packets in capture order, then sorted. Synchronous, so a
   * filter and a sort asked for at once never interleave (each applies whole, in the order asked).
   */
  applyView(s: CaptureSession, filter: string, sort: CaptureSession['sort']): FilterResult {
    const compiled = compileFilter(filter);
    if (!compiled.ok) return { ok: false, error: compiled.error, displayed: s.rowCount() };
    s.filterText = filter;
    s.view = null;
    s.viewUpTo = 0;
    s.viewFilter = compiled.filter.matchAll ? null : compiled.filter;
    if (s.viewFilter) {
      s.view = new Int32Array(0);
      this.extendFilterView(s);
    }
    if (sort) s.view = sortedView(s, s.view, sort.column, sort.descending);
    s.sort = sort;
    return { ok: true, error: null, displayed: s.rowCount() };
  }

  async decodeAs(id: CaptureId, rules: DecodeAsRule[]): Promise<CaptureInfo> {
    const s = this.session(id);
    if (s.live) throw new Error('Decode As applies to a saved capture: stop the capture first, then choose Decode As');
    const map = new Map(s.decodeAs);
    for (const r of rules) map.set(r.port, r.protocol);
    // The user's file (a gzip file is decompressed again), under the same name.
    return this.openFile(s.handle.source.originalPath, s.info.name, map);
  }

  async loadKeyLog(id: CaptureId, name: string, text: string): Promise<KeyLogResult> {
    const s = this.session(id);
    if (s.capturing) throw new Error('a key log is applied once the capture stops: stop it, then load the key log');
    const logs = [...s.keyLogs, { name: String(name).slice(0, 200), text }];
    // A stopped live capture is read again from the pcapng it was written to.
    const capture = await this.openFile(s.live?.file ?? s.handle.source.originalPath, s.info.name, s.decodeAs, logs);
    const n = this.session(capture.id);
    await n.ready();
    if (n.error) throw new Error(n.error);
    const mine = n.keyLogReports[n.keyLogReports.length - 1];
    const tls = n.tlsConnections();
    return {
      capture,
      keys: mine.keys,
      skipped: mine.skipped,
      firstProblem: mine.firstProblem,
      totalKeys: n.loaded?.tlsKeys?.keys ?? 0,
      decrypted: tls.filter((c) => c.decrypted).map((c) => c.id),
      encrypted: tls.filter((c) => !c.decrypted).map((c) => ({ connection: c.id, reason: c.reason })),
    };
  }

  async saveWithTlsKeys(id: CaptureId): Promise<{ filename: string; packets: number; keys: number; bytesBase64: string }> {
    const s = this.session(id);
    await s.ready();
    if (s.error) throw new Error(s.error);
    const r = await saveWithTlsKeys(s);
    return { filename: r.filename, packets: r.packets, keys: r.keys, bytesBase64: r.bytes.toString('base64') };
  }

  async setSort(id: CaptureId, column: SortColumn | null, descending: boolean): Promise<FilterResult> {
    const s = this.session(id);
    if (s.capturing) return { ok: false, error: 'the packet list can be sorted once the capture stops', displayed: s.rowCount() };
    await s.ready();
    if (s.error) return { ok: false, error: s.error, displayed: 0 };
    try {
      return this.applyView(s, s.filterText, column ? { column, descending } : null);
    } catch (e) {
      return { ok: false, error: (e as Error).message, displayed: s.rowCount() };
    }
  }

  extendFilterView(s: CaptureSession): void {
    const f = s.viewFilter;
    if (!f) return;
    const acc = new SessionFieldAccessor(s);
    s.extendView((i) => f.matches(acc.at(i)));
  }

  async rowOfFrame(id: CaptureId, frame: number): Promise<number> {
    const s = this.session(id);
    const i = frame - 1;
    if (!s.view) return i >= 0 && i < s.analyzer.index.count ? i : -1;
    // A filter view in capture order is sorted: binary search; a sorted view: scan.
    if (!s.sort) {
      let a = 0;
      let b = s.view.length;
      while (a < b) {
        const m = (a + b) >> 1;
        if (s.view[m] < i) a = m + 1;
        else b = m;
      }
      return a < s.view.length && s.view[a] === i ? a : -1;
    }
    return s.view.indexOf(i);
  }

  async getPackets(id: CaptureId, start: number, count: number): Promise<PacketRow[]> {
    const s = this.session(id);
    // The rows first, synchronously: a browser page's own view is in place only until the first await.
    const rows = rowsInView(s, start, Math.min(count, MAX_ROWS_PER_REQUEST));
    if (rows.length) {
      s.onRowsRequested?.();
      s.onRowsRequested = null;
    }
    await commentsReady(s);
    return annotateRows(s, rows);
  }

  async getPacketDetail(id: CaptureId, frame: number): Promise<PacketDetail> {
    const s = this.session(id);
    await commentsReady(s);
    const d = packetDetail(s, frame);
    const comment = commentOf(s, frame);
    // As Wireshark's tree: the packet's comment first, above the frame.
    const layers = comment === null ? d.layers : [{ name: 'Packet comments', id: 'comment', offset: 0, length: 0, fields: [{ name: 'frame.comment', label: comment, offset: 0, length: 0 }] }, ...d.layers];
    return { ...d, comment, layers };
  }

  async getConnections(id: CaptureId): Promise<ConnectionRow[]> {
    const s = this.session(id);
    if (!s.capturing) await s.ready();
    return s.connectionRows();
  }

  async getConnection(id: CaptureId, connection: number): Promise<ConnectionView> {
    const s = this.session(id);
    if (!s.capturing) await s.ready();
    const { model, result, app } = await this.connectionNow(s, connection);
    const row = s.connectionRow(connection);
    if (!row) throw new Error(`no connection ${connection}`);
    const frames = connectionFrameIndices(s, connection).map((i) => i + 1);
    await commentsReady(s);
    const comments = frames.flatMap((frame) => {
      const comment = commentOf(s, frame);
      return comment === null ? [] : [{ frame, comment }];
    });
    return {
      row,
      model,
      ladder: result.ladder,
      tls: app?.tls ?? null,
      summary: app?.summary ?? {},
      diagnostics: result.diagnostics,
      frames,
      frameMarks: frameMarks(s, frames),
      comments,
      streams: {
        client: { bytes: result.streams.client.bytes, sha256: result.streams.client.sha256, gaps: result.streams.client.gaps },
        server: { bytes: result.streams.server.bytes, sha256: result.streams.server.sha256, gaps: result.streams.server.gaps },
      },
    };
  }

  /**
   * One connection's model, dissection and result: from the finished pass, or — while a live
   * capture runs — by replaying the connection's frames captured so far.
   */
  private async connectionNow(s: CaptureSession, connection: number): Promise<{ model: ConnectionModel; result: ConnectionResult; app: AppResult | null }> {
    if (!s.capturing) {
      const out = s.loaded!.output;
      const model = out.models[connection];
      if (!model) throw new Error(`no connection ${connection}`);
      return { model, result: s.connection(connection), app: out.apps[connection] ?? null };
    }
    if (!Number.isInteger(connection) || connection < 0 || connection >= s.analyzer.connectionCount) throw new Error(`no connection ${connection}`);
    const out = await replayDissection(s, connection, s.decodeAs);
    const model = out.models[0];
    if (!model) throw new Error(`no connection ${connection}`);
    model.id = connection;
    const app = out.apps[0] ?? null;
    return { model, result: buildConnectionResult(model, out.states[0], app), app };
  }

  async follow(id: CaptureId, connection: number): Promise<FollowResult> {
    const s = this.session(id);
    if (!s.capturing) await s.ready();
    const { result: c } = await this.connectionNow(s, connection);
    const { items, truncated } = replayStreams(s, connection, FOLLOW_MAX_BYTES);
    return {
      connection,
      client: c.client,
      server: c.server,
      truncated,
      segments: items.map((it) =>
        'chunk' in it
          ? {
              dir: it.chunk.dir,
              offset: it.chunk.offset,
              bytesBase64: Buffer.from(it.chunk.bytes).toString('base64'),
              frames: [...new Set(it.chunk.frames.map((f) => f.frame))],
            }
          : { dir: it.gap.dir, offset: it.gap.offset, gap: it.gap.length, frames: [it.gap.frame] },
      ),
      ...(c.tls?.decrypted ? { decrypted: await this.decryptedSegments(s, connection) } : {}),
    };
  }

  /** The TLS application data of a decrypted connection, record by record (Follow Stream's decrypted view), bounded like the raw one. */
  private async decryptedSegments(s: CaptureSession, connection: number): Promise<FollowResult['segments']> {
    const segments: FollowResult['segments'] = [];
    const offset = { client: 0, server: 0 };
    let total = 0;
    await replayDissection(s, connection, s.decodeAs, (_conn, dir, bytes, frame) => {
      if (total >= FOLLOW_MAX_BYTES) return;
      const take = bytes.subarray(0, FOLLOW_MAX_BYTES - total);
      total += take.length;
      segments.push({ dir, offset: offset[dir], bytesBase64: Buffer.from(take).toString('base64'), frames: [frame] });
      offset[dir] += bytes.length;
    });
    return segments;
  }

  async getCredentials(id: CaptureId): Promise<Credential[]> {
    const s = this.session(id);
    await s.ready();
    return s.credentials();
  }

  async getAttachment(
    id: CaptureId,
    connection: number,
    message: number,
    attachment: number,
  ): Promise<{ name: string; type: string; bytesBase64: string }> {
    const s = this.session(id);
    await s.ready();
    const out = await replayDissection(s, connection, s.decodeAs);
    const app = out.apps[0];
    const mail = app?.summary.smtp as { messages?: MailMessage[] } | undefined;
    const pop3 = app?.summary.pop3 as { retrieved?: MailMessage[] } | undefined;
    const msg = (mail?.messages ?? pop3?.retrieved ?? [])[message];
    const att = msg?.mime?.attachments[attachment];
    if (!att?.content) throw new Error(`no attachment ${attachment} in message ${message} of connection ${connection}`);
    return { name: att.filename ?? 'attachment', type: att.mimeType, bytesBase64: Buffer.from(att.content).toString('base64') };
  }

  async getTransfer(id: CaptureId, connection: number): Promise<{ direction: 'client' | 'server'; bytes: number; sha256: string; bytesBase64: string; truncated: boolean }> {
    const s = this.session(id);
    await s.ready();
    if (s.protocols[connection] !== 'ftp-data') throw new Error(`connection ${connection} is not an FTP data connection`);
    const { items, truncated } = replayStreams(s, connection, MAX_TRANSFER_BYTES);
    const parts: Record<'client' | 'server', Buffer[]> = { client: [], server: [] };
    for (const it of items) if ('chunk' in it) parts[it.chunk.dir].push(Buffer.from(it.chunk.bytes));
    const direction = parts.server.reduce((a, b) => a + b.length, 0) >= parts.client.reduce((a, b) => a + b.length, 0) ? 'server' : 'client';
    const bytes = Buffer.concat(parts[direction]);
    return { direction, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytesBase64: bytes.toString('base64'), truncated };
  }

  async getExpertInfo(id: CaptureId): Promise<ExpertInfo> {
    const s = this.session(id);
    await s.ready();
    if (s.error) throw new Error(s.error);
    return expertInfo(s);
  }

  async getStatistics(id: CaptureId): Promise<CaptureStatistics> {
    return captureStatistics(await this.readySession(id));
  }

  async getIoGraph(id: CaptureId, interval: number, filters: string[]): Promise<IoGraph> {
    return ioGraph(await this.readySession(id), interval, Array.isArray(filters) ? filters : []);
  }

  async getTcpStreamGraph(id: CaptureId, connection: number, direction: 'client' | 'server'): Promise<TcpStreamGraph> {
    return tcpStreamGraph(await this.readySession(id), connection, direction);
  }

  /** A capture that has been read to the end (statistics need every frame). */
  private async readySession(id: CaptureId): Promise<CaptureSession> {
    const s = this.session(id);
    if (s.capturing) throw new Error('statistics are computed once the capture stops');
    await s.ready();
    if (s.error) throw new Error(s.error);
    return s;
  }

  async listExportObjects(id: CaptureId): Promise<ExportObjectInfo[]> {
    const s = this.session(id);
    await s.ready();
    if (s.error) throw new Error(s.error);
    return listObjects(s).map((o) => o.info);
  }

  async getExportObject(id: CaptureId, index: number): Promise<{ filename: string; contentType: string; bytesBase64: string }> {
    const s = this.session(id);
    await s.ready();
    const listed = listObjects(s)[index]?.info;
    if (listed && listed.size > MAX_PAGE_FILE_BYTES)
      throw new Error(`${listed.filename} has ${Math.ceil(listed.size / 1024 / 1024)} MiB, more than the ${MAX_PAGE_FILE_BYTES / 1024 / 1024} MiB the window takes at once: save it with \`wirelens export-objects\``);
    const { info, bytes } = await objectBytes(s, index);
    return { filename: info.filename, contentType: info.contentType, bytesBase64: Buffer.from(bytes).toString('base64') };
  }

  /** The frames (1-based, a set) a selection names, in the session's current view: synchronous, so a client's view can be swapped in around it. */
  selectionOf(s: CaptureSession, selection: PacketSelection): Set<number> | null {
    const count = s.analyzer.index.count;
    switch (selection?.kind) {
      case 'all':
        return null;
      case 'displayed':
        return s.view ? new Set(Array.from(s.view, (i) => i + 1)) : null;
      case 'marked':
        return new Set(markedFrames(s));
      case 'range': {
        const { first, last } = selection;
        if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first || first > count)
          throw new Error(`a range is first..last frame within 1..${count}`);
        const out = new Set<number>();
        for (let f = first; f <= Math.min(last, count); f++) out.add(f);
        return out;
      }
      default:
        throw new Error('choose the packets: all, displayed, marked or a range');
    }
  }

  async exportPackets(id: CaptureId, selection: PacketSelection, format: 'pcap' | 'pcapng'): Promise<{ filename: string; packets: number; bytesBase64: string }> {
    const s = this.session(id);
    return this.exportFrames(id, this.selectionOf(s, selection), format);
  }

  /** Writes chosen frames (null: all) to a temporary file and hands its bytes over. */
  async exportFrames(id: CaptureId, frames: Set<number> | null, format: 'pcap' | 'pcapng'): Promise<{ filename: string; packets: number; bytesBase64: string }> {
    const s = this.session(id);
    if (s.capturing) throw new Error('packets can be exported once the capture stops');
    await s.ready();
    if (s.error) throw new Error(s.error);
    if (format !== 'pcap' && format !== 'pcapng') throw new Error('format must be pcap or pcapng');
    const path = join(await this.scratchDir(), `export-${this.nextId++}.${format}`);
    try {
      const r = await this.exportFramesTo(id, frames, format, path);
      const size = (await fsp.stat(path)).size;
      if (size > MAX_PAGE_FILE_BYTES) throw new Error(`the exported file has ${Math.ceil(size / 1024 / 1024)} MiB, more than the ${MAX_PAGE_FILE_BYTES / 1024 / 1024} MiB the window takes at once: choose fewer packets, or save them with \`wirelens export\``);
      const bytes = await fsp.readFile(path);
      const stem = s.info.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '');
      return { filename: `${stem}-export.${format}`, packets: r.packets, bytesBase64: bytes.toString('base64') };
    } finally {
      await fsp.rm(path, { force: true });
    }
  }

  /** Writes chosen frames (null: all) of an open capture to `path`, with the packets' comments (the user's edits included). */
  async exportFramesTo(id: CaptureId, frames: Set<number> | null, format: 'pcap' | 'pcapng', path: string): Promise<{ packets: number; bytes: number }> {
    const s = this.session(id);
    await s.ready();
    if (s.error) throw new Error(s.error);
    return writePackets(s.handle.source.path, path, {
      format,
      include: frames ? (f) => frames.has(f) : () => true,
      commentFor: (f) => editedComment(s, f),
    });
  }

  async mergeCaptures(ids: CaptureId[]): Promise<CaptureInfo> {
    if (!Array.isArray(ids) || ids.length < 2) throw new Error('choose at least two open captures to merge');
    const sessions = ids.map((x) => this.session(x));
    if (sessions.some((s) => s.capturing)) throw new Error('a live capture can be merged once it stops');
    const path = join(await this.scratchDir(), `merged-${this.nextId++}.pcapng`);
    await mergeCaptures(sessions.map((s) => s.handle.source.path), path, 'pcapng');
    const name = sessions.map((s) => s.info.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '')).join('+').slice(0, 120);
    return this.openFile(path, `${name}.pcapng`);
  }

  async setMarked(id: CaptureId, frames: number[], marked: boolean): Promise<number[]> {
    if (!Array.isArray(frames)) throw new Error('frames must be a list');
    return setMarked(this.session(id), frames, marked === true);
  }

  async setTimeReference(id: CaptureId, frame: number, on: boolean): Promise<number[]> {
    return setTimeReference(this.session(id), frame, on === true);
  }

  async setPacketComment(id: CaptureId, frame: number, comment: string): Promise<string | null> {
    const s = this.session(id);
    await commentsReady(s);
    return setComment(s, frame, typeof comment === 'string' ? comment : null);
  }

  async getPacketComments(id: CaptureId): Promise<Array<{ frame: number; comment: string }>> {
    const s = this.session(id);
    await s.ready();
    return allComments(s);
  }

  async listInterfaces(): Promise<InterfaceInfo[]> {
    const { listInterfaces } = await import('../capture/interfaces');
    return listInterfaces();
  }

  async startCapture(options: LiveCaptureOptions): Promise<CaptureInfo> {
    const id = `c${this.nextId++}`;
    // Live captures are kept after the engine closes (like Wireshark's temporary files): the
    // status names the file, and Save/Download copies it.
    const dir = await ensureCaptureDir();
    const controller = await LiveController.start(id, options, dir, this.options.decodeAs, {
      onUpdate: (s) => {
        this.extendFilterView(s);
        this.emit({ type: 'status', status: s.status() });
      },
      onEnded: (s, why) => this.emit({ type: 'error', message: `${s.info.name}: ${why}` }),
    });
    this.live.set(id, controller);
    this.sessions.set(id, controller.session);
    this.emit({ type: 'opened', capture: controller.session.info, status: controller.session.status() });
    return controller.session.info;
  }

  async stopCapture(id: CaptureId): Promise<LoadStatus> {
    const s = this.session(id);
    await this.live.get(id)?.stop();
    return s.status();
  }

  /** The file behind an open capture (the user's file, or a live capture's pcapng), for saving. */
  captureFile(id: CaptureId): { path: string; name: string } | null {
    const s = this.sessions.get(id);
    if (!s) return null;
    return { path: s.live?.file ?? s.handle.source.originalPath, name: s.info.name };
  }

  /** The live capture controller of a session (tests, the CLI). */
  liveController(id: CaptureId): LiveController | undefined {
    return this.live.get(id);
  }

  private async scratchDir(): Promise<string> {
    if (!this.tempDir) this.tempDir = await fsp.mkdtemp(join(runTempDir(), 'engine-'));
    return this.tempDir;
  }

  async close(): Promise<void> {
    for (const c of this.live.values()) await c.stop();
    this.live.clear();
    for (const s of this.sessions.values()) await s.close();
    this.sessions.clear();
    if (this.tempDir) await fsp.rm(this.tempDir, { recursive: true, force: true });
  }
}
