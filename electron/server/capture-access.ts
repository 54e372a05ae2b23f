/**
 * Which browser client may see which capture. Captures the server itself opened (the FILE argument,
 * `--live`, anything the engine opens outside a page's request) are shared by every page. A capture
 * a page opened (upload, Decode As, a server-side path, a live capture it started) belongs to that
 * page's browser alone (every tab of it, after a reload too: the browser is known by a random
 * HttpOnly cookie), unless the server was started with `--share`. The page knows such a capture by
 * an unguessable id (`u` + 128 random bits), which also names it in GET /download/ID.
 */
import { randomBytes } from 'node:crypto';
import type { CaptureInfo, EngineEvent, LoadStatus } from '../../api/engine-api';

/** One connected page, as the access table sees it. */
export interface AccessClient {
  /** The browser the page runs in (its private captures are that browser's). */
  readonly browser: string;
  deliver(event: EngineEvent, engineId: string | null): void;
}

export class CaptureAccess {
  /** Engine id → owning client and the id that client knows it by. */
  private readonly owned = new Map<string, { owner: string; alias: string; name: string }>();
  private readonly aliases = new Map<string, string>();
  private readonly clients = new Set<AccessClient>();
  /** Open requests of pages under way, and the 'opened' events that arrived meanwhile (not yet known whose). */
  private opening = 0;
  private readonly held = new Map<string, EngineEvent>();

  /** Captures each browser opened (its own, or shared ones with --share): at most maxPerBrowser. */
  private readonly openedBy = new Map<string, number>();

  constructor(
    private readonly share: boolean,
    private readonly maxPerBrowser: number,
  ) {}

  add(client: AccessClient): void {
    this.clients.add(client);
  }

  remove(client: AccessClient): void {
    this.clients.delete(client);
  }

  /** The id `client` knows engine capture `engineId` by, or null when it may not see it. */
  toClient(engineId: string, client: AccessClient): string | null {
    if (this.held.has(engineId)) return null;
    const o = this.owned.get(engineId);
    if (!o) return engineId;
    return o.owner === client.browser ? o.alias : null;
  }

  /** The engine id behind a capture id a client sent; throws the engine's own "no open capture" otherwise. */
  fromClient(id: unknown, client: AccessClient): string {
    const s = String(id);
    const aliased = this.aliases.get(s);
    const engineId = aliased ?? s;
    if (this.toClient(engineId, client) !== s) throw new Error(`no open capture '${s}'`);
    return engineId;
  }

  /** The engine id a GET /download/ID names: a shared capture's id or a page's private id (a capability). */
  forDownload(id: string): string | null {
    const aliased = this.aliases.get(id);
    if (aliased) return aliased;
    return this.owned.has(id) || this.held.has(id) ? null : id;
  }

  /** Runs an engine call that opens a capture for `client`, and makes the capture that client's. */
  async claimOpen(client: AccessClient, open: () => Promise<CaptureInfo>): Promise<CaptureInfo> {
    const count = this.openedBy.get(client.browser) ?? 0;
    if (count >= this.maxPerBrowser)
      throw new Error(
        `this browser has opened ${count} captures on this server, the most it may: ask the person running \`wirelens serve\` to restart it, or open the file with \`wirelens serve FILE\``,
      );
    this.openedBy.set(client.browser, count + 1);
    this.opening++;
    try {
      const info = await open();
      return { ...info, id: this.claim(info, client) };
    } catch (e) {
      this.openedBy.set(client.browser, (this.openedBy.get(client.browser) ?? 1) - 1);
      throw e;
    } finally {
      this.opening--;
      if (this.opening === 0) for (const id of [...this.held.keys()]) this.release(id, null);
    }
  }

  private claim(info: CaptureInfo, client: AccessClient): string {
    const engineId = info.id;
    if (this.share) {
      this.release(engineId, null);
      return engineId;
    }
    const alias = `u${randomBytes(16).toString('hex')}`;
    this.owned.set(engineId, { owner: client.browser, alias, name: info.name });
    this.aliases.set(alias, engineId);
    this.release(engineId, client.browser);
    return alias;
  }

  /** Delivers a held 'opened' event: to its owner, or to everyone when shared. */
  private release(engineId: string, owner: string | null): void {
    const e = this.held.get(engineId);
    this.held.delete(engineId);
    if (!e) return;
    for (const c of this.clients) if (owner === null || c.browser === owner) this.routeTo(c, e, engineId);
  }

  /** An engine event, to every client allowed to see it (ids translated). */
  route(e: EngineEvent): void {
    const engineId = e.type === 'opened' ? e.capture.id : e.type === 'status' ? e.status.id : null;
    if (e.type === 'opened' && this.opening > 0 && !this.owned.has(e.capture.id)) {
      this.held.set(e.capture.id, e);
      return;
    }
    for (const c of this.clients) this.routeTo(c, e, engineId);
  }

  private routeTo(c: AccessClient, e: EngineEvent, engineId: string | null): void {
    if (engineId === null) {
      if (e.type === 'error' && this.hidesError(e.message, c)) return;
      c.deliver(e, null);
      return;
    }
    const id = this.toClient(engineId, c);
    if (id === null) return;
    if (e.type === 'opened')
      c.deliver({ ...e, capture: { ...e.capture, id }, status: e.status && { ...e.status, id } }, engineId);
    else if (e.type === 'status') c.deliver({ ...e, status: { ...e.status, id } as LoadStatus }, engineId);
  }

  /** Engine errors name the capture ("NAME: why"): another page's private capture's errors stay with that page. */
  private hidesError(message: string, c: AccessClient): boolean {
    const named = (o: { name: string }) => message.startsWith(`${o.name}: `);
    let others = false;
    for (const o of this.owned.values()) {
      if (!named(o)) continue;
      if (o.owner === c.browser) return false;
      others = true;
    }
    return others;
  }
}
