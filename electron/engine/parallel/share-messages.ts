/** Messages between the loading thread and the analysis workers (see parallel-analysis.ts). */
import type { ShareOutput } from '../../../dissectors/analysis/packet-dissector';
import type { AppProtocol } from '../../../dissectors/app/types';
import type { ReassemblyLimits } from '../../../dissectors/tcp/types';

/** Options a worker's dissector is made with (the hashes and decompressors are its own). */
export interface ShareOptions {
  decodeAs?: Map<number, AppProtocol>;
  limits?: Partial<ReassemblyLimits>;
  keepPayloads?: boolean;
}

/**
 * A batch's columns: entry k < count of each is packet k, bytes[offsets[k] … offsets[k+1]) its
 * bytes. They are transferred to the worker and back, and reused for later batches.
 */
export interface BatchColumns {
  frames: Uint32Array;
  linkTypes: Uint16Array;
  times: Float64Array;
  offsets: Uint32Array;
  bytes: Uint8Array;
}

/** A batch of packets of one share, in file order (the first `count` entries of its columns). */
export interface PacketBatch extends BatchColumns {
  type: 'batch';
  id: number;
  count: number;
}

/** The buffers to transfer with a batch's columns. */
export function columnBuffers(c: BatchColumns): ArrayBuffer[] {
  return [c.frames.buffer, c.linkTypes.buffer, c.times.buffer, c.offsets.buffer, c.bytes.buffer] as ArrayBuffer[];
}

export type ToWorker = PacketBatch | { type: 'finish' };

/** Per packet of a batch, FIELDS numbers: flags, conn, relSeq, relAck, tcpFlags, analysis. */
export const FIELDS = 6;

export type FromWorker =
  /** `columns`: the batch's columns, handed back (transferred) to carry a later batch. */
  | { type: 'batch'; id: number; fields: Int32Array; connections: number; columns: BatchColumns }
  /** Connections from..from+models.length-1 of the share's output, sent in slices before 'finished'. */
  | { type: 'connections'; from: number; models: ShareOutput['models']; states: ShareOutput['states']; apps: ShareOutput['apps'] }
  /** The rest of the output (its models, states and apps arrays empty: they came in slices). */
  | { type: 'finished'; output: ShareOutput }
  | { type: 'failed'; message: string };
