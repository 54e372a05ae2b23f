/**
 * Which keys open which records of one TLS connection, from the hellos and the user's key log:
 * TLS 1.3 — handshake traffic keys after the ServerHello (not after a HelloRetryRequest), application
 * traffic keys after each side's Finished, the next generation after a KeyUpdate; TLS 1.2 — the key
 * block of the master secret, used by each side after its ChangeCipherSpec. Says why, when a
 * session cannot be opened.
 */
import type { Direction } from '../../tcp/types';
import type { TlsDecryption, TlsDecryptionSummary } from '../types';
import { keyBlock12, nextTrafficSecret, SUITES, trafficKeys, type SuiteInfo } from './key-schedule';
import type { SessionSecrets } from './keylog';
import { cipherName, versionName } from './names';
import { RecordCipher, type Opened } from './record-cipher';

/** The reason given when the key log has nothing for this session (the words the JSON promises). */
export const NO_KEY_REASON = "no key for this session's client random in the key log";

export class SessionDecryptor {
  readonly summary: TlsDecryptionSummary = { keySource: null, records: 0, failedRecords: 0 };
  private clientRandom: Uint8Array | null = null;
  private secrets: SessionSecrets | null = null;
  private suite: SuiteInfo | null = null;
  private tls13 = false;
  /** The keys in use per direction (null: that side's records are not opened now). */
  private readonly current: Record<Direction, RecordCipher | null> = { client: null, server: null };
  /** TLS 1.2: the keys each side switches to at its ChangeCipherSpec. */
  private readonly pending: Record<Direction, RecordCipher | null> = { client: null, server: null };
  /** TLS 1.3: the current traffic secret per direction (for KeyUpdate). */
  private readonly secret: Record<Direction, Uint8Array | null> = { client: null, server: null };
  private failedBefore: Record<Direction, boolean> = { client: false, server: false };

  constructor(private readonly t: TlsDecryption) {}

  clientHello(random: Uint8Array): void {
    if (!this.clientRandom) this.clientRandom = random.slice(); // a second ClientHello (after HRR) keeps the random
  }

  serverHello(h: {
    random: Uint8Array;
    cipher: number;
    version: number;
    extensions: number[];
    helloRetryRequest: boolean;
  }): void {
    if (h.helloRetryRequest) return; // keys come with the real ServerHello
    if (!this.clientRandom)
      return this.cannot(
        'the ClientHello was not captured: its random is what names the keys in the key log',
      );
    this.secrets = this.t.keys.lookup(this.clientRandom);
    if (!this.secrets) return this.cannot(NO_KEY_REASON);
    this.summary.keySource = this.secrets.source;
    const suite = SUITES[h.cipher];
    if (!suite) return this.cannot(`the cipher suite ${cipherName(h.cipher)} is not one Wirelens decrypts`);
    this.suite = suite;
    const c = this.t.crypto;
    if (h.version === 0x0304) {
      this.tls13 = true;
      const cs = this.secrets.clientHandshake;
      const ss = this.secrets.serverHandshake;
      if (!cs || !ss)
        return this.cannot('the key log has no CLIENT_/SERVER_HANDSHAKE_TRAFFIC_SECRET for this session');
      this.setSecret('client', cs);
      this.setSecret('server', ss);
      return;
    }
    if (h.version !== 0x0303)
      return this.cannot(`${versionName(h.version)} records are not decrypted (TLS 1.2 and 1.3 are)`);
    const master = this.secrets.master;
    if (!master) return this.cannot('the key log has no CLIENT_RANDOM (master secret) line for this session');
    const kb = keyBlock12(c, suite, master, this.clientRandom, h.random);
    const etm = suite.mac !== null && h.extensions.includes(22);
    this.pending.client = new RecordCipher(
      c,
      suite,
      false,
      kb.client.key,
      kb.client.iv,
      kb.client.macKey,
      etm,
    );
    this.pending.server = new RecordCipher(
      c,
      suite,
      false,
      kb.server.key,
      kb.server.iv,
      kb.server.macKey,
      etm,
    );
  }

  private cannot(reason: string): void {
    this.summary.reason ??= reason;
  }

  private setSecret(dir: Direction, secret: Uint8Array): void {
    const { key, iv } = trafficKeys(this.t.crypto, this.suite!, secret);
    this.secret[dir] = secret;
    this.current[dir] = new RecordCipher(this.t.crypto, this.suite!, true, key, iv);
  }

  /** TLS 1.2: a side's ChangeCipherSpec — its next records use the new keys. */
  changeCipherSpec(dir: Direction): void {
    if (this.tls13 || !this.pending[dir]) return;
    this.current[dir] = this.pending[dir];
    this.pending[dir] = null;
  }

  /** Whether `dir`'s next encrypted record will be opened (read whole, not skipped). */
  canOpen(dir: Direction): boolean {
    return this.current[dir] !== null || this.pending[dir] !== null;
  }

  /** Opens `dir`'s next encrypted record; null when there are no keys for it. */
  open(dir: Direction, header: Uint8Array, body: Uint8Array): Opened | null {
    const cipher = this.current[dir];
    if (!cipher) return null;
    const r = cipher.open(header, body);
    if ('failed' in r) {
      this.summary.failedRecords++;
      if (!this.failedBefore[dir])
        this.summary.reason ??= `a ${dir} record did not decrypt: ${r.failed} (wrong key, or the capture changed its bytes)`;
      this.failedBefore[dir] = true;
    } else this.summary.records++;
    return r;
  }

  /** A decrypted TLS 1.3 handshake message of `dir`: Finished and KeyUpdate change that side's keys. */
  handshakeMessage(dir: Direction, type: number): void {
    if (!this.tls13 || !this.secrets || !this.suite) return;
    if (type === 20) {
      const next = dir === 'client' ? this.secrets.clientTraffic0 : this.secrets.serverTraffic0;
      if (next) this.setSecret(dir, next);
      else {
        this.current[dir] = null;
        this.cannot(
          `the key log has no ${dir === 'client' ? 'CLIENT' : 'SERVER'}_TRAFFIC_SECRET_0 for this session: the application data stays encrypted`,
        );
      }
    } else if (type === 24 && this.secret[dir]) {
      this.setSecret(dir, nextTrafficSecret(this.t.crypto, this.suite, this.secret[dir]!));
    }
  }

  get isTls13(): boolean {
    return this.tls13;
  }
}
