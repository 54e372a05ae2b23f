/**
 * Per-packet dissection behind the packet index: decode → (IPv4 defragment) → TCP tracker →
 * per-connection protocol selector → ladders. Packets must come in file order *per flow*; the
 * caller keeps the index (the sequential Analyzer, or a worker that owns a share of the flows).
 */
import { laterHash } from '../app/later-hash';
import { finalizeMime } from '../app/mail/mime';
import type { MailMessage } from '../app/mail/message';
import { createProtocolSelector, initialChoice } from '../app/selector';
import type {
  AppContext,
  AppDissector,
  LaterHash,
  AppProtocol,
  AppResult,
  DataConnectionExpectation,
  ProtocolBy,
} from '../app/types';
import { diag, type Diagnostic } from '../model/diagnostic';
import { decodeTransport, PacketDecoder } from '../net/decode';
import { newTcpHeader } from '../net/transport';
import { Ipv4Defragmenter } from '../net/ipv4-defrag';
import type { DecodedPacket } from '../net/types';
import { createTcpTracker, newSegmentVerdict } from '../tcp/tracker';
import { budgetedDecompress } from '../app/http/decoding-budget';
import { LIMITS } from '../limits';
import { DEFAULT_REASSEMBLY_LIMITS } from '../tcp/types';
import type { ConnectionModel, Endpoint, StreamChunk, StreamConsumer, StreamGap, TcpSegment } from '../tcp/types';
import {
  analysisToBits,
  PF_FRAGMENT,
  PF_FROM_SERVER,
  PF_IP,
  PF_IPV6,
  PF_PAYLOAD,
  PF_PROBLEM,
  PF_TCP,
  PF_UDP,
} from './packet-index';
import type { AnalyzeOptions, RemoteApps, StreamDigest } from './types';

export interface ConnectionState {
  id: number;
  client: Endpoint;
  server: Endpoint;
  /** Created on the first byte (most connections of a SYN flood never get one). */
  selector: (AppDissector & { protocol(): AppProtocol; protocolBy(): ProtocolBy }) | null;
  /** Protocol by port/decode-as/data link, for connections that carried no data. */
  initial: { protocol: AppProtocol; by: ProtocolBy } | null;
  digests: { client: DigestState; server: DigestState };
  dataLink: DataConnectionExpectation | null;
  /** Final per-direction digests, set by finish(). */
  streams: { client: StreamDigest; server: StreamDigest } | null;
  /**
   * The streams ended (see Connection.endStreams): the application result was taken (until finish()
   * moves it into the output) and the selector let go; no dissector is made again.
   */
  ended?: boolean;
  result?: AppResult | null;
  /** Its application layer is dissected elsewhere (AnalyzeOptions.remoteApps): its streams go there. */
  remote?: boolean;
}

/** A LaterHash; `key` when the stream hasher computes it (see newHash). */
type StreamHash = LaterHash & { key?: number };

interface DigestState {
  /** Created on the first byte of the direction. */
  hash: StreamHash | null;
  /** Set when the hash is digested at the end. */
  sha256: string | null;
  bytes: number;
  gaps: number;
  gapBytes: number;
}

/** What the dissection of a whole capture (or of a worker's share of its flows) produced. */
export interface DissectionOutput {
  models: ConnectionModel[];
  states: ConnectionState[];
  apps: Array<AppResult | null>;
  diagnostics: Diagnostic[];
}

/** A dissection's output with what merging the outputs of several shares needs. */
export interface ShareOutput extends DissectionOutput {
  /** The frame that created each connection (by id). */
  createdAt: number[];
  /** The first `packetDiagnostics` diagnostics were noted while packets arrived, at these frames. */
  packetDiagnostics: number;
  diagnosticFrames: number[];
  /** Diagnostics beyond the cap, not listed. */
  diagnosticsDropped: number;
}

/** The per-packet columns of the packet index that dissection fills (reused: no allocation per packet). */
export interface PacketFields {
  flags: number;
  conn: number;
  relSeq: number;
  relAck: number;
  tcpFlags: number;
  analysis: number;
}

