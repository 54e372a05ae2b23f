/**
 * ClientHello / ServerHello bodies (RFC 8446 §4.1.2-4.1.3, RFC 5246 §7.4.1) parsed with bounds-checked
 * reads, and the JA3 / JA4 client fingerprints. A short or inconsistent body throws HelloError,
 * which the TLS handler turns into a diagnostic.
 */
import { cipherName, groupName, isGrease, versionName } from './names';

export class HelloError extends Error {}

class Reader {
  constructor(
    private readonly b: Uint8Array,
    public pos = 0,
    private readonly end = b.length,
  ) {}
  need(n: number): void {
    if (this.pos + n > this.end) throw new HelloError(`needs ${n} more byte(s) at offset ${this.pos}, only ${this.end - this.pos} left`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = (this.b[this.pos] << 8) | this.b[this.pos + 1];
    this.pos += 2;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A sub-reader over the next n bytes (length-prefixed vector). */
  sub(n: number): Reader {
    this.need(n);
    const r = new Reader(this.b, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  get left(): number {
    return this.end - this.pos;
  }
}

export interface ClientHelloInfo {
  legacyVersion: number;
  /** The 32-byte client random (a view into the message): names the session's keys in a key log. */
  random: Uint8Array;
  ciphers: number[];
  extensions: number[];
  sni: string | null;
  alpn: string[];
  versions: number[];
  groups: number[];
  pointFormats: number[];
  keyShareGroups: number[];
  signatureAlgorithms: number[];
  /** The extension list ran past the end of the message: only the extensions before that were read. */
  truncated?: boolean;
}

export function parseClientHello(body: Uint8Array): ClientHelloInfo {
  const r = new Reader(body);
  const legacyVersion = r.u16();
  const info: ClientHelloInfo = { legacyVersion, random: r.bytes(32), ciphers: [], extensions: [], sni: null, alpn: [], versions: [], groups: [], pointFormats: [], keyShareGroups: [], signatureAlgorithms: [] };
  r.bytes(r.u8()); // session id
  const cs = r.sub(r.u16());
  while (cs.left >= 2) info.ciphers.push(cs.u16());
  r.bytes(r.u8()); // compression methods
  if (r.left < 2) return info; // no extensions (SSL 3 / TLS 1.0 style)
  // An extension list longer than the message (a fuzzed or cut hello) is read as far as it goes, as tshark does.
  const declared = r.u16();
  if (declared > r.left) info.truncated = true;
  const ext = r.sub(Math.min(declared, r.left));
  while (ext.left >= 4) {
    const type = ext.u16();
    const length = ext.u16();
    if (length > ext.left) {
      info.truncated = true;
      break;
    }
    const data = ext.sub(length);
    if (info.extensions.length < 200) info.extensions.push(type);
    try {
      readClientExtension(type, data, info);
    } catch {
      // a malformed extension body does not hide the rest of the hello
    }
  }
  return info;
}

function readClientExtension(type: number, d: Reader, info: ClientHelloInfo): void {
  switch (type) {
    case 0: {
      const list = d.sub(d.u16());
      while (list.left >= 3) {
        const kind = list.u8();
        const name = list.bytes(list.u16());
        if (kind === 0 && info.sni === null) info.sni = ascii(name);
      }
      break;
    }
    case 16: {
      const list = d.sub(d.u16());
      while (list.left >= 1) info.alpn.push(ascii(list.bytes(list.u8())));
      break;
    }
    case 43: {
      const list = d.sub(d.u8());
      while (list.left >= 2) info.versions.push(list.u16());
      break;
    }
    case 10: {
      const list = d.sub(d.u16());
      while (list.left >= 2) info.groups.push(list.u16());
      break;
    }
    case 11: {
      const list = d.sub(d.u8());
      while (list.left >= 1) info.pointFormats.push(list.u8());
      break;
    }
    case 51: {
      const list = d.sub(d.u16());
      while (list.left >= 4) {
        info.keyShareGroups.push(list.u16());
        list.bytes(list.u16());
      }
      break;
    }
    case 13: {
      const list = d.sub(d.u16());
      while (list.left >= 2) info.signatureAlgorithms.push(list.u16());
      break;
    }
  }
}

export interface ServerHelloInfo {
  legacyVersion: number;
  /** The 32-byte server random (a view into the message): TLS 1.2 key expansion. */
  random: Uint8Array;
  /** The version actually chosen: supported_versions (TLS 1.3) or the legacy field. */
  version: number;
  cipher: number;
  helloRetryRequest: boolean;
  extensions: number[];
  alpn: string | null;
}

/** SHA-256("HelloRetryRequest"): the ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export function parseServerHello(body: Uint8Array): ServerHelloInfo {
  const r = new Reader(body);
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  // TLS 1.3 drafts (0x7fNN) before draft 22 had no session id and no compression method.
  const draft = legacyVersion >> 8 === 0x7f;
  if (!draft) r.bytes(r.u8());
  const cipher = r.u16();
  if (!draft) r.u8(); // compression
  const info: ServerHelloInfo = { legacyVersion, random, version: legacyVersion, cipher, helloRetryRequest: hex(random) === HRR_RANDOM, extensions: [], alpn: null };
  if (r.left < 2) return info;
  const ext = r.sub(r.u16());
  while (ext.left >= 4) {
    const type = ext.u16();
    const d = ext.sub(ext.u16());
    info.extensions.push(type);
    if (type === 43 && d.left >= 2) info.version = d.u16();
    if (type === 16 && d.left >= 3) {
      d.u16();
      info.alpn = ascii(d.bytes(d.u8()));
    }
  }
  return info;
}

export function ja3String(h: ClientHelloInfo): string {
  const clean = (a: number[]) => a.filter((v) => !isGrease(v)).join('-');
  return [h.legacyVersion, clean(h.ciphers), clean(h.extensions), clean(h.groups), h.pointFormats.join('-')].join(',');
}

/** JA4 (FoxIO, BSD-3): t{version}{d|i}{ciphers}{extensions}{alpn}_{sha256 ciphers}_{sha256 extensions+sigalgs}. */
export function ja4(h: ClientHelloInfo, sha256: (b: Uint8Array) => string): string {
  const versions = h.versions.filter((v) => !isGrease(v));
  const top = versions.length ? Math.max(...versions) : h.legacyVersion;
  const ver = ({ 0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3' } as Record<number, string>)[top] ?? '00';
  const ciphers = h.ciphers.filter((v) => !isGrease(v));
  const exts = h.extensions.filter((v) => !isGrease(v));
  const two = (n: number) => String(Math.min(n, 99)).padStart(2, '0');
  const first = h.alpn[0] ?? '';
  const alnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
  let alpn = '00';
  if (first) alpn = alnum(first[0]) && alnum(first[first.length - 1]) ? first[0] + first[first.length - 1] : hexText(first).slice(0, 1) + hexText(first).slice(-1);
  const a = `t${ver}${h.sni ? 'd' : 'i'}${two(ciphers.length)}${two(exts.length)}${alpn}`;
  const h4 = (v: number) => v.toString(16).padStart(4, '0');
  const digest = (s: string) => (s ? sha256(new TextEncoder().encode(s)).slice(0, 12) : '000000000000');
  const b = digest([...ciphers].sort((x, y) => x - y).map(h4).join(','));
  const extList = exts.filter((v) => v !== 0 && v !== 16).sort((x, y) => x - y).map(h4).join(',');
  const sig = h.signatureAlgorithms.filter((v) => !isGrease(v)).map(h4).join(',');
  // FoxIO's reference code (and Suricata ≥ 8.0.3) always joins with "_", even with no signature algorithms.
  const c = digest(`${extList}_${sig}`);
  return `${a}_${b}_${c}`;
}

export function describeClientHello(h: ClientHelloInfo) {
  return {
    legacyVersion: versionName(h.legacyVersion),
    versions: h.versions.filter((v) => !isGrease(v)).map(versionName),
    ciphers: h.ciphers.map(cipherName),
    groups: h.groups.map(groupName),
    keyShareGroups: h.keyShareGroups.map(groupName),
  };
}

function ascii(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return s;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function hexText(s: string): string {
  return Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
