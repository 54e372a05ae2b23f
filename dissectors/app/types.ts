import type { MailMessage } from './mail/message';
import type { TlsKeyLog } from './tls/keylog';
import type { Diagnostic } from '../model/diagnostic';
import type { ConnectionModel, Direction, Endpoint, StreamConsumer } from '../tcp/types';

export type AppProtocol = 'smtp' | 'pop3' | 'http' | 'ftp' | 'ftp-data' | 'tls' | 'socks' | 'unknown';
export type ProtocolBy = 'port' | 'content' | 'user';

export type LadderKind = 'command' | 'reply' | 'data' | 'auth' | 'tls' | 'tcp' | 'note';

/** The class of a server's reply (RFC 5321 §4.2.1 first digit; POP3 +OK/-ERR; FTP as SMTP; IMAP OK/NO/BAD). */
export type ReplyOutcome = 'positive' | 'intermediate' | 'transient-negative' | 'permanent-negative';

/** One arrow of the ladder diagram. */
export interface LadderEvent {
  /** First frame the event's bytes came from. */
  frame: number;
  /** All frames the event's bytes came from, ascending. */
  frames: number[];
  /** Capture-relative time (s) of `frame`. */
  time: number;
  from: Direction;
  kind: LadderKind;
  /** Short label, starting with the verb for commands: `EHLO sam`, `250 PIPELINING …`, `ClientHello SNI=x`. */
  label: string;
  /** One or two plain sentences for a learner. */
  explain: string;
  /** Filterable fields, named like Wireshark's (`smtp.req.command`, `smtp.response.code`, `http.request.method`). */
  fields?: Record<string, string | number>;
  /** Extra lines (multi-line replies, headers) for the detail view. */
  lines?: string[];
  /**
   * For replies (SMTP, POP3, FTP, IMAP completions, HTTP statuses): how the server answered, so views
   * colour it (positive green, intermediate blue, transient-negative amber, permanent-negative red).
   */
  outcome?: ReplyOutcome;
  /** The event came from bytes decrypted with the user's TLS key log. */
  insideTls?: boolean;
  /** Marks the first encrypted byte / TLS markers. */
  tls?: 'client-hello' | 'server-hello' | 'encrypted-start' | 'alert' | 'change-cipher-spec' | 'other';
}

export interface Credential {
  protocol: AppProtocol;
  connection: number;
  frame: number;
  mechanism: string; // 'USER/PASS', 'AUTH PLAIN', 'AUTH LOGIN', 'Basic', 'APOP', 'CRAM-MD5'
  username: string;
  password: string | null;
  /** What the server answered to this login: accepted (2xx / +OK / OK), refused, or unknown (no answer seen). */
  outcome?: 'accepted' | 'refused' | 'unknown';
  /** Sent inside TLS: readable only because the user supplied the session keys. */
  insideTls?: boolean;
}

export interface TlsClientHello {
  frame: number;
  sni: string | null;
  legacyVersion: string;
  versions: string[];
  alpn: string[];
  ciphers: string[];
  groups: string[];
  keyShareGroups: string[];
  ja3: string;
  ja3Hash: string;
  ja4: string;
}

export interface TlsServerHello {
  frame: number;
  version: string;
  cipher: string;
  helloRetryRequest: boolean;
}

export interface TlsSummary {
  clientHello: TlsClientHello | null;
  serverHello: TlsServerHello | null;
  upgrade: 'starttls' | 'stls' | 'auth-tls' | 'connect' | 'socks' | null;
  certificates: Array<{ frame: number; subject: string; issuer: string }>;
  alerts: Array<{ frame: number; from: Direction; level: string; description: string }>;
  /** First frame of each direction carrying encrypted application data / encrypted handshake. */
  encryptedFrom: { client: number | null; server: number | null };
  encryptedRecords: { client: number; server: number };
  /** True when the encrypted records were opened with the user's key log (or the capture's own secrets). */
  decrypted: boolean;
  decryption: TlsDecryptionSummary;
}

export interface TlsDecryptionSummary {
  /** Where this session's keys came from: a key log file, the capture's Decryption Secrets Block, or none. */
  keySource: 'keylog' | 'pcapng' | null;
  /** Encrypted records opened. */
  records: number;
  /** Encrypted records that did not authenticate (wrong key, corrupted capture). */
  failedRecords: number;
  /** Why the records stay encrypted (or some did not open). */
  reason?: string;
}

