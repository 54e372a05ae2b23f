/**
 * The engine as one browser page sees it: only the captures it may see (see CaptureAccess), its own
 * packet view of each (see ClientViews), server-side paths only where the person who started the
 * server allowed them, uploads written under Wirelens's private temporary directory.
 */
import { promises as fsp } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import type {
  CaptureId,
  CaptureInfo,
  DecodeAsRule,
  EngineApi,
  EngineEvent,
  FilterResult,
  LiveCaptureOptions,
  LoadStatus,
  SortColumn,
  KeyLogResult,
  PacketSelection,
} from '../../api/engine-api';
import type { Engine } from '../engine/engine';
import type { AccessClient, CaptureAccess } from './capture-access';
import { ChunkedUploads, uploadPath, uploadTooLarge } from './chunked-upload';
import { ClientViews } from './client-views';

/** What the person who started the server let pages do besides uploading. */
export interface ClientPolicy {
  /** Server-side files a page may open by path (the FILE argument). */
  files: readonly string[];
  /** Directories under which a page may open files by path (`--dir`). */
  dirs: readonly string[];
  /** Whether pages may list interfaces' captures and start/stop them (a loopback server). */
  allowCapture: boolean;
  maxUploadBytes: number;
}

const CAPTURE_RESERVED =
  'starting and stopping captures is reserved to the machine running `wirelens serve` (the class sees the capture the teacher started)';

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await fsp.realpath(path);
  } catch {
    return null;
  }
}

export class ClientEngine implements EngineApi, AccessClient {
  private readonly views: ClientViews;
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  constructor(
    private readonly engine: Engine,
    private readonly access: CaptureAccess,
    private readonly policy: ClientPolicy,
    readonly browser: string,
  ) {
    this.views = new ClientViews(engine);
    this.uploads = new ChunkedUploads(policy.maxUploadBytes);
  }

  private readonly uploads: ChunkedUploads;

  /** The page went away: its unfinished uploads are deleted. */
  closed(): Promise<void> {
    return this.uploads.abortAll();
  }

  private id(id: CaptureId): string {
    return this.access.fromClient(id, this);
  }

