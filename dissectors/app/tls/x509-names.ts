/**
 * Subject and issuer of an X.509 certificate (RFC 5280 §4.1), read from its DER with bounds-checked
 * TLV parsing: only the two Names are decoded, as "C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS".
 * Returns null for anything that is not shaped like a certificate.
 */

interface Tlv {
  tag: number;
  start: number; // first content byte
  end: number; // one past the last content byte
}

function readTlv(b: Uint8Array, pos: number, limit: number): Tlv | null {
  if (pos + 2 > limit) return null;
  const tag = b[pos];
  let len = b[pos + 1];
  let at = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || at + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + i];
    at += n;
  }
  if (at + len > limit) return null;
  return { tag, start: at, end: at + len };
}

function children(b: Uint8Array, t: Tlv, max = 64): Tlv[] {
  const out: Tlv[] = [];
  let pos = t.start;
  while (pos < t.end && out.length < max) {
    const c = readTlv(b, pos, t.end);
    if (!c) break;
    out.push(c);
    pos = c.end;
  }
  return out;
}

const ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'Email',
};

function oid(b: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

function text(b: Uint8Array, t: Tlv): string {
  const bytes = b.subarray(t.start, Math.min(t.end, t.start + 256));
  if (t.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return s;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function nameOf(b: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (const set of children(b, name)) {
    for (const atv of children(b, set)) {
      const [o, v] = children(b, atv, 2);
      if (!o || !v || o.tag !== 0x06) continue;
      const id = oid(b, o);
      parts.push(`${ATTRIBUTES[id] ?? id}=${text(b, v)}`);
    }
  }
  return parts.join(', ');
}

export function certificateNames(der: Uint8Array): { subject: string; issuer: string } | null {
  const cert = readTlv(der, 0, der.length);
  if (!cert || cert.tag !== 0x30) return null;
  const tbs = children(der, cert, 3)[0];
  if (!tbs || tbs.tag !== 0x30) return null;
  const f = children(der, tbs, 8);
  const i = f[0]?.tag === 0xa0 ? 1 : 0; // optional [0] version
  const issuer = f[i + 2];
  const subject = f[i + 4];
  if (!issuer || !subject || issuer.tag !== 0x30 || subject.tag !== 0x30) return null;
  return { subject: nameOf(der, subject), issuer: nameOf(der, issuer) };
}

/** The certificates of a TLS ≤ 1.2 Certificate handshake message body (3-byte lengths). */
export function certificateList(msg: Uint8Array, max = 10): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (msg.length < 3) return out;
  const total = (msg[0] << 16) | (msg[1] << 8) | msg[2];
  let pos = 3;
  const end = Math.min(msg.length, 3 + total);
  while (pos + 3 <= end && out.length < max) {
    const len = (msg[pos] << 16) | (msg[pos + 1] << 8) | msg[pos + 2];
    pos += 3;
    if (pos + len > end) break;
    out.push(msg.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

/** The DER certificates of a TLS 1.3 Certificate message (RFC 8446 §4.4.2: a request context, then entries each followed by extensions), at most `max`. */
export function certificateList13(msg: Uint8Array, max = 10): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (msg.length < 1) return out;
  let pos = 1 + msg[0];
  if (pos + 3 > msg.length) return out;
  const total = (msg[pos] << 16) | (msg[pos + 1] << 8) | msg[pos + 2];
  pos += 3;
  const end = Math.min(msg.length, pos + total);
  while (pos + 3 <= end && out.length < max) {
    const len = (msg[pos] << 16) | (msg[pos + 1] << 8) | msg[pos + 2];
    pos += 3;
    if (pos + len + 2 > end) break;
    out.push(msg.subarray(pos, pos + len));
    pos += len;
    pos += 2 + ((msg[pos] << 8) | msg[pos + 1]);
  }
  return out;
}
