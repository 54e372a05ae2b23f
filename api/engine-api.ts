/**
 * The one typed interface between the renderer and the engine. Two transports implement it:
 * IPC through the Electron preload, and a WebSocket in browser mode. Everything crossing it is
 * plain JSON-serialisable data. This file holds types and constants only (no runtime imports),
 * so renderer/, electron/ and test/ can all import it.
 */
import type { AppProtocol, Credential, LadderEvent, TlsSummary } from '../dissectors/app/types';
import type { Diagnostic } from '../dissectors/model/diagnostic';
import type { Layer } from '../dissectors/net/types';
import type { ConnectionModel, Direction } from '../dissectors/tcp/types';
import type { CaptureStatistics, IoGraph, TcpStreamGraph } from '../dissectors/stats/types';
export type * from '../dissectors/stats/types';

export type CaptureId = string;

export interface CaptureInfo {
  id: CaptureId;
  name: string;
  format: 'pcap' | 'pcapng';
  sizeBytes: number;
  live: boolean;
}

export interface LoadStatus {
  id: CaptureId;
  state: 'loading' | 'ready' | 'error' | 'capturing';
  /** Bytes read so far and total (0 when unknown, e.g. live). */
  bytesRead: number;
  bytesTotal: number;
  packets: number;
  /** Rows in the current display-filter view (= packets when no filter). */
  displayed: number;
  connections: number;
  loadMs: number;
  truncated: boolean;
  /** The file's format as its bytes showed (null until the load has ended): CaptureInfo's is only a first guess. */
  format: CaptureInfo['format'] | null;
  error: string | null;
  diagnostics: Diagnostic[];
  /** Live capture facts and statistics, for a live capture (running or ended). */
  capture?: LiveCaptureStatus | null;
}

export interface LiveCaptureStatus {
  iface: string;
  /** Capture (BPF) filter, '' for none. */
  filter: string;
  running: boolean;
  /** Packets and bytes written to the capture file so far. */
  packets: number;
  bytes: number;
  /** Packets the interface received since the capture began, and the interface's own drops (Linux; null elsewhere). */
  ifReceived: number | null;
  ifDropped: number | null;
  /** Packets the capture's kernel buffer dropped: reported by dumpcap when it stops; null while running and with `cap`. */
  kernelDropped: number | null;
  /** The program that captures: Wireshark's dumpcap, or Wirelens's own capture process (libpcap through `cap`). */
  backend: 'cap' | 'dumpcap';
  /** The pcapng file being written (a temporary file until saved). */
  file: string;
  /** Why the capture ended, when it did not end by Stop (e.g. the capture process died). */
  ended: string | null;
}

export const DECODE_AS_PROTOCOLS = ['smtp', 'pop3', 'http', 'ftp', 'ftp-data', 'tls', 'unknown'] as const;
/** What loading a TLS key log did (see EngineApi.loadKeyLog). */
export interface KeyLogResult {
  capture: CaptureInfo;
  /** Secrets read from this key log, and lines skipped (not key log lines), with the first one named. */
  keys: number;
  skipped: number;
  firstProblem: string | null;
  /** Secrets known for the capture (every key log given, and the capture's own secrets). */
  totalKeys: number;
  /** Connections whose TLS was decrypted, and those with TLS that stayed encrypted with the reason. */
  decrypted: number[];
  encrypted: Array<{ connection: number; reason: string }>;
}

export interface DecodeAsRule {
  port: number;
  protocol: (typeof DECODE_AS_PROTOCOLS)[number];
}

export type SortColumn = 'no' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';
export const SORT_COLUMNS: readonly SortColumn[] = ['no', 'time', 'source', 'destination', 'protocol', 'length', 'info'];

export interface PacketRow {
  /** 1-based frame number. */
  no: number;
  /** Seconds since the first packet. */
  time: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** TCP connection id or -1. */
  connection: number;
  /** True when the packet carries a diagnostic of severity warn/error. */
  problem: boolean;
  /** TCP flags byte(s) (FIN 0x01, SYN 0x02, RST 0x04, …) when the packet is TCP: for colouring rules. */
  tcpFlags?: number;
  /** tshark's TCP analysis flags of the packet (`tcp.analysis.retransmission`, …), when there are any. */
  analysis?: string[];
  /** The packet's comment (pcapng opt_comment or the user's), when it has one. */
  comment?: string;
  /** True when the user marked the packet (Ctrl+M). */
  marked?: boolean;
  /** True when the packet is a time reference (Ctrl+T): `time` counts from the last reference at or before it. */
  timeRef?: boolean;
}

