import type { InterfaceStatistics } from '../capture/types';
import type { AppContext, AppProtocol, AppResult, Credential, DataConnectionExpectation, LadderEvent, ProtocolBy, Sha256Hashes, TlsSummary } from '../app/types';
import type { MimeParser } from '../app/mail/mime';
import type { CaptureFormat } from '../capture/types';
import type { Diagnostic } from '../model/diagnostic';
import type {
  ClientRule,
  DirectionStats,
  Endpoint,
  HandshakeModel,
  ReassemblyLimits,
  StreamChunk,
  StreamGap,
  TeardownModel,
} from '../tcp/types';

/** Incremental hash supplied by the host (node:crypto in Node). */
export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  digest(): string;
}

/** The host's hashes: sha256 (at once or incremental, see Sha256Hashes) and md5. */
export interface HashProvider extends Sha256Hashes {
  md5(bytes: Uint8Array): string;
  createSha256(): IncrementalHash;
}

/**
 * Digests computed elsewhere (a helper thread): the bytes of each stream direction, body, message or
 * transferred file go in, in order, under a key of its own; the digests come back at the end.
 */
export interface StreamHasher {
  update(key: number, bytes: Uint8Array): void;
  /** Hex sha256 by key, for every key that got bytes. */
  digests(): Promise<ReadonlyMap<number, string>>;
}

/**
 * Runs the application dissectors of some connections elsewhere (a helper thread): it is handed
 * those connections' streams in the order this thread would have dissected them, and answers with
 * their results at the end — the same results, computed on another core.
 */
export interface RemoteApps {
  /** Whether connection `id` is dissected there: then its streams go there from now on. */
  open(id: number, connection: RemoteConnection): boolean;
  /**
   * A chunk of an opened connection. With `hashKey` (a StreamHasher key), the same bytes also go
   * into that stream's hash there — handed over once for both — instead of through update().
   */
  data(id: number, chunk: StreamChunk, hashKey: number | null): void;
  gap(id: number, gap: StreamGap): void;
  end(id: number): void;
  /** Every opened connection's result (null: its dissector failed, with a diagnostic), after all its streams were handed over. */
  results(): Promise<ReadonlyMap<number, RemoteAppResult>>;
}

/** A connection whose protocol is decided before its first byte (by its server port, or as an announced FTP data connection). */
export interface RemoteConnection {
  client: Endpoint;
  server: Endpoint;
  protocol: AppProtocol;
  /** TLS from the first byte (443, 465, 995 …). */
  implicitTls: boolean;
  /** The announcement of an FTP data connection (PASV, EPSV, PORT, EPRT on its control connection). */
  dataExpectation: DataConnectionExpectation | null;
}

export interface RemoteAppResult {
  result: AppResult | null;
  /** Set when the dissector failed: what to note. */
  failure: string | null;
}

export interface AnalyzeOptions {
  hashes: HashProvider;
  /** Hash the reassembled streams and the bodies, messages and files the dissectors hash here instead of with `hashes` (same digests). */
  streamHasher?: StreamHasher;
  /** Parse complete messages' MIME here instead of in this thread (not with keepPayloads). */
  parseMime?: MimeParser;
  /** Dissect some connections' application layer there (see RemoteApps; only beside a streamHasher on the same thread). */
  remoteApps?: RemoteApps;
  /** Buffers handed back by whoever parseMime gave the messages to, to gather the next messages in (see AppContext.messageStage). */
  messageStage?: AppContext['messageStage'];
  /** Decoders for compressed HTTP bodies (node:zlib in the engine); without them bodies stay encoded. */
  decompress?: AppContext['decompress'];
  /** The user's TLS key log and the host's crypto: TLS sessions with a key are decrypted (see AppContext.tls). */
  tls?: AppContext['tls'];
  /** `--decode-as PORT=PROTO` overrides. */
  decodeAs?: Map<number, AppProtocol>;
  limits?: Partial<ReassemblyLimits>;
  /** Keep attachment/body bytes in summaries (used when re-analysing one connection on demand). */
  keepPayloads?: boolean;
  /** Only dissect these connection ids at the application layer (others are tracked only). */
  onlyConnections?: ReadonlySet<number>;
}

export interface StreamDigest {
  bytes: number;
  sha256: string;
  gaps: number;
  gapBytes: number;
}

/** Frames and their bytes on the wire (frame lengths). */
export interface WireCount {
  frames: number;
  bytes: number;
}

/** One TCP connection as `wirelens analyze --json` reports it (the public, documented shape). */
export interface ConnectionResult {
  id: number;
  client: string;
  server: string;
  clientBy: ClientRule;
  firstFrame: number;
  lastFrame: number;
  packets: number;
  start: number;
  duration: number;
  handshake: {
    syn: number | null;
    synAck: number | null;
    ack: number | null;
    rttMs: number | null;
    complete: boolean;
    outcome: HandshakeModel['outcome'];
  };
  close: 'fin' | 'rst' | 'none';
  streams: { client: StreamDigest; server: StreamDigest };
  /**
   * Frames each side sent and their lengths on the wire (headers included), as Wireshark's
   * Statistics › Conversations counts them; `streams` holds the payload bytes.
   */
  wire?: { client: WireCount; server: WireCount };
  protocol: AppProtocol;
  protocolBy: ProtocolBy;
  tls: (Omit<TlsSummary, 'certificates' | 'alerts' | 'encryptedFrom' | 'encryptedRecords'> & Partial<TlsSummary>) | null;
  ladder: LadderEvent[];
  diagnostics: Diagnostic[];
  /** Per-protocol summary (smtp, pop3, http, ftp, ftpData). */
  [protocolSummary: string]: unknown;
}

/** Full models kept by the engine (not all of it goes to JSON). */
export interface ConnectionDetail {
  handshake: HandshakeModel;
  teardown: TeardownModel;
  stats: { client: DirectionStats; server: DirectionStats };
  summary: Record<string, unknown>;
  tls: TlsSummary | null;
}

export interface CaptureReport {
  format: CaptureFormat;
  packets: number;
  linkTypes: Array<{ code: number; name: string }>;
  truncated: boolean;
  diagnostics: Diagnostic[];
  comments: string[];
  firstTime: string | null;
  durationSec: number;
  bytes: number;
  /** What the capturing program counted per interface (pcapng statistics blocks), e.g. the kernel's drops; [] when the file has none. */
  interfaceStatistics: InterfaceStatisticsReport[];
}

export interface InterfaceStatisticsReport extends InterfaceStatistics {
  /** Index among the file's interfaces (in order of description). */
  interface: number;
  name: string | null;
}

export interface AnalysisReport {
  capture: CaptureReport;
  connections: ConnectionResult[];
  credentials: Credential[];
}
