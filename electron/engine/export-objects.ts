/**
 * Export Objects (Wireshark's File › Export Objects): the files the traffic carried — HTTP bodies
 * (de-chunked, decoded when Content-Encoding says so, as `tshark --export-objects http` saves them),
 * mail messages as .eml with their attachments (SMTP sent, POP3 retrieved), FTP-DATA files. The list
 * comes from the first pass (sizes, sha256); an object's bytes from a replay of its connection.
 */
import { createHash } from 'node:crypto';
import type { ExportObjectInfo } from '../../api/engine-api';
import type { HttpExchange } from '../../dissectors/app/http/http';
import type { MailMessage } from '../../dissectors/app/mail/message';
import type { FtpSummary } from '../../dissectors/app/ftp/ftp';
import type { AppResult } from '../../dissectors/app/types';
import type { CaptureSession } from './capture-session';
import { replayDissection, replayStreams } from './connection-replay';
import { safeFilename, UniqueNames } from './safe-filename';

/** Largest object handed over in one piece. */
export const MAX_OBJECT_BYTES = 256 * 1024 * 1024;

/** Where an object is found again in its connection's replay. */
type Locator =
  | { kind: 'http'; exchange: number; part: 'request' | 'response' }
  | { kind: 'mail'; source: 'smtp' | 'pop3'; message: number; attachment: number | null }
  | { kind: 'ftp-data' };

interface Listed {
  info: ExportObjectInfo;
  at: Locator;
}

const cache = new WeakMap<CaptureSession, Listed[]>();

const exchangesOf = (app: AppResult | null | undefined) =>
  (app?.summary.http as { exchanges?: HttpExchange[] } | undefined)?.exchanges ?? [];
const mailOf = (
  app: AppResult | null | undefined,
): Array<{ source: 'smtp' | 'pop3'; messages: MailMessage[] }> => [
  {
    source: 'smtp',
    messages: (app?.summary.smtp as { messages?: MailMessage[] } | undefined)?.messages ?? [],
  },
  {
    source: 'pop3',
    messages: (app?.summary.pop3 as { retrieved?: MailMessage[] } | undefined)?.retrieved ?? [],
  },
];

/** The last part of a URI's path (no query): what a browser would save it as. */
function uriName(uri: string): string {
  const path = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  let last = path.slice(path.lastIndexOf('/') + 1);
  try {
    last = decodeURIComponent(last);
  } catch {
    /* keep it encoded */
  }
  return last;
}

const header = (headers: Array<[string, string]>, name: string) =>
  headers.find(([n]) => n.toLowerCase() === name)?.[1]?.trim() ?? null;

/**
 * A body saved as tshark saves one: whole (not shorter than its Content-Length: the capture missed
 * bytes) and readable (a Content-Encoding that could not be undone is not exported).
 */
function exportable(headers: Array<[string, string]>, bodyBytes: number, decoded: boolean): boolean {
  const length = Number(header(headers, 'content-length') ?? NaN);
  if (Number.isFinite(length) && bodyBytes < length) return false;
  const encoding = (header(headers, 'content-encoding') ?? 'identity').toLowerCase();
  return encoding === 'identity' || decoded;
}

/** The file names FTP commands gave each data connection (RETR/STOR/APPE: the file; LIST/NLST/MLSD: a listing). */
function ftpNames(s: CaptureSession): Map<number, string> {
  const names = new Map<number, string>();
  for (const app of s.loaded!.output.apps) {
    for (const t of (app?.summary.ftp as FtpSummary | undefined)?.transfers ?? []) {
      if (t.dataConnection === null || names.has(t.dataConnection)) continue;
      const verb = t.command.toUpperCase();
      names.set(
        t.dataConnection,
        /^(LIST|NLST|MLSD)$/.test(verb)
          ? `${verb.toLowerCase()}-listing.txt`
          : t.argument.slice(t.argument.lastIndexOf('/') + 1),
      );
    }
  }
  return names;
}

