/**
 * Opens one direction's encrypted TLS records with its keys: TLS 1.3 AEAD (RFC 8446 §5.2-5.3), TLS 1.2
 * AES-GCM (RFC 5288), ChaCha20-Poly1305 (RFC 7905) and AES-CBC with HMAC, MAC-then-encrypt (RFC 5246
 * §6.2.3.2) or encrypt-then-MAC (RFC 7366). The plaintext is never longer than the record: nothing a
 * hostile record claims makes this allocate more.
 */
import type { TlsCrypto } from '../types';
import { concat, hashLength, type SuiteInfo } from './key-schedule';

export type Opened = { type: number; plaintext: Uint8Array } | { failed: string };

const TAG = 16;

function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(8);
  let v = seq;
  for (let i = 7; i >= 0 && v > 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/** The per-record nonce: the IV with the sequence number XORed into its last 8 bytes. */
function xorNonce(iv: Uint8Array, seq: number): Uint8Array {
  const n = iv.slice();
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) n[n.length - 8 + i] ^= s[i];
  return n;
}

/** Constant-shape comparison (timing does not matter here: the keys are the user's own). */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export class RecordCipher {
  /** Records opened (or tried) with these keys: the next record's sequence number. */
  seq = 0;

  constructor(
    private readonly crypto: TlsCrypto,
    private readonly suite: SuiteInfo,
    private readonly tls13: boolean,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
    private readonly macKey: Uint8Array = new Uint8Array(0),
    private readonly encryptThenMac = false,
  ) {}

  /** Opens a record (header: its 5 bytes; body: the rest). Always advances the sequence number. */
  open(header: Uint8Array, body: Uint8Array): Opened {
    const seq = this.seq++;
    if (this.tls13) return this.open13(header, body, seq);
    if (this.suite.mac) return this.openCbc(header, body, seq);
    return this.openAead12(header, body, seq);
  }

  private open13(header: Uint8Array, body: Uint8Array, seq: number): Opened {
    if (body.length < TAG + 1) return { failed: `a ${body.length}-byte record is too short to be encrypted` };
    const cipher = this.suite.cipher as 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
    const pt = this.crypto.aeadOpen(
      cipher,
      this.key,
      xorNonce(this.iv, seq),
      header,
      body.subarray(0, body.length - TAG),
      body.subarray(body.length - TAG),
    );
    if (!pt) return { failed: 'authentication failed' };
    // TLSInnerPlaintext: content, the real content type, then zero padding.
    let end = pt.length;
    while (end > 0 && pt[end - 1] === 0) end--;
    if (end === 0) return { failed: 'no content type inside the record' };
    return { type: pt[end - 1], plaintext: pt.subarray(0, end - 1) };
  }

  private aad12(header: Uint8Array, seq: number, length: number): Uint8Array {
    return concat(seqBytes(seq), header.subarray(0, 3), Uint8Array.of(length >> 8, length & 0xff));
  }

  private openAead12(header: Uint8Array, body: Uint8Array, seq: number): Opened {
    const cipher = this.suite.cipher as 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
    let nonce: Uint8Array;
    let ct: Uint8Array;
    if (cipher === 'chacha20-poly1305') {
      if (body.length < TAG) return { failed: `a ${body.length}-byte record is too short to be encrypted` };
      nonce = xorNonce(this.iv, seq);
      ct = body.subarray(0, body.length - TAG);
    } else {
      if (body.length < 8 + TAG)
        return { failed: `a ${body.length}-byte record is too short to be encrypted` };
      nonce = concat(this.iv, body.subarray(0, 8));
      ct = body.subarray(8, body.length - TAG);
    }
    const pt = this.crypto.aeadOpen(
      cipher,
      this.key,
      nonce,
      this.aad12(header, seq, ct.length),
      ct,
      body.subarray(body.length - TAG),
    );
    return pt ? { type: header[0], plaintext: pt } : { failed: 'authentication failed' };
  }

  private openCbc(header: Uint8Array, body: Uint8Array, seq: number): Opened {
    const mac = this.suite.mac!;
    const macLen = hashLength(mac);
    const cipher = this.suite.cipher as 'aes-128-cbc' | 'aes-256-cbc';
    if (this.encryptThenMac) {
      const enc = body.subarray(0, body.length - macLen);
      if (enc.length < 32 || enc.length % 16 !== 0)
        return {
          failed: `a ${body.length}-byte record does not have the shape of an encrypt-then-MAC CBC record`,
        };
      const want = this.crypto.hmac(mac, this.macKey, concat(this.aad12(header, seq, enc.length), enc));
      if (!equal(want, body.subarray(enc.length))) return { failed: 'authentication failed (MAC)' };
      const pt = this.crypto.cbcDecrypt(cipher, this.key, enc.subarray(0, 16), enc.subarray(16));
      const content = pt && unpad(pt, 0);
      return content ? { type: header[0], plaintext: content } : { failed: 'bad padding' };
    }
    if (body.length < 16 + 16 || body.length % 16 !== 0)
      return { failed: `a ${body.length}-byte record does not have the shape of a CBC record` };
    const pt = this.crypto.cbcDecrypt(cipher, this.key, body.subarray(0, 16), body.subarray(16));
    const withMac = pt && unpad(pt, macLen);
    if (!withMac) return { failed: 'authentication failed (padding)' };
    const content = withMac.subarray(0, withMac.length - macLen);
    const want = this.crypto.hmac(mac, this.macKey, concat(this.aad12(header, seq, content.length), content));
    if (!equal(want, withMac.subarray(content.length))) return { failed: 'authentication failed (MAC)' };
    return { type: header[0], plaintext: content };
  }
}

/** The CBC plaintext without its padding (every padding byte equals the count), or null; `keep` bytes (a MAC) must remain. */
function unpad(pt: Uint8Array, keep: number): Uint8Array | null {
  if (pt.length === 0) return null;
  const pad = pt[pt.length - 1];
  if (pad + 1 + keep > pt.length) return null;
  for (let i = pt.length - 1 - pad; i < pt.length; i++) if (pt[i] !== pad) return null;
  return pt.subarray(0, pt.length - 1 - pad);
}
