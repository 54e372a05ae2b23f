/**
 * Messages between the loading thread and its helper thread (see offload-client.ts). Bytes to hash
 * travel in batches: records of [key u32 LE][length u32 LE][bytes], in the order they were hashed —
 * or, for bytes that are still where they lie in the capture file (a packet's payload, read in
 * this chunk), [key u32 LE][length | RANGE_FLAG u32 LE][file offset: low u32 LE, high u32 LE]: the
 * helper reads them from the file itself (see 'file').
 */
import type { RemoteAppResult } from '../../../dissectors/analysis/types';
import type { MimeOutcome } from '../../../dissectors/app/mail/mime';

export const BATCH_HEADER = 8;
/** Set in a record's length: the record names a range of the capture file instead of carrying bytes. */
export const RANGE_FLAG = 0x80000000;
/** A range record's size (header and file offset). */
export const RANGE_RECORD = 16;

export type ToHelper =
  /** Range records refer to the file open as this descriptor (the loading thread's, which it closes). */
  | { type: 'file'; fd: number }
  | { type: 'hash'; batch: Uint8Array; used: number }
  | { type: 'mime'; id: number; pieces: Uint8Array[] }
  | { type: 'digests' }
  /** The results of the connections dissected there (see remote-apps.ts), after the last batch. */
  | { type: 'apps' }
  /** Make buffers of these sizes, write to every page of them, and hand them over (see PacketIndex.adopt). */
  | { type: 'columns'; id: number; sizes: number[]; touched: number[] };

export type FromHelper =
  | { type: 'hashed'; batch: Uint8Array }
  | ({ type: 'mime'; id: number } & MimeOutcome)
  /** A message's pieces that were whole stages (MESSAGE_STAGE_BYTES), free again once the message was joined. */
  | { type: 'stages'; buffers: Uint8Array[] }
  | { type: 'digests'; entries: Array<[number, string]> }
  /** A connection dissected there: its result. */
  | ({ type: 'app'; id: number } & RemoteAppResult)
  /** Every result was sent. */
  | { type: 'apps' }
  | { type: 'columns'; id: number; buffers: ArrayBuffer[] }
  | { type: 'failed'; message: string };

/** The worker thread's role (its workerData): the same worker bundle also dissects flow shares. */
export const HELPER_ROLE = 'offload';
