/**
 * HTTP/1.x (RFC 9112): requests and responses paired in order (keep-alive and pipelining), bodies
 * framed by Content-Length, chunked encoding (with trailers) or the end of the connection; HEAD, 1xx,
 * 204 and 304 without body; CONNECT and Upgrade (101) switch the rest to raw data; Basic
 * authorization decoded. Bodies are counted and hashed; their first bytes are kept.
 */
import type { Direction, StreamChunk, StreamGap } from '../../tcp/types';
import { chunkFrames, spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { decodeBase64, utf8 } from '../../model/bytes-text';
import { printable } from '../output';
import type { LadderEvent, LaterHash } from '../types';
import type { StreamLine } from '../stream-buffer';
import { explainStatus, HTTP_METHODS, HTTP_NOTES, unknownMethodNote } from './explain';
import { endsWithBareLf, HTTP_BARE_LF_NOTE } from '../line-endings';
import { httpStatusOutcome } from '../reply-outcome';
import { decodedBodyCap } from '../../limits';

const MAX_HEADERS = 200;
/** Method, target (which lenient servers accept with spaces) and an optional version (none: HTTP/0.9). */
const REQUEST_LINE = /^[A-Za-z][A-Za-z-]{0,19} +\S.*$/;
const STATUS_LINE = /^(HTTP\/\d\.\d)\s+(\d{1,3})\S*(?:\s+(.*))?$/;
/** Where HTTP starts again after bytes that were not HTTP: only a whole request or status line (as tshark resynchronises on a method). */
const STRICT_REQUEST_LINE = /^[A-Z][A-Z-]{1,19} \S+ HTTP\/\d\.\d$/;
const STRICT_STATUS_LINE = /^HTTP\/\d\.\d \d{3}(?: .*)?$/;
/** Bytes read line by line looking for HTTP again before the rest of the direction is given up as raw data. */
const MAX_SKIPPED = 64 * 1024;

function splitRequestLine(line: string): { method: string; uri: string; version: string } {
  // As tshark and most servers read it: the target is the second token; a last token HTTP/x.y is
  // the version (none: HTTP/0.9). Extra words between them are kept out of the URI.
  const parts = line.trim().split(/ +/);
  const method = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const version = parts.length > 2 && /^HTTP\/\d\.\d$/i.test(last) ? last : '';
  return { method, uri: parts[1] ?? '', version };
}
/** Body bytes kept per message in flight: enough to decode a compressed body and show its start. */
const KEEP_BODY = 4 * 1024 * 1024;
/** Bytes kept of a body that is not compressed: the start shown in the ladder. */
const SHOWN_BODY = 4096;
/** Body bytes kept when payloads are kept (a replay for Export Objects): larger bodies are not exported. */
export const KEEP_PAYLOAD_BODY = 64 * 1024 * 1024;

export interface DecodedBody {
  encoding: string;
  bytes: number;
  sha256: string;
  /** Decoded bytes (only when payloads are kept). */
  content?: Uint8Array;
}

export interface HttpExchange {
  request: { frame: number; method: string; uri: string; version: string; host: string | null; headers: Array<[string, string]>; bodyBytes: number; bodySha256: string | null; content?: Uint8Array } | null;
  response: { frame: number; status: number; reason: string; version: string; contentType: string | null; contentEncoding: string | null; headers: Array<[string, string]>; bodyBytes: number; bodySha256: string | null; decoded: DecodedBody | null; content?: Uint8Array } | null;
}

type Phase =
  | { k: 'head' }
  | { k: 'length'; left: number }
  | { k: 'chunk-size' }
  | { k: 'chunk-data'; left: number }
  | { k: 'chunk-crlf' }
  | { k: 'trailer' }
  | { k: 'close' }
  | { k: 'raw' };

interface Message {
  start: StreamLine;
  firstLine: string;
  headers: Array<[string, string]>;
  frames: number[];
  bodyBytes: number;
  hash: LaterHash | null;
  kept: Uint8Array[];
  keptBytes: number;
  /** How many body bytes to keep (set at the first body bytes). */
  keepLimit?: number;
}

export function createHttpHandler(host: HandlerHost, keepPayloads = false): ProtocolHandler {
  const { out, bufs, ctx } = host;
  const exchanges: HttpExchange[] = [];
  out.summary.http = { exchanges };
  const phase: Record<Direction, Phase> = { client: { k: 'head' }, server: { k: 'head' } };
  const msg: Record<Direction, Message | null> = { client: null, server: null };
  /** Requests waiting for their response, in order. */
  const waiting: HttpExchange[] = [];
  let stopped: Record<Direction, boolean> = { client: false, server: false };
  /** Bytes after a line that is not HTTP: one data event that grows until the next whole request/status line. */
  const skipped: Record<Direction, { bytes: number; event: LadderEvent | null } | null> = { client: null, server: null };

  /** The Content-Encoding this dissector decodes, if the message has one. */
  function codecOf(m: Message): 'gzip' | 'deflate' | 'br' | null {
    const encoding = (headerOf(m, 'Content-Encoding') ?? '').trim().toLowerCase();
    return encoding === 'gzip' || encoding === 'x-gzip' ? 'gzip' : encoding === 'deflate' ? 'deflate' : encoding === 'br' ? 'br' : null;
  }

  function headerOf(m: Message, name: string): string | null {
    const lower = name.toLowerCase();
    return m.headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null;
  }

  function startBody(dir: Direction, m: Message, ex: HttpExchange | null, status = 0): void {
    const te = (headerOf(m, 'Transfer-Encoding') ?? '').toLowerCase();
    const cl = headerOf(m, 'Content-Length');
    if (dir === 'server') {
      const method = ex?.request?.method ?? '';
      if (method === 'CONNECT' && status >= 200 && status < 300 && host.tunnel) {
        // The proxy connected: the rest is the tunnelled connection (usually TLS), read as such.
        finish(dir);
        phase.client = { k: 'raw' };
        phase.server = { k: 'raw' };
        tunnelled = true;
        host.tunnel('connect');
        return;
      }
      if (status === 101 || (method === 'CONNECT' && status >= 200 && status < 300)) {
        finish(dir);
        phase.client = { k: 'raw' };
        phase.server = { k: 'raw' };
        return;
      }
      if (method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return finish(dir);
    }
    if (te.includes('chunked')) {
      phase[dir] = { k: 'chunk-size' };
      return;
    }
    if (cl !== null) {
      const n = Number(cl.trim());
      if (!Number.isSafeInteger(n) || n < 0) {
        out.diag('http.content_length.invalid', 'warn', `Content-Length ${printable(cl, 30)} is not a number`, m.start.frames[0]);
        return finish(dir);
      }
      if (n === 0) return finish(dir);
      phase[dir] = { k: 'length', left: n };
      return;
    }
    if (dir === 'server') phase[dir] = { k: 'close' };
    else finish(dir);
  }

  function body(dir: Direction, bytes: Uint8Array, frames: number[]): void {
    const m = msg[dir];
    if (!m) return;
    m.bodyBytes += bytes.length;
    m.hash ??= ctx.laterSha256();
    m.hash.update(bytes);
    for (const f of frames) if (m.frames[m.frames.length - 1] !== f && m.frames.length < 100000) m.frames.push(f);
    // A compressed body is kept whole (up to KEEP_BODY) to be decoded; of any other, only its start is shown.
    const keep = (m.keepLimit ??= keepPayloads ? KEEP_PAYLOAD_BODY : codecOf(m) ? KEEP_BODY : SHOWN_BODY);
    if (m.keptBytes < keep) {
      const part = bytes.slice(0, keep - m.keptBytes);
      m.kept.push(part);
      m.keptBytes += part.length;
    }
  }

  /** The current request's line ended with LF only (typed with nc without -C). */
  let requestBareLf = false;

  /** Notes on a request typed by hand: a bare LF (accepted by most servers), a mistyped method. */
  function requestLineNotes(method: string, bareLf: boolean, frame: number | undefined): string[] {
    const notes: string[] = [];
    if (bareLf) {
      notes.push(`! ${HTTP_BARE_LF_NOTE}`);
      out.diag('http.request.bare_lf', 'note', HTTP_BARE_LF_NOTE, frame);
    }
    const unknown = unknownMethodNote(method);
    if (unknown) {
      notes.push(`! ${unknown}`);
      out.diag('http.request.method_unknown', 'warn', unknown, frame);
    }
    return notes;
  }

  function onHeadLine(dir: Direction, line: StreamLine): void {
    const m = msg[dir];
    if (!m) {
      const run = skipped[dir];
      if (run && !(dir === 'client' ? STRICT_REQUEST_LINE : STRICT_STATUS_LINE).test(line.text)) {
        // Still not HTTP: part of the run of bytes shown as data, until a whole request/status line.
        run.bytes += lineBytes(line);
        if (run.event) {
          run.event.label = `${run.bytes} bytes of non-HTTP data`;
          for (const f of line.frames) if (!run.event.frames.includes(f) && run.event.frames.length < 1000) run.event.frames.push(f);
        }
        if (run.bytes > MAX_SKIPPED) {
          skipped[dir] = null;
          stopped = { ...stopped, [dir]: true };
        }
        return;
      }
      skipped[dir] = null;
      if (line.text === '') return; // stray CRLF between messages
      const ok = dir === 'client' ? REQUEST_LINE.test(line.text) : STATUS_LINE.test(line.text);
      if (!ok) {
        out.diag('http.start_line.invalid', 'warn', `not an HTTP ${dir === 'client' ? 'request' : 'status'} line: ${printable(line.text, 80)}; what follows is shown as data until the next ${dir === 'client' ? 'request' : 'status'} line`, line.frames[0]);
        const bytes = lineBytes(line);
        skipped[dir] = { bytes, event: out.event(dir, 'data', spanOf(line), `${bytes} bytes of non-HTTP data`, HTTP_NOTES.notHttp) };
        return;
      }
      if (dir === 'client') requestBareLf = endsWithBareLf(line);
      msg[dir] = { start: line, firstLine: line.text, headers: [], frames: [...line.frames], bodyBytes: 0, hash: null, kept: [], keptBytes: 0 };
      return;
    }
    for (const f of line.frames) if (m.frames[m.frames.length - 1] !== f) m.frames.push(f);
    if (line.text !== '') {
      const colon = line.text.indexOf(':');
      if (colon > 0 && m.headers.length < MAX_HEADERS) m.headers.push([line.text.slice(0, colon).trim(), line.text.slice(colon + 1).trim()]);
      return;
    }
    // End of the header section.
    if (dir === 'client') {
      const { method, uri, version } = splitRequestLine(m.firstLine);
      const ex: HttpExchange = { request: { frame: m.start.frames[0] ?? 0, method, uri, version, host: headerOf(m, 'Host'), headers: m.headers, bodyBytes: 0, bodySha256: null }, response: null };
      if (exchanges.length < 100000) exchanges.push(ex);
      waiting.push(ex);
      const auth = headerOf(m, 'Authorization');
      const lines = m.headers.slice(0, 40).map(([n, v]) => `${n}: ${printable(v, 200)}`);
      if (auth && /^basic\s/i.test(auth)) {
        const raw = decodeBase64(auth.replace(/^basic\s+/i, ''));
        if (raw) {
          const text = utf8(raw);
          const colon = text.indexOf(':');
          out.credential({ frame: m.start.frames[0] ?? 0, mechanism: 'Basic', username: colon < 0 ? text : text.slice(0, colon), password: colon < 0 ? null : text.slice(colon + 1) });
          lines.unshift(`Authorization: Basic → “${printable(text, 100)}” (${HTTP_NOTES.basic})`);
        }
      }
      lines.push(...requestLineNotes(method, requestBareLf, m.start.frames[0]));
      out.event('client', 'command', { frames: m.frames, time: m.start.time }, `${method} ${printable(uri, 100)}`, HTTP_METHODS[method] ?? HTTP_NOTES.request, {
        fields: { 'http.request.method': method, 'http.request.uri': uri, 'http.request.version': version ?? '' },
        lines,
      });
      startBody(dir, m, ex);
    } else {
      const mm = STATUS_LINE.exec(m.firstLine)!;
      const status = Number(mm[2]);
      const interim = status >= 100 && status < 200 && status !== 101;
      const ex = (interim ? waiting[0] : waiting.shift()) ?? null;
      const response = { frame: m.start.frames[0] ?? 0, status, reason: mm[3] ?? '', version: mm[1], contentType: headerOf(m, 'Content-Type'), contentEncoding: headerOf(m, 'Content-Encoding'), headers: m.headers, bodyBytes: 0, bodySha256: null, decoded: null as DecodedBody | null };
      let owner = ex;
      if (ex && !interim) ex.response = response;
      else if (!ex) {
        // A response with no request in the capture (it started mid-connection).
        owner = { request: null, response };
        if (exchanges.length < 100000) exchanges.push(owner);
      }
      const statusEvent = out.event('server', 'reply', { frames: m.frames, time: m.start.time }, `${status} ${printable(mm[3] ?? '', 60)}${response.contentType ? ` (${printable(response.contentType, 40)})` : ''}`, ex?.request?.method === 'CONNECT' && status >= 200 && status < 300 ? connectedNote(ex.request.uri) : explainStatus(status), {
        fields: { 'http.response.code': status },
        lines: m.headers.slice(0, 40).map(([n, v]) => `${n}: ${printable(v, 200)}`),
      });
      const outcome = httpStatusOutcome(status);
      if (statusEvent && outcome) statusEvent.outcome = outcome;
      (m as Message & { exchange?: HttpExchange | null }).exchange = interim ? null : owner;
      startBody(dir, m, ex, status);
    }
  }

  function finish(dir: Direction): void {
    const m = msg[dir] as (Message & { exchange?: HttpExchange | null }) | null;
    msg[dir] = null;
    phase[dir] = phase[dir].k === 'raw' ? phase[dir] : { k: 'head' };
    if (!m || m.bodyBytes === 0) return;
    // The exchange's request or response this body belongs to (its sha256 is filled in below).
    const owner = dir === 'client' ? waiting[waiting.length - 1]?.request : m.exchange?.response;
    if (owner) owner.bodyBytes = m.bodyBytes;
    const kept = new Uint8Array(m.keptBytes);
    let o = 0;
    for (const p of m.kept) {
      kept.set(p, o);
      o += p.length;
    }
    if (owner && keepPayloads && m.keptBytes === m.bodyBytes) owner.content = kept;
    let shown: Uint8Array = kept;
    let label = `body ${m.bodyBytes} bytes`;
    let explain: string = HTTP_NOTES.body;
    const codec = codecOf(m);
    if (codec && ctx.decompress) {
      const res = m.keptBytes === m.bodyBytes ? ctx.decompress(codec, kept, decodedBodyCap(kept.length)) : { error: `only the first ${m.keptBytes} bytes were kept` };
      if (res && 'bytes' in res) {
        const decoded: DecodedBody = { encoding: codec, bytes: res.bytes.length, sha256: ctx.sha256(res.bytes) };
        if (keepPayloads) decoded.content = res.bytes;
        if (m.exchange?.response && dir === 'server') m.exchange.response.decoded = decoded;
        shown = res.bytes;
        label += ` (${codec}) → ${res.bytes.length} bytes decoded`;
        explain = `${HTTP_NOTES.body} ${HTTP_NOTES.compressed}`;
      } else if (res) out.diag('http.body.undecodable', 'note', `${codec} body not decoded: ${res.error}`, m.start.frames[0]);
    }
    const textual = shown.subarray(0, 512).every((c) => c === 9 || c === 10 || c === 13 || c >= 0x20);
    const shaLines = textual ? null : ['sha256 (being computed)'];
    out.event(dir, 'data', { frames: m.frames.slice(1).length ? m.frames.slice(1) : m.frames, time: m.start.time }, label, explain, {
      fields: { 'http.content_length': m.bodyBytes },
      lines: shaLines ?? utf8(shown.subarray(0, 2048)).split(/\r?\n/).slice(0, 30).map((l) => printable(l, 200)),
    });
    m.hash?.digest((sha) => {
      if (owner) owner.bodySha256 = sha;
      if (shaLines) shaLines[0] = `sha256 ${sha}`;
    });
  }

  /** A CONNECT succeeded: the tunnel's handler reads the rest of both directions. */
  let tunnelled = false;

  function pumpDir(dir: Direction, final: boolean): void {
    const b = bufs[dir];
    for (;;) {
      if (tunnelled) return;
      const p = phase[dir];
      if (stopped[dir] || p.k === 'raw') {
        const rest = b.takeAll();
        if (rest) out.event(dir, 'data', spanOf(rest), `${rest.bytes.length} bytes of ${p.k === 'raw' ? 'tunnelled/upgraded' : 'non-HTTP'} data`, p.k === 'raw' ? HTTP_NOTES.raw : HTTP_NOTES.notHttp);
        return;
      }
      if (p.k === 'head' || p.k === 'chunk-size' || p.k === 'chunk-crlf' || p.k === 'trailer') {
        const line = b.nextLine(final);
        if (!line) {
          if (final && msg[dir]) finish(dir);
          return;
        }
        if (p.k === 'head') onHeadLine(dir, line);
        else if (p.k === 'chunk-size') {
          const size = parseInt(line.text.split(';')[0].trim(), 16);
          if (!Number.isSafeInteger(size) || size < 0 || !/^[0-9a-fA-F]+/.test(line.text.trim())) {
            out.diag('http.chunk.size_invalid', 'warn', `chunk size ${printable(line.text, 30)} is not hexadecimal`, line.frames[0]);
            stopped = { ...stopped, [dir]: true };
          } else phase[dir] = size === 0 ? { k: 'trailer' } : { k: 'chunk-data', left: size };
        } else if (p.k === 'chunk-crlf') phase[dir] = { k: 'chunk-size' };
        else if (line.text === '') finish(dir);
        else {
          const m = msg[dir];
          const colon = line.text.indexOf(':');
          if (m && colon > 0 && m.headers.length < MAX_HEADERS) m.headers.push([line.text.slice(0, colon).trim(), line.text.slice(colon + 1).trim()]);
        }
        continue;
      }
      if (p.k === 'length' || p.k === 'chunk-data') {
        const block = b.take(Math.min(p.left, Math.max(b.available, 1)), final);
        if (!block || block.bytes.length === 0) {
          if (final && msg[dir]) {
            out.diag('http.body.truncated', 'note', `the ${dir} stream ends ${p.left} bytes before the end of the body`, msg[dir]!.start.frames[0]);
            finish(dir);
          }
          return;
        }
        body(dir, block.bytes, block.frames);
        p.left -= block.bytes.length;
        if (p.left === 0) {
          if (p.k === 'length') finish(dir);
          else phase[dir] = { k: 'chunk-crlf' };
        }
        continue;
      }
      // close-delimited body: everything until the end of the connection
      const block = b.takeAll();
      if (block) body(dir, block.bytes, block.frames);
      if (final) finish(dir);
      return;
    }
  }

  return {
    pump: pumpDir,
    bulk(dir: Direction, chunk: StreamChunk): number {
      // A body of known length (or a chunk's data) arriving whole segments at a time: as pumpDir's
      // 'length'/'chunk-data' step, without buffering.
      const p = phase[dir];
      if (stopped[dir] || (p.k !== 'length' && p.k !== 'chunk-data') || p.left <= 0) return 0;
      const n = Math.min(p.left, chunk.bytes.length);
      body(dir, n === chunk.bytes.length ? chunk.bytes : chunk.bytes.subarray(0, n), chunkFrames(chunk, n));
      p.left -= n;
      if (p.left === 0) {
        if (p.k === 'length') finish(dir);
        else phase[dir] = { k: 'chunk-crlf' };
      }
      return n;
    },
    gap(gap: StreamGap) {
      const p = phase[gap.dir];
      if (p.k === 'length' || p.k === 'chunk-data') {
        const skip = Math.min(p.left, gap.length);
        p.left -= skip;
        if (p.left === 0) {
          if (p.k === 'length') finish(gap.dir);
          else phase[gap.dir] = { k: 'chunk-crlf' };
        }
        if (gap.length > skip) stopped = { ...stopped, [gap.dir]: true };
      } else if (p.k !== 'close') {
        msg[gap.dir] = null;
        phase[gap.dir] = { k: 'head' };
      }
    },
    end() {
      for (const dir of ['client', 'server'] as const) if (msg[dir]) finish(dir);
    },
  };
}

/** The explanation of a proxy's 2xx to CONNECT: what the rest of the connection is. */
function connectedNote(target: string): string {
  return `The proxy connected to ${printable(target, 100)}: from here this connection is a tunnel. The proxy relays the bytes unchanged, so what follows is the client's own connection to that server (here read as what it is, usually TLS: its hellos and the name it asks for are visible, the rest is encrypted).`;
}

/** A line's bytes on the wire, its terminator included. */
function lineBytes(line: StreamLine): number {
  return line.length + (line.terminator === 'CRLF' ? 2 : line.terminator === 'LF' ? 1 : 0);
}
