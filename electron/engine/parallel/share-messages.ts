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

/** A batch of packets of one share, in file order; bytes[offsets[k] … offsets[k+1]) is packet k. */
export interface PacketBatch {
  type: 'batch';
  id: number;
  count: number;
  frames: Uint32Array;
  linkTypes: Uint16Array;
  times: Float64Array;
  offsets: Uint32Array;
  bytes: Uint8Array;
}

export type ToWorker = PacketBatch | { type: 'finish' };

/** Per packet of a batch, FIELDS numbers: flags, conn, relSeq, relAck, tcpFlags, analysis. */
export const FIELDS = 6;

export type FromWorker =
  /** `bytes`: the batch's bytes, handed back (transferred) to carry the next batch. */
  | { type: 'batch'; id: number; fields: Int32Array; connections: number; bytes: Uint8Array }
  /** Connections from..from+models.length-1 of the share's output, sent in slices before 'finished'. */
  | { type: 'connections'; from: number; models: ShareOutput['models']; states: ShareOutput['states']; apps: ShareOutput['apps'] }
  /** The rest of the output (its models, states and apps arrays empty: they came in slices). */
  | { type: 'finished'; output: ShareOutput }
  | { type: 'failed'; message: string };