/** Symmetric primitives for TLS decryption, injected by the host (node:crypto in the engine). */
export interface TlsCrypto {
  hmac(hash: 'sha1' | 'sha256' | 'sha384', key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AEAD decryption: the plaintext, or null when the tag does not verify. Never more bytes than `ciphertext`. */
  aeadOpen(cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305', key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | null;
  /** CBC decryption without removing the padding; null when it fails. */
  cbcDecrypt(cipher: 'aes-128-cbc' | 'aes-256-cbc', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array | null;
}

/** The user's TLS secrets and the host's crypto, for decrypting TLS sessions. */
export interface TlsDecryption {
  keys: TlsKeyLog;
  crypto: TlsCrypto;
  /** Each decrypted application-data record's bytes, in order (Follow Stream, tests); `frame` is where the record ends. */
  onPlaintext?(connection: number, dir: Direction, bytes: Uint8Array, frame: number): void;
}

/** Expected FTP data connection, announced by PASV/EPSV (server side) or PORT/EPRT (client side). */
export interface DataConnectionExpectation {
  controlConnection: number;
  /** Address and port the data connection will be made TO (PASV: server; PORT: client). */
  host: string | null;
  port: number;
  mode: 'PASV' | 'EPSV' | 'PORT' | 'EPRT';
  frame: number;
  /** The transfer command that used it (RETR, STOR, LIST …) and its argument, set when the control connection sends it. */
  command?: string;
  argument?: string;
}

/**
 * A sha256 of contents of any size whose digest is handed to `use` — at once, or later but before
 * the analysis returns. `use` may only store it into objects already kept (a summary, a ladder
 * event's fields or lines): nothing may have been derived from it in between.
 */
export interface LaterHash {
  update(bytes: Uint8Array): void;
  digest(use: (sha256: string) => void): void;
}

/** What an application dissector may tell the pipeline. */
/** sha256 of bytes at once, or fed bit by bit (the host's: node:crypto in the engine). */
export interface Sha256Hashes {
  sha256(bytes: Uint8Array): string;
  createSha256(): { update(bytes: Uint8Array): void; digest(): string };
}

export interface AppContext {
  connection: { id: number; client: Endpoint; server: Endpoint };
  /** A hash factory injected by the host (node:crypto in Node): returns lowercase hex sha256. */
  sha256(bytes: Uint8Array): string;
  /** Lowercase hex md5 (for JA3), injected by the host. */
  md5(bytes: Uint8Array): string;
  /**
   * Decodes a compressed HTTP body (injected by the host: node:zlib in the engine). Returns null when
   * the host has no codec; `error` when the bytes are not valid or decode to more than maxOutput.
   */
  decompress?(encoding: 'gzip' | 'deflate' | 'br', bytes: Uint8Array, maxOutput: number): { bytes: Uint8Array } | { error: string } | null;
  /**
   * Incremental sha256 of a body, message or transferred file (contents of any size), whose digest
   * may come later: the host may compute it on a helper thread (see LaterHash).
   */
  laterSha256(): LaterHash;
  expectDataConnection(e: DataConnectionExpectation): void;
  /**
   * A complete email message (SMTP DATA, POP3 RETR/TOP): the host may parse its MIME structure now
   * and release the raw bytes, instead of holding every message until the end of the capture.
   */
  messageComplete?(m: MailMessage): void;
  /**
   * A buffer of MESSAGE_STAGE_BYTES to gather a message's bytes in, free to overwrite (the host's
   * helper hands back those of messages it has joined), or null: the collector makes one.
   */
  messageStage?(): Uint8Array | null;
  /** The user's TLS key log and the host's crypto: TLS sessions with a key are decrypted and their inside dissected. */
  tls?: TlsDecryption;
}

export interface AppResult {
  protocol: AppProtocol;
  ladder: LadderEvent[];
  diagnostics: Diagnostic[];
  credentials: Credential[];
  tls: TlsSummary | null;
  /** Per-protocol summary; key is the protocol (`smtp`, `pop3`, `http`, `ftp`, `ftpData`). */
  summary: Record<string, unknown>;
}

export interface AppDissector extends StreamConsumer {
  result(): AppResult;
}

export type AppDissectorFactory = (ctx: AppContext) => AppDissector;

export type { ConnectionModel, Direction };