/** Every object of a loaded capture, in frame order. */
export function listObjects(s: CaptureSession): Listed[] {
  const known = cache.get(s);
  if (known) return known;
  if (!s.loaded) throw new Error('capture still loading');
  const out = s.loaded.output;
  const found: Array<
    Omit<ExportObjectInfo, 'index' | 'filename'> & { name: string; fallback: string; at: Locator }
  > = [];
  out.apps.forEach((app, connection) => {
    exchangesOf(app).forEach((x, exchange) => {
      const host = x.request?.host ?? '';
      const name = uriName(x.request?.uri ?? '');
      const req = x.request;
      if (req && req.bodyBytes > 0 && req.bodySha256 && exportable(req.headers, req.bodyBytes, false)) {
        const type = header(req.headers, 'content-type') ?? '';
        found.push({
          protocol: 'http',
          frame: req.frame,
          connection,
          host,
          contentType: type,
          size: req.bodyBytes,
          sha256: req.bodySha256,
          name,
          fallback: `request-${req.frame}`,
          at: { kind: 'http', exchange, part: 'request' },
        });
      }
      const res = x.response;
      if (
        res &&
        res.bodyBytes > 0 &&
        res.bodySha256 &&
        exportable(res.headers, res.bodyBytes, !!res.decoded)
      ) {
        const size = res.decoded?.bytes ?? res.bodyBytes;
        const sha256 = res.decoded?.sha256 ?? res.bodySha256;
        found.push({
          protocol: 'http',
          frame: res.frame,
          connection,
          host,
          contentType: res.contentType ?? '',
          size,
          sha256,
          name,
          fallback: `object-${res.frame}`,
          at: { kind: 'http', exchange, part: 'response' },
        });
      }
    });
    for (const { source, messages } of mailOf(app)) {
      messages.forEach((m, message) => {
        const host = m.headers.from ?? m.envelope?.mailFrom ?? '';
        found.push({
          protocol: 'imf',
          frame: m.endFrame,
          connection,
          host,
          contentType: 'message/rfc822',
          size: m.size,
          sha256: m.sha256,
          name: `${m.headers.subject ?? ''}.eml`,
          fallback: `message-${m.frame}.eml`,
          at: { kind: 'mail', source, message, attachment: null },
        });
        m.mime?.attachments.forEach((a, attachment) => {
          if (a.size > 0)
            found.push({
              protocol: 'imf',
              frame: m.endFrame,
              connection,
              host,
              contentType: a.mimeType,
              size: a.size,
              sha256: a.sha256,
              name: a.filename ?? '',
              fallback: `attachment-${m.frame}-${attachment + 1}`,
              at: { kind: 'mail', source, message, attachment },
            });
        });
      });
    }
  });
  const names = ftpNames(s);
  s.protocols.forEach((p, connection) => {
    if (p !== 'ftp-data') return;
    const r = s.connection(connection);
    const dir = r.streams.server.bytes >= r.streams.client.bytes ? 'server' : 'client';
    const st = r.streams[dir];
    if (st.bytes === 0) return;
    const m = out.models[connection];
    found.push({
      protocol: 'ftp-data',
      frame: m?.firstFrame ?? 0,
      connection,
      host: r.server,
      contentType: 'application/octet-stream',
      size: st.bytes,
      sha256: st.sha256,
      name: names.get(connection) ?? '',
      fallback: `ftp-data-${connection}.bin`,
      at: { kind: 'ftp-data' },
    });
  });
  found.sort((a, b) => a.frame - b.frame);
  const unique = new UniqueNames();
  const listed = found.map(({ name, fallback, at, ...rest }, index) => ({
    info: { ...rest, index, filename: unique.take(safeFilename(name, fallback)) },
    at,
  }));
  cache.set(s, listed);
  return listed;
}

/** One object's bytes (replays its connection). */
export async function objectBytes(
  s: CaptureSession,
  index: number,
): Promise<{ info: ExportObjectInfo; bytes: Uint8Array }> {
  const o = listObjects(s)[index];
  if (!o || !Number.isInteger(index)) throw new Error(`no object ${index}`);
  const { info, at } = o;
  if (info.size > MAX_OBJECT_BYTES)
    throw new Error(
      `${info.filename} has ${info.size} bytes, more than the ${MAX_OBJECT_BYTES / 1024 / 1024} MiB one object may have here`,
    );
  let bytes: Uint8Array | undefined;
  if (at.kind === 'ftp-data') {
    const { items } = replayStreams(s, info.connection, MAX_OBJECT_BYTES);
    const r = s.connection(info.connection);
    const dir = r.streams.server.bytes >= r.streams.client.bytes ? 'server' : 'client';
    bytes = Buffer.concat(
      items.flatMap((it) => ('chunk' in it && it.chunk.dir === dir ? [it.chunk.bytes] : [])),
    );
  } else {
    const app = (await replayDissection(s, info.connection, s.decodeAs)).apps[0];
    if (at.kind === 'http') {
      const part = exchangesOf(app)[at.exchange]?.[at.part];
      bytes = part && 'decoded' in part ? (part.decoded?.content ?? part.content) : part?.content;
    } else {
      const m = mailOf(app).find((x) => x.source === at.source)?.messages[at.message];
      bytes =
        at.attachment === null
          ? m?.rawPieces
            ? Buffer.concat(m.rawPieces)
            : undefined
          : m?.mime?.attachments[at.attachment]?.content;
    }
  }
  if (!bytes)
    throw new Error(
      `${info.filename}: its bytes were not all captured, or it is larger than Wirelens keeps (64 MiB), so it cannot be saved`,
    );
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== info.sha256)
    throw new Error(
      `${info.filename}: the bytes read again differ from the first pass's (sha256 ${sha256} ≠ ${info.sha256}); not saved`,
    );
  return { info, bytes };
}