/** A connection's frame that a colouring rule picks out: SYN, FIN or RST set, or TCP analysis flags. */
export interface FrameMark {
  frame: number;
  tcpFlags: number;
  analysis: string[];
}

export interface PacketDetail {
  no: number;
  time: number;
  absTime: string;
  capLen: number;
  origLen: number;
  linkType: number;
  interfaceId: number;
  comment: string | null;
  layers: Layer[];
  /** Frame bytes, base64. */
  bytesBase64: string;
  diagnostics: Diagnostic[];
  connection: number;
}

export interface ConnectionRow {
  id: number;
  client: string; // ip:port or [v6]:port
  server: string;
  protocol: AppProtocol;
  protocolBy: 'port' | 'content' | 'user';
  packets: number;
  bytes: number;
  firstFrame: number;
  start: number;
  duration: number;
  status: string; // 'complete', 'reset', 'open', 'no-answer', ...
  tls: boolean;
}

export interface ConnectionView {
  row: ConnectionRow;
  model: ConnectionModel;
  ladder: LadderEvent[];
  tls: TlsSummary | null;
  summary: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Frames belonging to this connection (ascending). */
  frames: number[];
  /** The frames of `frames` with SYN, FIN or RST set or TCP analysis flags (retransmission, duplicate ACK, zero window…). */
  frameMarks?: FrameMark[];
  /** Comments on the frames of `frames` (the file's pcapng comments and the user's), for the ladder's steps. */
  comments?: Array<{ frame: number; comment: string }>;
  streams: {
    client: { bytes: number; sha256: string; gaps: number };
    server: { bytes: number; sha256: string; gaps: number };
  };
}

export interface FollowSegment {
  dir: Direction;
  offset: number;
  /** Bytes base64 (absent for a gap). */
  bytesBase64?: string;
  /** For a gap: the number of missing bytes. */
  gap?: number;
  frames: number[];
}

export interface FollowResult {
  connection: number;
  client: string;
  server: string;
  segments: FollowSegment[];
  /** The TLS application data decrypted with the user's key log, one segment per record (absent when nothing was decrypted). */
  decrypted?: FollowSegment[];
  /** True when output was cut at the size limit. */
  truncated: boolean;
}

/** Expert Information (as Wireshark's): one entry per severity, group, protocol and summary, with its items. */
export type ExpertSeverity = 'error' | 'warn' | 'note' | 'chat';
export interface ExpertItem {
  /** 1-based frame the item is about (a connection's first frame when it concerns the whole connection), null when it concerns the file. */
  frame: number | null;
  /** TCP connection id or -1. */
  connection: number;
  message: string;
}
export interface ExpertEntry {
  severity: ExpertSeverity;
  /** Wireshark's group name: Sequence, Malformed, Protocol, Reassemble, Security, Undecoded, Capture. */
  group: string;
  protocol: string;
  /** What the items share (Wireshark's summary text for TCP analysis items). */
  summary: string;
  /** Diagnostic code or filter name (tcp.analysis.retransmission, smtp.reply.code_invalid …). */
  code: string;
  count: number;
  /** The items (at most MAX_EXPERT_ITEMS per entry; `count` counts all). */
  items: ExpertItem[];
}
export interface ExpertInfo {
  entries: ExpertEntry[];
  totals: Record<ExpertSeverity, number>;
}
export const MAX_EXPERT_ITEMS = 5000;

/** Export Objects: a file a protocol carried, listed before it is saved. */
export type ExportObjectProtocol = 'http' | 'imf' | 'ftp-data';
export interface ExportObjectInfo {
  /** Index in the capture's object list (for getExportObject). */
  index: number;
  protocol: ExportObjectProtocol;
  /** Frame where the object ends or starts being carried. */
  frame: number;
  connection: number;
  /** Host name (HTTP), mail From (IMF), server (FTP-DATA). */
  host: string;
  contentType: string;
  /** Bytes of the object (as saved). */
  size: number;
  /** A safe file name: no path separators, control or direction characters, no reserved Windows name. */
  filename: string;
  sha256: string;
}

/** Which packets Export Specified Packets writes. */
export type PacketSelection = { kind: 'all' } | { kind: 'displayed' } | { kind: 'marked' } | { kind: 'range'; first: number; last: number };

