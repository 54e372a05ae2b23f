/**
 * TLS key derivation from the secrets of a key log, over the host's HMAC (RFC 8446 §7.1 HKDF-Expand-Label
 * and §7.3 traffic keys and §7.2 KeyUpdate; RFC 5246 §5 PRF and §6.3 key block), and the cipher
 * suites Wirelens can decrypt.
 */
import type { TlsCrypto } from '../types';

export type HashName = 'sha1' | 'sha256' | 'sha384';
export type BulkCipher = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-cbc' | 'aes-256-cbc';

export interface SuiteInfo {
  cipher: BulkCipher;
  keyLen: number;
  /** AEAD: the fixed (implicit) IV length of TLS 1.2 (4 for GCM, 12 for ChaCha20); CBC: 0 (explicit IV per record). */
  fixedIvLen: number;
  /** CBC: the record MAC's hash; AEAD: null. */
  mac: HashName | null;
  /** The PRF / HKDF hash. */
  prf: 'sha256' | 'sha384';
}

const HASH_LEN: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48 };
export const hashLength = (h: HashName): number => HASH_LEN[h];

const gcm128 = { cipher: 'aes-128-gcm', keyLen: 16, fixedIvLen: 4, mac: null, prf: 'sha256' } as const;
const gcm256 = { cipher: 'aes-256-gcm', keyLen: 32, fixedIvLen: 4, mac: null, prf: 'sha384' } as const;
const chacha = { cipher: 'chacha20-poly1305', keyLen: 32, fixedIvLen: 12, mac: null, prf: 'sha256' } as const;
const cbc = (keyLen: 16 | 32, mac: HashName, prf: 'sha256' | 'sha384' = 'sha256'): SuiteInfo => ({
  cipher: keyLen === 16 ? 'aes-128-cbc' : 'aes-256-cbc',
  keyLen,
  fixedIvLen: 0,
  mac,
  prf,
});

/** Cipher suites by number (IANA): TLS 1.3's five minus CCM, and TLS 1.2's common RSA/ECDHE/DHE ones. */
export const SUITES: Record<number, SuiteInfo> = {
  0x1301: gcm128,
  0x1302: gcm256,
  0x1303: chacha,
  // TLS 1.2 AEAD
  0x009c: gcm128,
  0x009d: gcm256,
  0x009e: gcm128,
  0x009f: gcm256,
  0xc02b: gcm128,
  0xc02c: gcm256,
  0xc02f: gcm128,
  0xc030: gcm256,
  0xcca8: chacha,
  0xcca9: chacha,
  0xccaa: chacha,
  // TLS 1.2 CBC (MAC-then-encrypt, or encrypt-then-MAC when negotiated)
  0x002f: cbc(16, 'sha1'),
  0x0035: cbc(32, 'sha1'),
  0x0033: cbc(16, 'sha1'),
  0x0039: cbc(32, 'sha1'),
  0xc009: cbc(16, 'sha1'),
  0xc00a: cbc(32, 'sha1'),
  0xc013: cbc(16, 'sha1'),
  0xc014: cbc(32, 'sha1'),
  0x003c: cbc(16, 'sha256'),
  0x003d: cbc(32, 'sha256'),
  0x0067: cbc(16, 'sha256'),
  0x006b: cbc(32, 'sha256'),
  0xc023: cbc(16, 'sha256'),
  0xc027: cbc(16, 'sha256'),
  0xc024: cbc(32, 'sha384', 'sha384'),
  0xc028: cbc(32, 'sha384', 'sha384'),
};

const enc = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** RFC 5869 HKDF-Expand. */
function hkdfExpand(
  c: TlsCrypto,
  hash: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  let at = 0;
  for (let i = 1; at < length; i++) {
    t = c.hmac(hash, prk, concat(t, info, Uint8Array.of(i)));
    out.set(t.subarray(0, Math.min(t.length, length - at)), at);
    at += t.length;
  }
  return out;
}

/** RFC 8446 §7.1 HKDF-Expand-Label(secret, label, context, length) with the "tls13 " prefix. */
export function hkdfExpandLabel(
  c: TlsCrypto,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const full = enc.encode(`tls13 ${label}`);
  const info = concat(
    Uint8Array.of(length >> 8, length & 0xff, full.length),
    full,
    Uint8Array.of(context.length),
    context,
  );
  return hkdfExpand(c, hash, secret, info, length);
}

/** TLS 1.3 traffic key and IV of a traffic secret (§7.3). */
export function trafficKeys(
  c: TlsCrypto,
  suite: SuiteInfo,
  secret: Uint8Array,
): { key: Uint8Array; iv: Uint8Array } {
  return {
    key: hkdfExpandLabel(c, suite.prf, secret, 'key', new Uint8Array(0), suite.keyLen),
    iv: hkdfExpandLabel(c, suite.prf, secret, 'iv', new Uint8Array(0), 12),
  };
}

/** The next traffic secret after a KeyUpdate (§7.2). */
export function nextTrafficSecret(c: TlsCrypto, suite: SuiteInfo, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(c, suite.prf, secret, 'traffic upd', new Uint8Array(0), secret.length);
}

/** RFC 5246 §5 PRF: P_hash(secret, label + seed). */
export function prf12(
  c: TlsCrypto,
  hash: 'sha256' | 'sha384',
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const labelSeed = concat(enc.encode(label), seed);
  const out = new Uint8Array(length);
  let a = labelSeed;
  let at = 0;
  while (at < length) {
    a = c.hmac(hash, secret, a);
    const p = c.hmac(hash, secret, concat(a, labelSeed));
    out.set(p.subarray(0, Math.min(p.length, length - at)), at);
    at += p.length;
  }
  return out;
}

export interface DirectionKeys12 {
  macKey: Uint8Array;
  key: Uint8Array;
  /** AEAD fixed IV (CBC: empty). */
  iv: Uint8Array;
}

/** TLS 1.2 key block (§6.3): client and server MAC keys, keys and fixed IVs, from the master secret. */
export function keyBlock12(
  c: TlsCrypto,
  suite: SuiteInfo,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { client: DirectionKeys12; server: DirectionKeys12 } {
  const macLen = suite.mac ? HASH_LEN[suite.mac] : 0;
  const total = 2 * (macLen + suite.keyLen + suite.fixedIvLen);
  const kb = prf12(c, suite.prf, master, 'key expansion', concat(serverRandom, clientRandom), total);
  let at = 0;
  const take = (n: number): Uint8Array => kb.slice(at, (at += n));
  const cMac = take(macLen);
  const sMac = take(macLen);
  const cKey = take(suite.keyLen);
  const sKey = take(suite.keyLen);
  const cIv = take(suite.fixedIvLen);
  const sIv = take(suite.fixedIvLen);
  return { client: { macKey: cMac, key: cKey, iv: cIv }, server: { macKey: sMac, key: sKey, iv: sIv } };
}

export { concat };
