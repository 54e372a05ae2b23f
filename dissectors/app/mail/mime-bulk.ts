/**
 * The bulk of a big message is usually its base64 attachments, and postal-mime decodes those a line
 * at a time (text decoding, a regular expression and string joins per 76-character line: ~20 MB/s).
 * Here such bodies are found, checked to be plain base64 (only the base64 alphabet on each line,
 * padding only at the very end — where every decoder agrees on the bytes) and decoded directly; the
 * message is then given to postal-mime with each of those bodies replaced by a short placeholder,
 * and the placeholders are matched back to postal-mime's attachments (see mime.ts). Pure: bytes in,
 * offsets and bytes out.
 */
import { latin1 } from '../../model/bytes-text';
import type { Sha256Hashes } from '../types';

/** A base64 body: its lines from `start` to `end` (line ends included), and what it decodes to. */
export interface Base64Body {
  start: number;
  end: number;
  decoded: { size: number; sha256: string };
}

const LF = 0x0a;
const CR = 0x0d;

/** Base64 value of each byte; -1 for bytes outside the alphabet ('=' included). */
const VALUE = new Int8Array(256).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** End of the line starting at `i` (index of its LF, or raw.length), and where its text ends (before CR LF / LF). */
function lineAt(raw: Uint8Array, i: number): { next: number; textEnd: number } {
  let lf = raw.indexOf(LF, i);
  if (lf < 0) lf = raw.length;
  const textEnd = lf > i && raw[lf - 1] === CR ? lf - 1 : lf;
  return { next: Math.min(lf + 1, raw.length), textEnd };
}

/**
 * Reads a header block at `i`: the unfolded Content-Type and Content-Transfer-Encoding values and
 * where the body starts; null when the lines there are not a header block ending in an empty line.
 */
function headerBlock(raw: Uint8Array, i: number): { type: string | null; encoding: string | null; body: number } | null {
  let type: string | null = null;
  let encoding: string | null = null;
  let current: 'type' | 'encoding' | null = null;
  let lines = 0;
  while (i < raw.length) {
    const { next, textEnd } = lineAt(raw, i);
    if (textEnd === i) return { type, encoding, body: next };
    if (++lines > 200 || textEnd - i > 4096) return null;
    const first = raw[i];
    if (first === 0x20 || first === 0x09) {
      if (lines === 1) return null;
      if (current === 'type') type += ' ' + latin1(raw.subarray(i, textEnd)).trim();
      else if (current === 'encoding') encoding += ' ' + latin1(raw.subarray(i, textEnd)).trim();
    } else {
      const line = latin1(raw.subarray(i, textEnd));
      const colon = line.indexOf(':');
      if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) return null;
      const name = line.slice(0, colon).toLowerCase();
      current = name === 'content-type' ? 'type' : name === 'content-transfer-encoding' ? 'encoding' : null;
      if (current === 'type') type = line.slice(colon + 1).trim();
      else if (current === 'encoding') encoding = line.slice(colon + 1).trim();
    }
    i = next;
  }
  return null;
}