export interface FilterResult {
  ok: boolean;
  error: string | null;
  /** Number of packets matching (the displayed count). */
  displayed: number;
}

export interface InterfaceInfo {
  name: string;
  description: string;
  addresses: string[];
  loopback: boolean;
  up: boolean;
}

/** Who captures: `auto` (dumpcap when installed, else `cap`), `cap` (Wirelens's libpcap binding) or `dumpcap` (Wireshark's). */
export const CAPTURE_BACKEND_CHOICES = ['auto', 'cap', 'dumpcap'] as const;
export type CaptureBackendChoice = (typeof CAPTURE_BACKEND_CHOICES)[number];

export interface LiveCaptureOptions {
  iface: string;
  filter?: string;
  snaplen?: number;
  promiscuous?: boolean;
  backend?: CaptureBackendChoice;
}

export type EngineEvent =
  | { type: 'status'; status: LoadStatus }
  /** A capture was opened; `status` is its first status, so a window can show it at once. */
  | { type: 'opened'; capture: CaptureInfo; status?: LoadStatus }
  | { type: 'error'; message: string }
  /** Desktop app: a menu command the page carries out (e.g. open the capture form). */
  | { type: 'menu'; command: 'capture-start' };

/** `wirelens lab`: one of the lab's servers on loopback. */
export interface LabService {
  protocol: 'smtp' | 'pop3' | 'http' | 'ftp';
  port: number;
  /** 'starttls': plain, upgraded by STARTTLS/STLS on request; 'implicit': TLS from the first byte. */
  tls: 'none' | 'starttls' | 'implicit';
  /** The `wirelens lab` option that changes this port. */
  option: string;
}

/** An exercise of the "Type this" panel: commands to type, each copyable. */
export interface LabExercise {
  title: string;
  port: number;
  /** What to type, one command or protocol line per entry. */
  lines: string[];
  note: string;
}

/** A message the lab's SMTP server received, as the lab inbox lists it. */
export interface LabMessageSummary {
  uid: string;
  receivedAt: string;
  /** The SMTP envelope: MAIL FROM and RCPT TO, which may differ from the From: and To: headers. */
  envelope: { mailFrom: string; rcptTo: string[] };
  subject: string;
  from: string;
  to: string;
  size: number;
  /** The header section, unfolded, in order (at most 200 fields). */
  headers: Array<{ name: string; value: string }>;
  /** The SMTP client that delivered it: its port names the connection in the capture. */
  deliveredBy: { address: string; port: number; tls: boolean; user: string | null };
  /** POP3 clients that retrieved it (RETR or TOP). */
  retrievedBy: Array<{ address: string; port: number; tls: boolean; at: string }>;
  /** Its attachments as MIME parsing finds them (decoded size and sha256), or why it could not be parsed. */
  attachments: Array<{ filename: string | null; mimeType: string; size: number; sha256: string }>;
  mimeProblem: string | null;
}

export interface LabCaptureState {
  /** 'capturing' (or 'stopped' after Ctrl+C), 'not-allowed' (no capture rights), 'failed' (another reason). */
  state: 'capturing' | 'stopped' | 'not-allowed' | 'failed';
  /** The capture open in the app, when capturing. */
  captureId: CaptureId | null;
  filter: string;
  iface: string | null;
  /** One sentence when not capturing: why, and how to grant capture rights. */
  message: string | null;
}

/** What `wirelens lab` runs, for the app's lab panels. */
export interface LabView {
  host: string;
  login: { user: string; password: string };
  services: LabService[];
  keyLogPath: string;
  certificatePath: string;
  capture: LabCaptureState;
  exercises: LabExercise[];
  messages: LabMessageSummary[];
}

