/**
 * TLS records from both reassembled directions (implicit TLS ports, or after STARTTLS/STLS/AUTH TLS):
 * handshake messages reassembled across records, ClientHello/ServerHello decoded (SNI, versions,
 * ALPN, ciphers, groups, JA3/JA4), ChangeCipherSpec and Alerts marked, and the point where the bytes
 * become encrypted shown once per direction; encrypted records after it are counted, not decoded —
 * unless the user gave the session's keys (ctx.tls): then each record is opened, the encrypted
 * handshake messages are shown as such and the application data goes to the handler of the
 * protocol inside (host.innerHandler), whose events are marked insideTls.
 */
import { mergeFrameLists } from '../../model/frame-list';
import type { Direction, StreamChunk, StreamGap } from '../../tcp/types';
import { chunkFrames, spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { StreamBuffer } from '../stream-buffer';
import type { LadderEvent, TlsSummary } from '../types';
import { SessionDecryptor } from './session-decryptor';
import { createHttp2FrameHandler } from './http2-frames';
import { TLS_NOTES } from './explain';
import { describeClientHello, HelloError, ja3String, ja4, parseClientHello, parseServerHello } from './hello';
import { ALERTS, cipherName, HANDSHAKE_TYPES, versionName } from './names';
import { printable } from '../output';
import { certificateList, certificateList13, certificateNames } from './x509-names';

const MAX_RECORD = 16384 + 2048;
/** The field naming a TLS record's content type (as tshark's `tls.record.content_type`). */
const RECORD_TYPE = 'tls.record.content_type';
const MAX_HANDSHAKE_MESSAGE = 256 * 1024;

interface DirState {
  /** Handshake bytes waiting for a whole message. */
  hs: Uint8Array;
  hsFrames: number[];
  encrypted: boolean;
  ccsSeen: boolean;
  run: LadderEvent | null;
  runRecords: number;
  /** The highest frame number listed in run.frames. */
  runMaxFrame: number;
  runBytes: number;
}

export type TlsUpgrade = TlsSummary['upgrade'];

export function createTlsHandler(host: HandlerHost, upgrade: TlsUpgrade): ProtocolHandler {
  const { out, bufs, ctx } = host;
  const tls: TlsSummary = {
    clientHello: null,
    serverHello: null,
    upgrade,
    certificates: [],
    alerts: [],
    encryptedFrom: { client: null, server: null },
    encryptedRecords: { client: 0, server: 0 },
    decrypted: false,
    decryption: { keySource: null, records: 0, failedRecords: 0, reason: 'no TLS key log was given' },
  };
  out.tls = tls;
  // Without any key (no key log, no secrets in the capture) nothing changes from a plain reading.
  const dec = ctx.tls && ctx.tls.keys.size > 0 ? new SessionDecryptor(ctx.tls) : null;
  if (dec) tls.decryption = dec.summary;
  /** The protocol inside, reading decrypted bytes (made at the first decrypted application data). */
  let inner: { host: HandlerHost; handler: ProtocolHandler | null; offset: Record<Direction, number> } | null = null;
  /** Whether the direction's last record was decrypted (a failed one after it is reported once). */
  const failedShown: Record<Direction, boolean> = { client: false, server: false };
  /** The application protocol the server chose by ALPN (ServerHello before TLS 1.3, EncryptedExtensions in 1.3). */
  let alpn: string | null = null;
  const state: Record<Direction, DirState> = {
    client: newDir(),
    server: newDir(),
  };
  let stopped: Record<Direction, boolean> = { client: false, server: false };
  /** An encrypted record being read: only its length matters, so its bytes are passed over as they come, not buffered. */
  const skipping: Record<Direction, { type: number; length: number; left: number; frames: number[]; time: number } | null> = { client: null, server: null };
  let tls13 = false;

  function record(dir: Direction, type: number, body: Uint8Array, span: { frames: number[]; time: number }, header: Uint8Array): void {
    const st = state[dir];
    if (dec && isEncrypted(dir, type, body.length) && dec.canOpen(dir)) {
      const r = dec.open(dir, header, body);
      if (r && !('failed' in r)) return decryptedRecord(dir, r.type, r.plaintext, span);
      if (r && !failedShown[dir]) {
        failedShown[dir] = true;
        out.diag('tls.record.decrypt_failed', 'warn', `a ${dir} TLS record did not decrypt (${r.failed}): wrong key, or the capture changed its bytes; the rest goes on`, span.frames[0]);
        out.event(dir, 'note', span, `record not decrypted: ${r.failed}`, TLS_NOTES.decryptFailed);
        st.run = null;
      }
    }
    if (type === 20) {
      st.ccsSeen = true;
      st.run = null;
      dec?.changeCipherSpec(dir);
      out.event(dir, 'tls', span, 'ChangeCipherSpec', tls13 ? TLS_NOTES.ccs13 : TLS_NOTES.ccs, { tls: 'change-cipher-spec' });
      return;
    }
    if (type === 21 && isEncrypted(dir, type, body.length)) {
      // An encrypted alert (usually close_notify): an alert, not the start of encrypted data.
      st.run = null;
      tls.encryptedRecords[dir]++;
      out.event(dir, 'tls', span, 'Encrypted Alert', TLS_NOTES.encryptedAlert, { tls: 'alert', fields: { [RECORD_TYPE]: 21 } });
      return;
    }
    if (isEncrypted(dir, type, body.length)) {
      encryptedRecord(dir, type, body.length, span);
      return;
    }
    if (type === 21) {
      const level = body[0] === 2 ? 'fatal' : body[0] === 1 ? 'warning' : `level ${body[0]}`;
      const description = ALERTS[body[1]] ?? `alert ${body[1]}`;
      tls.alerts.push({ frame: span.frames[0] ?? 0, from: dir, level, description });
      out.event(dir, 'tls', span, `Alert ${level}: ${description}`, TLS_NOTES.alert, { tls: 'alert', fields: { 'tls.alert_message.desc': body[1] ?? -1 } });
      return;
    }
    if (type === 22) {
      handshake(dir, body, span);
      return;
    }
    out.event(dir, 'tls', span, `TLS record type ${type}, ${body.length} bytes`, TLS_NOTES.other, { tls: 'other' });
  }

  /**
   * True when a record of this type and body length, from this side now, is read as encrypted (its
   * bytes are not looked at). TLS 1.2 encrypts after ChangeCipherSpec; TLS 1.3 sends every encrypted
   * record as type 23 (its ChangeCipherSpec means nothing: a ServerHello after a HelloRetryRequest,
   * or a second ClientHello, follow one in clear). A 2-byte alert is never encrypted (too short).
   */
  function isEncrypted(dir: Direction, type: number, length: number): boolean {
    const st = state[dir];
    if (type === 23) return true;
    if (type === 22) return st.ccsSeen && !tls13;
    if (type === 21) return length !== 2 && (st.ccsSeen || st.encrypted);
    return false;
  }

  function encryptedRecord(dir: Direction, type: number, bodyLength: number, span: { frames: number[]; time: number }): void {
    const st = state[dir];
    tls.encryptedRecords[dir]++;
    if (!st.encrypted) {
      st.encrypted = true;
      tls.encryptedFrom[dir] = span.frames[0] ?? null;
      out.event(dir, 'tls', span, `— encrypted from here (${dir}) —`, TLS_NOTES.encryptedStart, { tls: 'encrypted-start' });
      st.run = null;
    }
    if (st.run && st.run.frames.length < 1000) {
      st.runRecords++;
      st.runBytes += bodyLength;
      const frames = st.run.frames;
      // Frames nearly always come in ascending order: only one not above all listed needs the search.
      for (const f of span.frames) {
        if (f > st.runMaxFrame) {
          frames.push(f);
          st.runMaxFrame = f;
        } else if (!frames.includes(f)) frames.push(f);
      }
      st.run.label = `${st.runRecords} encrypted records, ${st.runBytes} bytes`;
      return;
    }
    st.runRecords = 1;
    st.runBytes = bodyLength;
    st.run = out.event(dir, 'data', span, `1 encrypted record, ${bodyLength} bytes`, type === 23 ? TLS_NOTES.applicationData : TLS_NOTES.encryptedHandshake, { fields: { [RECORD_TYPE]: type } });
    st.runMaxFrame = st.run ? Math.max(...st.run.frames) : 0;
  }

  /** The band's start, once per direction (the first encrypted record, opened or not). */
  function bandStart(dir: Direction, span: { frames: number[]; time: number }): void {
    const st = state[dir];
    tls.encryptedRecords[dir]++;
    if (st.encrypted) return;
    st.encrypted = true;
    tls.encryptedFrom[dir] = span.frames[0] ?? null;
    out.event(dir, 'tls', span, `— encrypted from here (${dir}) —`, TLS_NOTES.encryptedStart, { tls: 'encrypted-start', lines: [TLS_NOTES.decryptedBand] });
    st.run = null;
  }

  /** A record opened with the user's keys: its handshake messages, alert or application data. */
  function decryptedRecord(dir: Direction, type: number, plaintext: Uint8Array, span: { frames: number[]; time: number }): void {
    bandStart(dir, span);
    tls.decrypted = true;
    const st = state[dir];
    st.run = null;
    if (type === 23) return innerData(dir, plaintext, span);
    if (type === 22) return handshake(dir, plaintext, span, true);
    if (type === 21 && plaintext.length >= 2) {
      const level = plaintext[0] === 2 ? 'fatal' : plaintext[0] === 1 ? 'warning' : `level ${plaintext[0]}`;
      const description = ALERTS[plaintext[1]] ?? `alert ${plaintext[1]}`;
      tls.alerts.push({ frame: span.frames[0] ?? 0, from: dir, level, description });
      out.event(dir, 'tls', span, `Alert ${level}: ${description}`, TLS_NOTES.alert, { tls: 'alert', fields: { 'tls.alert_message.desc': plaintext[1] }, lines: [TLS_NOTES.decryptedLine] });
      return;
    }
    out.event(dir, 'tls', span, `TLS record type ${type}, ${plaintext.length} bytes (decrypted)`, TLS_NOTES.other, { tls: 'other', fields: { [RECORD_TYPE]: type } });
  }

  /** Decrypted application data of `dir` into the protocol inside, read as if it were clear text. */
  function innerData(dir: Direction, plaintext: Uint8Array, span: { frames: number[]; time: number }): void {
    const frame = span.frames[span.frames.length - 1] ?? 0;
    ctx.tls?.onPlaintext?.(ctx.connection.id, dir, plaintext, frame);
    if (!inner) {
      const bufs = { client: new StreamBuffer(), server: new StreamBuffer() };
      const ih: HandlerHost = {
        out,
        bufs,
        ctx,
        switchTo(next) {
          inner!.handler = next;
          next.pump('client', false);
          next.pump('server', false);
        },
      };
      inner = { host: ih, handler: null, offset: { client: 0, server: 0 } };
      inner.handler = alpn === 'h2' ? createHttp2FrameHandler(ih) : (host.innerHandler?.(ih) ?? null);
    }
    if (!inner.handler || plaintext.length === 0) return;
    const at = inner.offset[dir];
    inner.offset[dir] += plaintext.length;
    inner.host.bufs[dir].push({ dir, offset: at, bytes: plaintext, frames: [{ frame, offset: at, length: plaintext.length }], time: span.time });
    pumpInner(dir, false);
    inner.host.bufs[dir].settle();
  }

  function pumpInner(dir: Direction, final: boolean): void {
    if (!inner?.handler) return;
    out.insideTls = true;
    try {
      inner.handler.pump(dir, final);
    } finally {
      out.insideTls = false;
    }
  }

  function handshake(dir: Direction, body: Uint8Array, span: { frames: number[]; time: number }, decrypted = false): void {
    const st = state[dir];
    st.run = null;
    const merged = new Uint8Array(st.hs.length + body.length);
    merged.set(st.hs);
    merged.set(body, st.hs.length);
    st.hs = merged;
    for (const f of span.frames) if (!st.hsFrames.includes(f)) st.hsFrames.push(f);
    while (st.hs.length >= 4) {
      const type = st.hs[0];
      const len = (st.hs[1] << 16) | (st.hs[2] << 8) | st.hs[3];
      if (len > MAX_HANDSHAKE_MESSAGE) {
        out.diag('tls.handshake.too_long', 'warn', `${HANDSHAKE_TYPES[type] ?? `handshake type ${type}`} claims ${len} bytes; not decoded`, span.frames[0]);
        st.hs = new Uint8Array(0);
        return;
      }
      if (st.hs.length < 4 + len) return;
      const msg = st.hs.subarray(4, 4 + len);
      const frames = [...st.hsFrames];
      st.hs = st.hs.slice(4 + len);
      st.hsFrames = st.hs.length ? [span.frames[span.frames.length - 1]] : [];
      handshakeMessage(dir, type, msg, { frames, time: span.time }, decrypted);
      if (decrypted) dec?.handshakeMessage(dir, type);
    }
  }

  function handshakeMessage(dir: Direction, type: number, msg: Uint8Array, span: { frames: number[]; time: number }, decrypted: boolean): void {
    const name = HANDSHAKE_TYPES[type] ?? `handshake type ${type}`;
    if (decrypted && type === 8) alpn = encryptedExtensionsAlpn(msg) ?? alpn;
    if (decrypted && type !== 11) {
      out.event(dir, 'tls', span, name, TLS_NOTES.handshake[type] ?? TLS_NOTES.other, { tls: 'other', fields: { 'tls.handshake.type': type }, lines: [TLS_NOTES.decryptedLine] });
      return;
    }
    try {
      if (type === 1 && dir === 'client' && tls.clientHello) {
        // A second ClientHello (after a HelloRetryRequest): the summary keeps the first one.
        const h = parseClientHello(msg);
        dec?.clientHello(h.random);
        out.event(dir, 'tls', span, `ClientHello (again)${h.sni ? ` SNI=${h.sni}` : ''}`, TLS_NOTES.secondHello, { tls: 'client-hello', fields: h.sni === null ? { 'tls.handshake.type': 1 } : { 'tls.handshake.type': 1, 'tls.handshake.extensions_server_name': h.sni } });
        return;
      }
      if (type === 1 && dir === 'client') {
        const h = parseClientHello(msg);
        dec?.clientHello(h.random);
        const d = describeClientHello(h);
        const ja3s = ja3String(h);
        tls.clientHello = {
          frame: span.frames[0] ?? 0,
          sni: h.sni,
          legacyVersion: d.legacyVersion,
          versions: d.versions,
          alpn: h.alpn,
          ciphers: d.ciphers,
          groups: d.groups,
          keyShareGroups: d.keyShareGroups,
          ja3: ja3s,
          ja3Hash: ctx.md5(new TextEncoder().encode(ja3s)),
          ja4: ja4(h, ctx.sha256),
        };
        if (h.truncated) out.diag('tls.hello.truncated', 'warn', 'ClientHello: its extension list runs past the end of the message; the extensions before that point are shown', span.frames[0]);
        out.event(dir, 'tls', span, `ClientHello${h.sni ? ` SNI=${h.sni}` : ''}`, TLS_NOTES.clientHello, {
          tls: 'client-hello',
          fields: h.sni === null ? { 'tls.handshake.type': 1 } : { 'tls.handshake.type': 1, 'tls.handshake.extensions_server_name': h.sni },
          lines: [
            ...(h.truncated ? ['! the extension list runs past the end of the message (a damaged or fuzzed hello): only the extensions before that point are shown'] : []),
            `offers ${d.versions.length ? d.versions.join(', ') : d.legacyVersion}`,
            `${h.ciphers.length} cipher suites: ${d.ciphers.slice(0, 6).join(', ')}${h.ciphers.length > 6 ? ', …' : ''}`,
            ...(h.alpn.length ? [`ALPN: ${h.alpn.join(', ')}`] : []),
            `JA3 ${tls.clientHello.ja3Hash} · JA4 ${tls.clientHello.ja4}`,
          ],
        });
        return;
      }
      if (type === 2 && dir === 'server') {
        const s = parseServerHello(msg);
        tls13 = s.version === 0x0304;
        dec?.serverHello(s);
        alpn = s.alpn;
        tls.serverHello = { frame: span.frames[0] ?? 0, version: versionName(s.version), cipher: cipherName(s.cipher), helloRetryRequest: s.helloRetryRequest };
        out.event(dir, 'tls', span, `${s.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} ${versionName(s.version)} ${cipherName(s.cipher)}`, s.helloRetryRequest ? TLS_NOTES.helloRetry : tls13 ? TLS_NOTES.serverHello13 : TLS_NOTES.serverHello, {
          tls: 'server-hello',
          fields: { 'tls.handshake.type': 2, 'tls.handshake.ciphersuite': s.cipher, 'tls.handshake.version': s.version },
        });
        return;
      }
    } catch (e) {
      if (!(e instanceof HelloError)) throw e;
      out.diag('tls.hello.malformed', 'warn', `${name}: ${e.message}`, span.frames[0]);
      out.event(dir, 'tls', span, `${name} (malformed)`, TLS_NOTES.malformed, { tls: 'other', fields: { 'tls.handshake.type': type } });
      return;
    }
    if (type === 11 && dir === 'server') {
      const names = (decrypted && tls13 ? certificateList13(msg) : certificateList(msg)).map(certificateNames).filter((n) => n !== null);
      for (const n of names) tls.certificates.push({ frame: span.frames[0] ?? 0, subject: n.subject, issuer: n.issuer });
      const leaf = names[0];
      out.event(dir, 'tls', span, leaf ? `Certificate ${printable(leaf.subject, 100)}` : name, TLS_NOTES.handshake[11], {
        tls: 'other',
        fields: { 'tls.handshake.type': type },
        lines: [...names.map((n, k) => `${k === 0 ? 'subject' : `chain ${k}`}: ${printable(n.subject, 200)} — issued by ${printable(n.issuer, 200)}`), ...(decrypted ? [TLS_NOTES.decryptedLine] : [])],
      });
      return;
    }
    out.event(dir, 'tls', span, name, TLS_NOTES.handshake[type] ?? TLS_NOTES.other, { tls: 'other', fields: { 'tls.handshake.type': type } });
  }

  /** `n` more bytes of an encrypted record being skipped, from `frames`; true when the record is complete (and reported). */
  function skipPart(dir: Direction, sk: NonNullable<(typeof skipping)[Direction]>, n: number, frames: number[]): boolean {
    sk.left -= n;
    for (const f of frames) if (sk.frames[sk.frames.length - 1] !== f) sk.frames.push(f);
    if (sk.frames.length > 1000) sk.frames = [...new Set(sk.frames)];
    if (sk.left !== 0) return false;
    skipping[dir] = null;
    encryptedRecord(dir, sk.type, sk.length, { frames: mergeFrameLists(sk.frames), time: sk.time });
    return true;
  }

  function pumpDir(dir: Direction, final: boolean): void {
    const b = bufs[dir];
    for (;;) {
      const sk = skipping[dir];
      if (sk) {
        const part = b.available ? b.take(Math.min(sk.left, b.available)) : null;
        if (part && skipPart(dir, sk, part.bytes.length, part.frames)) continue;
        if (final) {
          skipping[dir] = null;
          out.diag('tls.record.truncated', 'note', `the ${dir} stream ends inside a TLS record (${5 + sk.length - sk.left} of ${5 + sk.length} bytes)`, sk.frames.length ? Math.min(...sk.frames.slice(0, 1000)) : undefined);
        }
        return;
      }
      if (stopped[dir]) {
        const rest = b.takeAll();
        if (rest) out.event(dir, 'data', spanOf(rest), `${rest.bytes.length} bytes that are not TLS records`, TLS_NOTES.notTls);
        return;
      }
      const head = b.peek();
      if (head.length < 5) {
        if (final && head.length) {
          const rest = b.takeAll();
          if (rest) out.diag('tls.record.truncated', 'note', `the ${dir} stream ends inside a TLS record header`, rest.frames[0]);
        }
        return;
      }
      if (head[0] & 0x80 && head[2] === 1 && dir === 'client' && !state.client.encrypted) {
        // An SSL 2.0-compatible ClientHello (2-byte header with the high bit set): old clients send
        // it to reach servers of any version; the server answers with TLS records.
        const len2 = ((head[0] & 0x7f) << 8) | head[1];
        if (head.length < 2 + len2 && !final) return;
        const rec2 = b.take(2 + len2, final);
        if (!rec2) return;
        const version = rec2.bytes.length >= 5 ? (rec2.bytes[3] << 8) | rec2.bytes[4] : 0;
        out.event(dir, 'tls', spanOf(rec2), `ClientHello (SSL 2.0 format) offering ${versionName(version)}`, TLS_NOTES.sslv2Hello, { tls: 'client-hello' });
        continue;
      }
      const type = head[0];
      const major = head[1];
      const len = (head[3] << 8) | head[4];
      if (type < 20 || type > 24 || major !== 3 || len > MAX_RECORD) {
        out.diag('tls.record.invalid', 'warn', `${dir} bytes are not a TLS record (type ${type}, version ${major}.${head[2]}, length ${len}); the rest is shown as raw data`);
        stopped = { ...stopped, [dir]: true };
        continue;
      }
      if (head.length < 5 + len && isEncrypted(dir, type, len) && !dec?.canOpen(dir)) {
        const first = b.take(head.length)!;
        skipping[dir] = { type, length: len, left: 5 + len - first.bytes.length, frames: [...first.frames], time: first.time };
        continue;
      }
      if (head.length < 5 + len) {
        if (final) {
          const rest = b.takeAll();
          if (rest) out.diag('tls.record.truncated', 'note', `the ${dir} stream ends inside a TLS record (${rest.bytes.length} of ${5 + len} bytes)`, rest.frames[0]);
        }
        return;
      }
      const rec = b.take(5 + len);
      if (!rec) return;
      record(dir, type, rec.bytes.subarray(5), spanOf(rec), rec.bytes.subarray(0, 5));
    }
  }

  return {
    pump: pumpDir,
    bulk(dir: Direction, chunk: StreamChunk): number {
      // The inside of an encrypted record arriving whole segments at a time: as pumpDir's skipping step, without buffering.
      const sk = skipping[dir];
      if (!sk || sk.left <= 0) return 0;
      const n = Math.min(sk.left, chunk.bytes.length);
      skipPart(dir, sk, n, chunkFrames(chunk, n));
      return n;
    },
    gap(gap: StreamGap) {
      skipping[gap.dir] = null; // the stream buffer dropped the record's bytes before the hole
      const st = state[gap.dir];
      st.hs = new Uint8Array(0);
      st.hsFrames = [];
      // After a hole the record boundary is lost: we cannot find the next header reliably.
      stopped = { ...stopped, [gap.dir]: true };
      out.diag('tls.stream.gap', 'note', `${gap.length} ${gap.dir} bytes missing: TLS records after the hole are not parsed`, gap.frame);
    },
    end() {
      if (inner?.handler) {
        pumpInner('client', true);
        pumpInner('server', true);
        const h = inner.handler;
        out.insideTls = true;
        try {
          h.end();
        } finally {
          out.insideTls = false;
        }
      }
      if (dec && !tls.decrypted && !dec.summary.reason) dec.summary.reason = tls.serverHello ? 'no encrypted record was seen' : 'the ServerHello was not captured, so the keys cannot be chosen';
    },
  };
}

function newDir(): DirState {
  return { hs: new Uint8Array(0), hsFrames: [], encrypted: false, ccsSeen: false, run: null, runRecords: 0, runBytes: 0, runMaxFrame: 0 };
}

/** The protocol named by the ALPN extension (16) of a TLS 1.3 EncryptedExtensions message, or null. */
function encryptedExtensionsAlpn(msg: Uint8Array): string | null {
  if (msg.length < 2) return null;
  const end = Math.min(msg.length, 2 + ((msg[0] << 8) | msg[1]));
  let at = 2;
  while (at + 4 <= end) {
    const type = (msg[at] << 8) | msg[at + 1];
    const len = (msg[at + 2] << 8) | msg[at + 3];
    at += 4;
    if (at + len > end) return null;
    if (type === 16 && len >= 3) {
      const n = msg[at + 2];
      return at + 3 + n <= end ? String.fromCharCode(...msg.subarray(at + 3, at + 3 + n)) : null;
    }
    at += len;
  }
  return null;
}
