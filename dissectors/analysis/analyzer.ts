/**
 * The one sequential pass: capture records in, packet index + per-connection results out.
 * The index is kept here; each packet's dissection is the PacketDissector's.
 */
import type { CaptureRecord } from '../capture/types';
import type { AppProtocol } from '../app/types';
import { formatEndpoint } from './endpoint';
import { RecordIndexer, type PacketIndex } from './packet-index';
import { newPacketFields, PacketDissector, type DissectionOutput, type LiveConnection } from './packet-dissector';
import type { AnalyzeOptions } from './types';

export { EMPTY_SHA256, digestOf, type ConnectionState, type LiveConnection } from './packet-dissector';

export interface AnalyzerOutput extends DissectionOutput {
  index: PacketIndex;
  /** Absolute time of the first packet. */
  base: { sec: number; nsec: number } | null;
}

export class Analyzer {
  private readonly rows = new RecordIndexer();
  readonly index = this.rows.index;
  private readonly dissector: PacketDissector;
  private readonly fields = newPacketFields();

  constructor(options: AnalyzeOptions) {
    this.dissector = new PacketDissector(options);
  }

  /** Feed one record (in file order). */
  add(rec: CaptureRecord): void {
    const row = this.rows.push(rec);
    const time = this.rows.time;
    const f = this.fields;
    this.dissector.dissect(rec.frame, rec.linkType, rec.data, time, f);
    storeFields(this.index, row, f);
  }

  /** Ends the pass; awaits async finalisation (MIME parsing). */
  async finish(): Promise<AnalyzerOutput> {
    const out = await this.dissector.finish();
    return { ...out, index: this.index, base: this.rows.base };
  }

  /** Connections so far, while packets still arrive (live capture); the pass goes on. */
  snapshot(): LiveConnection[] {
    return this.dissector.snapshot();
  }

  /** The protocol of each connection so far (cheap: no model copies), for the live packet list. */
  liveProtocols(): AppProtocol[] {
    return this.dissector.liveProtocols();
  }

  /** Connections seen so far. */
  get connectionCount(): number {
    return this.dissector.connectionCount;
  }

  /** The host's memory runs short: stop dissecting (see PacketDissector.memoryRunsShort). */
  memoryRunsShort(): void {
    this.dissector.memoryRunsShort();
  }

  /** Absolute time of the first packet, once one arrived. */
  get baseTime(): { sec: number; nsec: number } | null {
    return this.rows.base;
  }
}

/** Writes one packet's dissection into row i of the index. */
export function storeFields(index: PacketIndex, i: number, f: { flags: number; conn: number; relSeq: number; relAck: number; tcpFlags: number; analysis: number }): void {
  index.flags[i] = f.flags;
  index.conn[i] = f.conn;
  index.relSeq[i] = f.relSeq;
  index.relAck[i] = f.relAck;
  index.tcpFlags[i] = f.tcpFlags;
  index.analysis[i] = f.analysis;
}

export { formatEndpoint };