  private status(engineId: string, st: LoadStatus): LoadStatus {
    return { ...st, id: this.access.toClient(engineId, this) ?? st.id };
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by CaptureAccess with an event this page may see (ids already translated). */
  deliver(event: EngineEvent, engineId: string | null): void {
    let e = event;
    // The count of displayed rows is this page's (its own filter).
    if (e.type === 'status' && engineId !== null) {
      let displayed: number;
      try {
        displayed = this.views.with(engineId, (s) => s.rowCount());
      } catch {
        return; // the capture is gone: nothing to tell this page
      }
      e = { ...e, status: { ...e.status, displayed } };
    }
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* one page's broken listener must not keep the event from the others */
      }
    }
  }

  async listCaptures(): Promise<CaptureInfo[]> {
    const out: CaptureInfo[] = [];
    for (const c of await this.engine.listCaptures()) {
      const id = this.access.toClient(c.id, this);
      if (id !== null) out.push({ ...c, id });
    }
    return out;
  }

  async openFile(path: string): Promise<CaptureInfo> {
    const real = typeof path === 'string' ? await realOrNull(resolve(path)) : null;
    if (!real || !(await this.mayOpen(real)))
      throw new Error(
        'this server opens only the file it was started with, files under the folder given with --dir, and files you upload: choose the file with Open capture…',
      );
    return this.opened(() => this.engine.openFile(real, basename(real)));
  }

  private async mayOpen(real: string): Promise<boolean> {
    for (const f of this.policy.files) if ((await realOrNull(f)) === real) return true;
    for (const d of this.policy.dirs) {
      const dir = await realOrNull(d);
      if (dir && real.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return true;
    }
    return false;
  }

  async openUpload(name: string, bytesBase64: string): Promise<CaptureInfo> {
    const max = this.policy.maxUploadBytes;
    const tooLarge = uploadTooLarge(max);
    if (bytesBase64.length > Math.ceil(max / 3) * 4 + 4) throw new Error(tooLarge);
    const bytes = Buffer.from(bytesBase64, 'base64');
    if (bytes.length > max) throw new Error(tooLarge);
    const path = await uploadPath(name);
    await fsp.writeFile(path, bytes, { mode: 0o600 });
    return this.opened(() => this.engine.openFile(path, basename(name).slice(0, 200)));
  }

  beginUpload(name: string, size: number): Promise<{ upload: string }> {
    return this.uploads.begin(name, size);
  }

  uploadChunk(upload: string, offset: number, bytesBase64: string): Promise<{ received: number }> {
    return this.uploads.chunk(upload, offset, bytesBase64);
  }

  async endUpload(upload: string): Promise<CaptureInfo> {
    const { path, name } = await this.uploads.end(upload);
    return this.opened(() => this.engine.openFile(path, name));
  }

  abortUpload(upload: string): Promise<void> {
    return this.uploads.abort(upload);
  }

  private opened(open: () => Promise<CaptureInfo>): Promise<CaptureInfo> {
    return this.access.claimOpen(this, open);
  }

  async getStatus(id: CaptureId): Promise<LoadStatus> {
    const e = this.id(id);
    return this.status(e, await this.views.with(e, () => this.engine.getStatus(e)));
  }

  async setFilter(id: CaptureId, filter: string): Promise<FilterResult> {
    const e = this.id(id);
    const s = this.engine.session(e);
    if (!s.capturing) await s.ready();
    if (s.error) return { ok: false, error: s.error, displayed: 0 };
    return this.views.with(e, (v) => this.engine.applyView(v, filter, v.sort));
  }

  async setSort(id: CaptureId, column: SortColumn | null, descending: boolean): Promise<FilterResult> {
    const e = this.id(id);
    const s = this.engine.session(e);
    if (s.capturing) return this.engine.setSort(e, column, descending);
    await s.ready();
    if (s.error) return { ok: false, error: s.error, displayed: 0 };
    return this.views.with(e, (v) => {
      try {
        return this.engine.applyView(v, v.filterText, column ? { column, descending } : null);
      } catch (err) {
        return { ok: false, error: (err as Error).message, displayed: v.rowCount() };
      }
    });
  }

  async decodeAs(id: CaptureId, rules: DecodeAsRule[]): Promise<CaptureInfo> {
    const e = this.id(id);
    return this.opened(() => this.engine.decodeAs(e, rules));
  }

  async loadKeyLog(id: CaptureId, name: string, text: string): Promise<KeyLogResult> {
    const e = this.id(id);
    let result: KeyLogResult | null = null;
    const capture = await this.opened(async () => {
      result = await this.engine.loadKeyLog(e, name, text);
      return result.capture;
    });
    return { ...result!, capture };
  }

  async saveWithTlsKeys(id: CaptureId) {
    const e = this.id(id);
    return this.views.with(e, () => this.engine.saveWithTlsKeys(e));
  }

  async rowOfFrame(id: CaptureId, frame: number) {
    const e = this.id(id);
    return this.views.with(e, () => this.engine.rowOfFrame(e, frame));
  }

  async getPackets(id: CaptureId, start: number, count: number) {
    const e = this.id(id);
    return this.views.with(e, () => this.engine.getPackets(e, start, count));
  }

  async getPacketDetail(id: CaptureId, frame: number) {
    return this.engine.getPacketDetail(this.id(id), frame);
  }

  async getConnections(id: CaptureId) {
    return this.engine.getConnections(this.id(id));
  }

  async getConnection(id: CaptureId, connection: number) {
    return this.engine.getConnection(this.id(id), connection);
  }

  async follow(id: CaptureId, connection: number) {
    return this.engine.follow(this.id(id), connection);
  }

  async getCredentials(id: CaptureId) {
    return this.engine.getCredentials(this.id(id));
  }

  async getAttachment(id: CaptureId, connection: number, message: number, attachment: number) {
    return this.engine.getAttachment(this.id(id), connection, message, attachment);
  }

  async getTransfer(id: CaptureId, connection: number) {
    return this.engine.getTransfer(this.id(id), connection);
  }

  async getStatistics(id: CaptureId) {
    return this.engine.getStatistics(this.id(id));
  }

  async getIoGraph(id: CaptureId, interval: number, filters: string[]) {
    return this.engine.getIoGraph(this.id(id), interval, filters);
  }

  async getTcpStreamGraph(id: CaptureId, connection: number, direction: 'client' | 'server') {
    return this.engine.getTcpStreamGraph(this.id(id), connection, direction);
  }

  async getExpertInfo(id: CaptureId) {
    return this.engine.getExpertInfo(this.id(id));
  }

  async listExportObjects(id: CaptureId) {
    return this.engine.listExportObjects(this.id(id));
  }

  async getExportObject(id: CaptureId, index: number) {
    return this.engine.getExportObject(this.id(id), index);
  }

  /** "Displayed" means this page's display filter: its view is swapped in to choose the frames. */
  async exportPackets(id: CaptureId, selection: PacketSelection, format: 'pcap' | 'pcapng') {
    const e = this.id(id);
    const frames = this.views.with(e, (s) => this.engine.selectionOf(s, selection));
    return this.engine.exportFrames(e, frames, format);
  }

  async mergeCaptures(ids: CaptureId[]) {
    const own = ids.map((x) => this.id(x));
    return this.opened(() => this.engine.mergeCaptures(own));
  }

  async setMarked(id: CaptureId, frames: number[], marked: boolean) {
    return this.engine.setMarked(this.id(id), frames, marked);
  }

  async setTimeReference(id: CaptureId, frame: number, on: boolean) {
    return this.engine.setTimeReference(this.id(id), frame, on);
  }
  async setPacketComment(id: CaptureId, frame: number, comment: string) {
    return this.engine.setPacketComment(this.id(id), frame, comment);
  }

  async getPacketComments(id: CaptureId) {
    return this.engine.getPacketComments(this.id(id));
  }

  async listInterfaces() {
    if (!this.policy.allowCapture) throw new Error(CAPTURE_RESERVED);
    return this.engine.listInterfaces();
  }

  async startCapture(options: LiveCaptureOptions): Promise<CaptureInfo> {
    if (!this.policy.allowCapture) throw new Error(CAPTURE_RESERVED);
    return this.opened(() => this.engine.startCapture(options));
  }

  async stopCapture(id: CaptureId): Promise<LoadStatus> {
    if (!this.policy.allowCapture) throw new Error(CAPTURE_RESERVED);
    const e = this.id(id);
    return this.status(e, await this.engine.stopCapture(e));
  }

  /** `wirelens lab`'s engine answers these (electron/lab/lab-engine.ts); any other engine runs no lab. */
  async getLab() {
    return (await (this.engine as Partial<EngineApi>).getLab?.()) ?? null;
  }

  async getLabMessage(uid: string) {
    const get = (this.engine as Partial<EngineApi>).getLabMessage;
    if (!get) throw new Error('no lab runs here: start one with `wirelens lab`');
    return get.call(this.engine, uid);
  }
}