/** A part whose body this module may decode: base64, and a type that postal-mime keeps as an attachment's bytes. */
function isBulkCandidate(type: string | null, encoding: string | null): boolean {
  if (!type || !encoding || !/^base64$/i.test(encoding)) return false;
  const main = /^([A-Za-z0-9!#$&^_.+-]+)\s*\//.exec(type)?.[1]?.toLowerCase();
  return main !== undefined && main !== 'text' && main !== 'multipart' && main !== 'message';
}

/** The block the decoder hands over, reused from call to call (room for one more quad). */
const BLOCK_BYTES = 48 * 1024;
const block = new Uint8Array(BLOCK_BYTES + 3);

/**
 * The body at `i` when it is plain base64 lines (non-empty, alphabet only, '=' padding only at the
 * end of the last one): where it ends and its decoded size; null when it is not. It is decoded in
 * the same pass (line ends and padding skipped, quads completed across line ends, a lone last
 * character dropped as postal-mime does) and handed to `sink` a block at a time — a view of one
 * reused buffer, valid during the call: a big attachment is never held decoded. A body found not to
 * be plain base64 may have fed `sink` some blocks first. (Lines are found here as lineAt does,
 * without its object per line.)
 */
function scanBase64(raw: Uint8Array, i: number, sink: (bytes: Uint8Array) => void): { end: number; size: number } | null {
  const out = block;
  let end = -1;
  let padded = false;
  let n = 0;
  let total = 0;
  let quad = 0;
  let have = 0;
  while (i < raw.length) {
    let lf = raw.indexOf(LF, i);
    if (lf < 0) lf = raw.length;
    const textEnd = lf > i && raw[lf - 1] === CR ? lf - 1 : lf;
    const next = Math.min(lf + 1, raw.length);
    if (textEnd === i) break; // an empty line ends the body
    if (raw[i] === 0x2d) {
      if (end < 0) return null;
      break; // a boundary line ends it
    }
    if (padded) return null; // base64 after the padding
    let k = i;
    while (k < textEnd) {
      // Between quads: whole quads of four alphabet characters at once (the bulk of every line).
      if (have === 0) {
        while (k + 4 <= textEnd) {
          const a = VALUE[raw[k]];
          const b = VALUE[raw[k + 1]];
          const c = VALUE[raw[k + 2]];
          const d = VALUE[raw[k + 3]];
          if ((a | b | c | d) < 0) break;
          const q = (a << 18) | (b << 12) | (c << 6) | d;
          out[n] = q >> 16;
          out[n + 1] = q >> 8;
          out[n + 2] = q;
          n += 3;
          k += 4;
          if (n >= BLOCK_BYTES) {
            sink(out.subarray(0, n));
            total += n;
            n = 0;
          }
        }
        if (k >= textEnd) break;
      }
      // Else one character at a time (a quad completed across a line end, the last few characters).
      const v = VALUE[raw[k]];
      if (v < 0) break;
      k++;
      quad = (quad << 6) | v;
      if (++have === 4) {
        out[n] = quad >> 16;
        out[n + 1] = quad >> 8;
        out[n + 2] = quad;
        n += 3;
        quad = 0;
        have = 0;
        if (n >= BLOCK_BYTES) {
          sink(out.subarray(0, n));
          total += n;
          n = 0;
        }
      }
    }
    if (k < textEnd) {
      if (raw[k] === 0x3d && (textEnd - k === 1 || (textEnd - k === 2 && raw[k + 1] === 0x3d))) padded = true;
      else return null;
    }
    end = next;
    i = next;
  }
  if (end < 0) return null;
  if (have === 2) out[n++] = quad >> 4;
  else if (have === 3) {
    out[n] = quad >> 10;
    out[n + 1] = quad >> 2;
    n += 2;
  }
  if (n > 0) sink(out.subarray(0, n));
  return { end, size: total + n };
}

/**
 * The plain base64 bodies of at least `minBytes` in a message (top level and every part), in order,
 * each decoded and hashed as it is checked (one pass over its bytes): its decoded size and sha256
 * come with it.
 */
export function findBase64Bodies(raw: Uint8Array, minBytes: number, hashes: Pick<Sha256Hashes, 'createSha256'>): Base64Body[] {
  const found: Base64Body[] = [];
  let i = 0;
  let atHeaders = true; // the message's own header block
  while (i < raw.length) {
    if (atHeaders) {
      atHeaders = false;
      const h = headerBlock(raw, i);
      if (h) {
        i = h.body;
        if (isBulkCandidate(h.type, h.encoding)) {
          const hash = hashes.createSha256();
          const scanned = scanBase64(raw, i, (bytes) => hash.update(bytes));
          if (scanned && scanned.end > i && scanned.end - i >= minBytes) found.push({ start: i, end: scanned.end, decoded: { size: scanned.size, sha256: hash.digest() } });
          if (scanned && scanned.end > i) i = scanned.end;
        }
        continue;
      }
    }
    const { next, textEnd } = lineAt(raw, i);
    // A line that starts with "--" may be a boundary: a part's headers would follow.
    if (textEnd - i >= 3 && raw[i] === 0x2d && raw[i + 1] === 0x2d) atHeaders = true;
    i = next;
  }
  return found;
}

/** Base64 text of `bytes` (for the placeholders). */
export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    s += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
    s += i + 1 < bytes.length ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : '=';
    s += i + 2 < bytes.length ? ALPHABET[b2 & 63] : '=';
  }
  return s;
}

/** The message with each body replaced by one line of placeholder base64 (CRLF-terminated). */
export function replaceBodies(raw: Uint8Array, bodies: Base64Body[], placeholders: string[]): Uint8Array {
  let size = raw.length;
  bodies.forEach((b, k) => (size += placeholders[k].length + 2 - (b.end - b.start)));
  const out = new Uint8Array(size);
  let from = 0;
  let at = 0;
  bodies.forEach((b, k) => {
    out.set(raw.subarray(from, b.start), at);
    at += b.start - from;
    const p = placeholders[k];
    for (let c = 0; c < p.length; c++) out[at++] = p.charCodeAt(c);
    out[at++] = CR;
    out[at++] = LF;
    from = b.end;
  });
  out.set(raw.subarray(from), at);
  return out;
}