export function newPacketFields(): PacketFields {
  return { flags: 0, conn: -1, relSeq: 0, relAck: 0, tcpFlags: 0, analysis: 0 };
}

export const MAX_PACKET_DIAGNOSTICS = 1000;
const NO_PAYLOAD = new Uint8Array(0);

export interface LiveConnection {
  model: ConnectionModel;
  protocol: AppProtocol;
  protocolBy: ProtocolBy;
  bytes: number;
}

export class PacketDissector {
  private readonly defrag = new Ipv4Defragmenter();
  private readonly states: ConnectionState[] = [];
  private readonly expectations: DataConnectionExpectation[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private diagnosticsDropped = 0;
  /** Frame being dissected, and per noted diagnostic the frame it was noted at. */
  private frameNow = 0;
  private readonly diagnosticFrames: number[] = [];
  private readonly createdAt: number[] = [];
  private readonly tracker;
  /** Packet, segment and verdict objects filled again for every packet (none is kept past it). */
  private readonly decoder = new PacketDecoder();
  private readonly segment: TcpSegment = { frame: 0, time: 0, src: '', dst: '', tcp: newTcpHeader(), payload: new Uint8Array(0) };
  private readonly verdict = newSegmentVerdict();
  /** MIME finalisation started per message (see messageComplete). */
  private readonly mime = new Map<MailMessage, Promise<string | null>>();
  /** Connections being dissected now (a selector made or handed to the helper, streams not ended), and the most allowed. */
  private dissecting = 0;
  private readonly maxDissecting: number;
  /** Connections left undissected because `maxDissecting` were being dissected, and the frame of the first. */
  private undissected = 0;
  private firstUndissected = 0;
  /** The first frame that got no connection (LIMITS.connections reached), 0 while none. */
  private firstUntracked = 0;
  /** Where memory ran short (memoryRunsShort): its frame (0: it did not), and the dissections it ended. */
  private memoryShortFrame = 0;
  private endedEarly = 0;
  /** The host's decompress within this capture's content-decoding budget. */
  private readonly decompress: AnalyzeOptions['decompress'];
  /** Digests asked of the stream hasher (see newHash): its key, and where the digest goes; null once filled. */
  private laterUses: Array<[number, (sha256: string) => void]> | null = [];
  private nextHashKey = 0;

  constructor(private readonly options: AnalyzeOptions) {
    this.decompress = budgetedDecompress(options.decompress);
    this.maxDissecting = options.limits?.maxDissectedConnections ?? DEFAULT_REASSEMBLY_LIMITS.maxDissectedConnections;
    this.tracker = createTcpTracker({
      limits: options.limits,
      onConnection: (c) => {
        this.createdAt[c.id] = this.frameNow;
        return this.openConnection(c.id, c.client, c.server);
      },
    });
  }

  /** Dissects one packet (in file order within its flow); fills `out`. */
  dissect(frame: number, linkType: number, data: Uint8Array, time: number, out: PacketFields): void {
    this.frameNow = frame;
    let pkt: DecodedPacket = this.decoder.decode(linkType, data, frame);
    let flags = 0;
    out.conn = -1;
    out.relSeq = 0;
    out.relAck = 0;
    out.tcpFlags = 0;
    out.analysis = 0;
    if (pkt.ipVersion) flags |= PF_IP | (pkt.ipVersion === 6 ? PF_IPV6 : 0);
    if (pkt.fragment) {
      flags |= PF_FRAGMENT;
      const whole = this.defrag.add(pkt, frame, time);
      if (whole) pkt = { ...pkt, ...decodeTransport(pkt, whole.data) };
    }
    if (pkt.diagnostics.length) {
      for (const d of pkt.diagnostics) {
        if (d.severity === 'warn' || d.severity === 'error') flags |= PF_PROBLEM;
        this.noteDiagnostic(d);
      }
    }
    if (pkt.udp) flags |= PF_UDP;
    if (pkt.tcp && pkt.src !== undefined && pkt.dst !== undefined) {
      flags |= PF_TCP;
      const tcp = pkt.tcp;
      const seg = this.segment;
      seg.frame = frame;
      seg.time = time;
      seg.src = pkt.src;
      seg.dst = pkt.dst;
      seg.tcp = tcp;
      // Half the packets (ACKs) carry no payload: one empty view for all of them.
      seg.payload = tcp.payloadLength > 0 ? pkt.data.subarray(tcp.payloadOffset, tcp.payloadOffset + tcp.payloadLength) : NO_PAYLOAD;
      const v = this.tracker.add(seg, this.verdict);
      if (v.connectionId < 0 && !this.firstUntracked) this.firstUntracked = frame;
      out.conn = v.connectionId;
      out.relSeq = v.relSeq >>> 0;
      out.relAck = v.relAck >>> 0;
      out.tcpFlags = tcp.flags;
      if (v.analysis.length) out.analysis = analysisToBits(v.analysis);
      if (v.dir === 'server') flags |= PF_FROM_SERVER;
      if (tcp.payloadLength > 0) flags |= PF_PAYLOAD;
    }
    out.flags = flags;
  }

  /** Ends the pass; awaits async finalisation (MIME parsing). */
  async finish(): Promise<DissectionOutput> {
    const out = await this.finishShare();
    if (out.diagnosticsDropped) out.diagnostics.push(cappedNote(out.diagnosticsDropped));
    return out;
  }

  /**
   * Ends the pass without the "more diagnostics" note (a share's output, merged later). The output
   * is plain data — each selector replaced by its choice, no running hashes — so it can be posted
   * between threads.
   */
  async finishShare(): Promise<ShareOutput> {
    const models = this.tracker.finish();
    this.noteLimits();
    const packetDiagnostics = this.diagnostics.length;
    const apps: Array<AppResult | null> = [];
    for (const st of this.states) {
      for (const d of [st.digests.client, st.digests.server]) d.hash?.digest((sha) => (d.sha256 = sha));
    }
    if (this.options.streamHasher) {
      // Every digest asked for — streams', bodies', messages', files' — into what waits for it (before result()).
      const hashed = await this.options.streamHasher.digests();
      for (const [key, use] of this.laterUses ?? []) use(hashed.get(key) ?? EMPTY_SHA256);
      this.laterUses = null;
    }
    if (this.options.remoteApps) {
      const remote = await this.options.remoteApps.results();
      for (const st of this.states) {
        if (!st.remote) continue;
        const r = remote.get(st.id);
        st.result = r?.result ?? null;
        if (!r || r.failure) this.noteDiagnostic(diag('app.dissector.failed', 'error', 'malformed', r?.failure ?? `connection ${st.id}: no result came back from the helper thread`));
      }
    }
    for (const st of this.states) {
      st.streams = { client: digestOf(st.digests.client), server: digestOf(st.digests.server) };
      // Every connection's streams ended in tracker.finish(): its result was taken then.
      if (st.selector) this.streamsEnded(st);
      if (!st.initial) {
        const c = initialChoice(st.server.port, this.selectorOptions(st));
        st.initial = { protocol: c.protocol, by: c.by };
      }
      apps.push(st.result ?? null);
      delete st.result;
      st.digests.client.hash = null;
      st.digests.server.hash = null;
    }
    await finalizeAll(apps, this.options, this.mime);
    linkFtpTransfers(apps, this.states);
    for (const d of this.defrag.flush?.() ?? []) this.noteDiagnostic(d);
    return {
      models,
      states: this.states,
      apps,
      diagnostics: this.diagnostics,
      createdAt: this.createdAt,
      packetDiagnostics,
      diagnosticFrames: this.diagnosticFrames.slice(0, packetDiagnostics),
      diagnosticsDropped: this.diagnosticsDropped,
    };
  }

  /**
   * Connections so far, while packets still arrive (live capture): models summarised as if the
   * capture ended now, the protocol chosen for each and its stream byte counts. The pass goes on.
   */
  snapshot(): LiveConnection[] {
    const models = this.tracker.snapshot();
    return models.map((model) => {
      const st = this.states[model.id];
      const choice = this.choiceOf(st);
      return {
        model,
        protocol: choice.protocol,
        protocolBy: choice.by,
        bytes: (st?.digests.client.bytes ?? 0) + (st?.digests.server.bytes ?? 0),
      };
    });
  }

  /** The protocol of each connection so far (cheap: no model copies), for the live packet list. */
  liveProtocols(): AppProtocol[] {
    const out: AppProtocol[] = [];
    for (let id = 0; id < this.tracker.connectionCount; id++) out.push(this.choiceOf(this.states[id]).protocol);
    return out;
  }

  private choiceOf(st: ConnectionState | undefined): { protocol: AppProtocol; by: ProtocolBy } {
    if (st?.selector) return { protocol: st.selector.protocol(), by: st.selector.protocolBy() };
    if (st?.initial) return st.initial;
    return st ? initialChoice(st.server.port, this.selectorOptions(st)) : { protocol: 'unknown', by: 'port' };
  }

  /** Connections seen so far. */
  get connectionCount(): number {
    return this.tracker.connectionCount;
  }

  /**
   * Memory runs short (the host measures it, LIMITS.memory): no new connection is tracked from now
   * on, and every dissection running ends here with what it found — its handler, buffers and kept
   * bodies are let go — so a hostile capture degrades the load instead of ending it.
   */
  memoryRunsShort(): void {
    if (this.memoryShortFrame) return;
    this.memoryShortFrame = this.frameNow + 1; // (called before the next packet is dissected)
    this.tracker.stopNewConnections();
    for (const st of this.states) {
      if (!st?.selector || st.ended) continue;
      this.streamsEnded(st);
      this.endedEarly++;
    }
  }

  /** Says which resource limits the capture reached (first among the diagnostics, whatever their cap). */
  private noteLimits(): void {
    const notes: Diagnostic[] = [];
    const untracked = this.tracker.untrackedPackets;
    const frames: number[] = [];
    if (this.memoryShortFrame) {
      const f = this.memoryShortFrame;
      notes.push(diag('capture.limit.memory', 'warn', 'capture', `${LIMITS.memory.message} (from frame ${f}: ${this.endedEarly} dissections ended there, ${this.tracker.connectionCount} connections tracked in all, ${untracked} later packets without a connection)`, f));
      frames.push(f);
    } else if (untracked) {
      notes.push(diag('capture.limit.connections', 'warn', 'capture', `${LIMITS.connections.message} (${this.tracker.connectionCount} connections tracked; ${untracked} later packets have no connection)`, this.firstUntracked));
      frames.push(this.firstUntracked);
    }
    if (this.undissected) {
      notes.push(diag('capture.limit.dissected', 'warn', 'capture', `${LIMITS.dissectedConnections.message} (${this.undissected} connections not dissected)`, this.firstUndissected));
      frames.push(this.firstUndissected);
    }
    if (!notes.length) return;
    this.diagnostics.unshift(...notes);
    this.diagnosticFrames.unshift(...frames);
  }

  private noteDiagnostic(d: Diagnostic): void {
    if (this.diagnostics.length < MAX_PACKET_DIAGNOSTICS) {
      this.diagnostics.push(d);
      this.diagnosticFrames.push(this.frameNow);
    }
    else this.diagnosticsDropped++;
  }

  private openConnection(id: number, client: Endpoint, server: Endpoint): StreamConsumer {
    const st: ConnectionState = {
      id,
      client,
      server,
      selector: null,
      initial: null,
      digests: { client: newDigest(), server: newDigest() },
      dataLink: this.matchExpectation(client, server),
      streams: null,
    };
    this.states[id] = st;
    return digestingConsumer(st, () => this.newHash(), () => this.ensureSelector(st), () => this.streamsEnded(st), this.options.remoteApps ?? null);
  }

  /**
   * A connection's streams are over (both FINs delivered, or the end): its dissector has ended, so
   * its result is taken now and the selector (its handler, buffers, collectors) let go — instead of
   * holding every connection's until the end of the capture.
   */
  private streamsEnded(st: ConnectionState): void {
    if (!st.ended && (st.selector || st.remote)) this.dissecting--;
    st.ended = true;
    const selector = st.selector;
    if (!selector) return;
    try {
      st.result = selector.result();
    } catch (e) {
      st.result = null;
      this.noteDiagnostic(diag('app.dissector.failed', 'error', 'malformed', `connection ${st.id}: ${String(e)}`));
    }
    st.initial = { protocol: selector.protocol(), by: selector.protocolBy() };
    st.selector = null;
  }

  /** The application dissector of a connection, made when its first byte (or gap) arrives. */
  private ensureSelector(st: ConnectionState): void {
    if (st.selector || st.remote || st.ended || (this.options.onlyConnections && !this.options.onlyConnections.has(st.id))) return;
    if (this.dissecting >= this.maxDissecting) {
      // Past the limit: reassembled, counted and hashed, but its protocol is not dissected.
      st.ended = true;
      if (!this.undissected++) this.firstUndissected = this.frameNow;
      return;
    }
    this.dissecting++;
    const remote = this.options.remoteApps;
    if (remote) {
      // Connections whose protocol is known before their first byte (by the server port, or as an
      // announced FTP data connection) may be dissected elsewhere — never an FTP control connection:
      // it announces data connections this thread must know of at once.
      const choice = initialChoice(st.server.port, this.selectorOptions(st));
      const known = choice.by === 'port' && choice.protocol !== 'ftp' && choice.protocol !== 'unknown';
      if (known && remote.open(st.id, { client: st.client, server: st.server, protocol: choice.protocol, implicitTls: choice.implicitTls, dataExpectation: st.dataLink })) {
        st.remote = true;
        st.initial = { protocol: choice.protocol, by: choice.by };
        return;
      }
    }
    const h = this.options.hashes;
    const ctx: AppContext = {
      connection: { id: st.id, client: st.client, server: st.server },
      sha256: h.sha256,
      md5: h.md5,
      laterSha256: () => this.newHash(),
      decompress: this.decompress,
      messageStage: this.options.messageStage,
      tls: this.options.tls,
      expectDataConnection: (e) => this.expectations.push(e),
      messageComplete: (m) => {
        // Parse each message's MIME as soon as it is complete, so its raw bytes are released now
        // rather than every message of the capture being held until finish().
        if (!this.mime.has(m)) this.mime.set(m, finalizeMime(m, h, Boolean(this.options.keepPayloads), this.options.parseMime));
      },
    };
    st.selector = createProtocolSelector(ctx, this.selectorOptions(st));
  }

  /**
   * A stream's, body's, message's or file's sha256: computed by the stream hasher (a helper thread)
   * under a key of its own and filled in at the end when there is one, else here at once.
   */
  private newHash(): StreamHash {
    const hasher = this.options.streamHasher;
    if (!hasher) return laterHash(this.options.hashes);
    const key = this.nextHashKey++;
    return {
      key,
      update: (b) => hasher.update(key, b),
      digest: (use) => {
        if (!this.laterUses) throw new Error('a digest was asked for after the helper thread had answered');
        this.laterUses.push([key, use]);
      },
    };
  }

  private selectorOptions(st: ConnectionState) {
    return { decodeAs: this.options.decodeAs, dataExpectation: st.dataLink, keepPayloads: this.options.keepPayloads };
  }

  private matchExpectation(client: Endpoint, server: Endpoint): DataConnectionExpectation | null {
    for (let k = this.expectations.length - 1; k >= 0; k--) {
      const e = this.expectations[k];
      if (e.port !== server.port) continue;
      if (e.host !== null && e.host !== server.ip) continue;
      if (e.host === null) {
        const ctl = this.states[e.controlConnection];
        if (ctl && ctl.server.ip !== server.ip && ctl.client.ip !== server.ip) continue;
      }
      this.expectations.splice(k, 1);
      return e;
    }
    void client;
    return null;
  }
}

function newDigest(): DigestState {
  return { hash: null, sha256: null, bytes: 0, gaps: 0, gapBytes: 0 };
}

function digestingConsumer(st: ConnectionState, newHash: () => StreamHash, ensureSelector: () => void, ended: () => void, remote: RemoteApps | null): StreamConsumer {
  return {
    onData(chunk: StreamChunk) {
      const d = st.digests[chunk.dir];
      d.bytes += chunk.bytes.length;
      if (!st.selector && !st.remote) ensureSelector();
      const hash = (d.hash ??= newHash());
      if (st.remote) {
        // Dissected elsewhere: the bytes go there once, for the stream hash too when it is computed there.
        const key = hash.key ?? null;
        if (key === null) hash.update(chunk.bytes);
        remote!.data(st.id, chunk, key);
        return;
      }
      hash.update(chunk.bytes);
      st.selector?.onData(chunk);
    },
    onGap(gap: StreamGap) {
      const d = st.digests[gap.dir];
      d.gaps++;
      d.gapBytes += gap.length;
      if (!st.selector && !st.remote) ensureSelector();
      if (st.remote) remote!.gap(st.id, gap);
      else st.selector?.onGap(gap);
    },
    onEnd() {
      if (st.remote) remote!.end(st.id);
      else st.selector?.onEnd();
      ended();
    },
  };
}

export function cappedNote(dropped: number): Diagnostic {
  return diag('capture.diagnostics.capped', 'note', 'capture', `${dropped} more diagnostics not listed`);
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A direction's digest once its hash was digested (a direction without bytes has the empty one). */
export function digestOf(d: { sha256: string | null; bytes: number; gaps: number; gapBytes: number }): StreamDigest {
  return { bytes: d.bytes, sha256: d.sha256 ?? EMPTY_SHA256, gaps: d.gaps, gapBytes: d.gapBytes };
}

/** Parses (or awaits the parsing started of) every message's MIME; a message that fails is noted in its connection's diagnostics. */
async function finalizeAll(apps: Array<AppResult | null>, options: AnalyzeOptions, started: Map<MailMessage, Promise<string | null>>): Promise<void> {
  for (const app of apps) if (app) await finalizeMessages(app, options, started);
  started.clear();
}

/** finalizeAll for one connection's result (the parses it awaits are dropped from `started`). */
export async function finalizeMessages(app: AppResult, options: Pick<AnalyzeOptions, 'hashes' | 'keepPayloads' | 'parseMime'>, started: Map<MailMessage, Promise<string | null>>): Promise<void> {
  const smtp = app.summary.smtp as { messages?: MailMessage[] } | undefined;
  const pop3 = app.summary.pop3 as { retrieved?: MailMessage[] } | undefined;
  for (const m of [...(smtp?.messages ?? []), ...(pop3?.retrieved ?? [])]) {
    const problem = await (started.get(m) ?? finalizeMime(m, options.hashes, Boolean(options.keepPayloads), options.parseMime));
    started.delete(m);
    if (problem) app.diagnostics.push(diag('mail.mime.unparsed', 'warn', 'malformed', problem, m.frame));
  }
}

/** Fill ftp.transfers[].dataConnection from the data connections that matched an expectation. */
function linkFtpTransfers(apps: Array<AppResult | null>, states: ConnectionState[]): void {
  for (const st of states) {
    if (!st || !st.dataLink) continue;
    const ctl = apps[st.dataLink.controlConnection];
    const ftp = ctl?.summary.ftp as { transfers?: Array<{ frame?: number; port?: number; dataConnection?: number | null }> } | undefined;
    const t = ftp?.transfers?.find((x) => x.port === st.dataLink!.port && (x.dataConnection ?? null) === null);
    if (t) t.dataConnection = st.id;
  }
}