/** What the renderer can ask. Every method returns a promise; events arrive through onEvent. */
export interface EngineApi {
  /** Captures currently open in this engine (browser mode opens the sample at start). */
  listCaptures(): Promise<CaptureInfo[]>;
  /** Open a file by path on the engine's machine (desktop: from the Open dialog). */
  openFile(path: string): Promise<CaptureInfo>;
  /** Open a file the user picked in the page (browser mode upload). */
  openUpload(name: string, bytesBase64: string): Promise<CaptureInfo>;
  /**
   * A chunked upload (browser mode): begin with the file's name and size, send its bytes in order in
   * chunks of at most UPLOAD_CHUNK_BYTES (base64), end to open it. One upload at a time per page; the
   * upload id is the page's own. Absent where the page's engine takes whole files (the desktop app).
   */
  beginUpload?(name: string, size: number): Promise<{ upload: string }>;
  uploadChunk?(upload: string, offset: number, bytesBase64: string): Promise<{ received: number }>;
  endUpload?(upload: string): Promise<CaptureInfo>;
  /** Forgets an unfinished upload and its bytes. */
  abortUpload?(upload: string): Promise<void>;
  getStatus(id: CaptureId): Promise<LoadStatus>;
  /** Set the display filter ('' clears). Rows are then numbered within the filtered view. */
  setFilter(id: CaptureId, filter: string): Promise<FilterResult>;
  /**
   * Decode As: re-open the same capture with these server ports forced to a protocol (Wireshark's
   * "Decode As…"); resolves with the new capture, which replaces the old one in the window.
   */
  decodeAs(id: CaptureId, rules: DecodeAsRule[]): Promise<CaptureInfo>;
  /**
   * Adds a TLS key log (NSS SSLKEYLOGFILE text) to the capture and re-opens it with every key log
   * given so far: resolves once it is read again, with what the key log gave and which connections
   * were decrypted. The new capture replaces the old one in the window.
   */
  loadKeyLog?(id: CaptureId, name: string, text: string): Promise<KeyLogResult>;
  /**
   * The whole capture as pcapng with the TLS keys of its decrypted sessions embedded (a Decryption
   * Secrets Block): one file Wireshark and Wirelens decrypt with no key log. Fails when no key matched.
   */
  saveWithTlsKeys?(id: CaptureId): Promise<{ filename: string; packets: number; keys: number; bytesBase64: string }>;
  /** Sort the packet list by a column (null: capture order), within the current display filter. */
  setSort(id: CaptureId, column: SortColumn | null, descending: boolean): Promise<FilterResult>;
  /** Where a frame sits in the current (filtered, sorted) view: its row index, or -1 if not shown. */
  rowOfFrame(id: CaptureId, frame: number): Promise<number>;
  /** Rows [start, start+count) of the current (filtered) view. */
  getPackets(id: CaptureId, start: number, count: number): Promise<PacketRow[]>;
  getPacketDetail(id: CaptureId, frame: number): Promise<PacketDetail>;
  getConnections(id: CaptureId): Promise<ConnectionRow[]>;
  getConnection(id: CaptureId, connection: number): Promise<ConnectionView>;
  follow(id: CaptureId, connection: number): Promise<FollowResult>;
  getCredentials(id: CaptureId): Promise<Credential[]>;
  /** Decoded attachment bytes of an SMTP/POP3 message (base64). */
  getAttachment(
    id: CaptureId,
    connection: number,
    message: number,
    attachment: number,
  ): Promise<{ name: string; type: string; bytesBase64: string }>;
  /** The bytes an FTP data connection carried (a downloaded or uploaded file, a listing), base64. */
  getTransfer(id: CaptureId, connection: number): Promise<{ direction: Direction; bytes: number; sha256: string; bytesBase64: string; truncated: boolean }>;
  /** Expert Information: every diagnostic and TCP analysis item, grouped by severity, group and summary. */
  getExpertInfo?(id: CaptureId): Promise<ExpertInfo>;
  /** Export Objects: HTTP bodies, mail messages (.eml) and their attachments, FTP-DATA files. */
  listExportObjects?(id: CaptureId): Promise<ExportObjectInfo[]>;
  getExportObject?(id: CaptureId, index: number): Promise<{ filename: string; contentType: string; bytesBase64: string }>;
  /** Export Specified Packets: the chosen packets as a pcap or pcapng file (with comments, pcapng), base64. */
  exportPackets?(id: CaptureId, selection: PacketSelection, format: 'pcap' | 'pcapng'): Promise<{ filename: string; packets: number; bytesBase64: string }>;
  /** File › Merge: the open captures as one new capture, in time order (as mergecap); it is opened and returned. */
  mergeCaptures?(ids: CaptureId[]): Promise<CaptureInfo>;
  /** Marks (Ctrl+M) or unmarks frames; resolves with every marked frame. */
  setMarked?(id: CaptureId, frames: number[], marked: boolean): Promise<number[]>;
  /** Time reference (Ctrl+T): sets or clears one; later packets' times count from the last reference before them. Resolves with every reference. */
  setTimeReference?(id: CaptureId, frame: number, on: boolean): Promise<number[]>;
  /** Sets a packet's comment ('' removes it); resolves with the comment now. */
  setPacketComment?(id: CaptureId, frame: number, comment: string): Promise<string | null>;
  /** Every packet comment (the file's pcapng comments and the user's edits). */
  getPacketComments?(id: CaptureId): Promise<Array<{ frame: number; comment: string }>>;
  /** Statistics: capture file properties (as capinfos), Protocol Hierarchy, Conversations (TCP, UDP, IP, IPv6) and Endpoints. */
  getStatistics?(id: CaptureId): Promise<CaptureStatistics>;
  /** IO Graph: frames and bytes per `interval` seconds for each display filter ('' is every packet; at most 6). */
  getIoGraph?(id: CaptureId, interval: number, filters: string[]): Promise<IoGraph>;
  /** TCP stream graphs of one connection, for the data one side sends (its segments, the peer's ACKs, RTT, throughput, window). */
  getTcpStreamGraph?(id: CaptureId, connection: number, direction: Direction): Promise<TcpStreamGraph>;
  listInterfaces(): Promise<InterfaceInfo[]>;
  startCapture(options: LiveCaptureOptions): Promise<CaptureInfo>;
  stopCapture(id: CaptureId): Promise<LoadStatus>;
  /**
   * The lab `wirelens lab` runs (servers, capture, received messages), or null when this engine
   * runs no lab. Only a lab's engine has it; elsewhere the call fails, which means the same.
   */
  getLab?(): Promise<LabView | null>;
  /** One received message's raw source (UTF-8, at most 1 MiB of it), by its uid from getLab. */
  getLabMessage?(uid: string): Promise<{ uid: string; raw: string; size: number; truncated: boolean }>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Method names callable over a transport (the allow-list for IPC and WebSocket). */
export const ENGINE_METHODS = [
  'listCaptures',
  'openFile',
  'openUpload',
  'beginUpload',
  'uploadChunk',
  'endUpload',
  'abortUpload',
  'getStatus',
  'setFilter',
  'setSort',
  'decodeAs',
  'loadKeyLog',
  'saveWithTlsKeys',
  'rowOfFrame',
  'getPackets',
  'getPacketDetail',
  'getConnections',
  'getConnection',
  'follow',
  'getCredentials',
  'getAttachment',
  'getTransfer',
  'getExpertInfo',
  'listExportObjects',
  'getExportObject',
  'exportPackets',
  'mergeCaptures',
  'setMarked',
  'setTimeReference',
  'setPacketComment',
  'getPacketComments',
  'getStatistics',
  'getIoGraph',
  'getTcpStreamGraph',
  'listInterfaces',
  'startCapture',
  'stopCapture',
  'getLab',
  'getLabMessage',
] as const satisfies ReadonlyArray<Exclude<keyof EngineApi, 'onEvent'>>;

export type EngineMethod = (typeof ENGINE_METHODS)[number];

/** IPC channel prefix (validated on both sides). */
export const IPC_PREFIX = 'wirelens:';

/** Wire format of the WebSocket transport (browser mode): one JSON message per frame. */
export interface RpcRequest {
  id: number;
  method: EngineMethod;
  params: unknown[];
}

export type RpcResponse = { id: number; result: unknown } | { id: number; error: string };

export interface RpcEventMessage {
  event: EngineEvent;
}

/** WebSocket path served by `wirelens serve` (same origin as the page; token as ?token= when required). */
export const WS_PATH = '/engine';

/**
 * Largest message the browser-mode server accepts (a bigger one closes the connection, code 1009):
 * room for an upload of 128 MiB, base64-encoded. The page's transport refuses bigger calls itself.
 */
export const WS_MAX_MESSAGE_BYTES = 176 * 1024 * 1024;

/** Largest chunk of a chunked upload (decoded bytes): one small message, quick to encode on the page. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;

/** What the Electron preload exposes on `window.wirelens` (contextBridge). */
export interface PreloadBridge {
  invoke(method: EngineMethod, params: unknown[]): Promise<unknown>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Native open dialog; resolves to the chosen path or null. */
  showOpenDialog(): Promise<string | null>;
  /** Native save dialog for exports; writes the given bytes atomically after confirmation. */
  saveFile(suggestedName: string, bytesBase64: string): Promise<boolean>;
}
