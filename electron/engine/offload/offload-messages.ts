/**
 * Messages between the loading thread and its helper thread (see offload-client.ts). Bytes to hash
 * travel in batches: records of [key u32 LE][length u32 LE][bytes], in the order they were hashed.
 */
import type { MimeOutcome } from '../../../dissectors/app/mail/mime';

export const BATCH_HEADER = 8;

export type ToHelper =
  | { type: 'hash'; batch: Uint8Array; used: number }
  | { type: 'mime'; id: number; raw: Uint8Array }
  | { type: 'digests' };

export type FromHelper =
  | { type: 'hashed'; batch: Uint8Array }
  | ({ type: 'mime'; id: number } & MimeOutcome)
  | { type: 'digests'; entries: Array<[number, string]> }
  | { type: 'failed'; message: string };

/** The worker thread's role (its workerData): the same worker bundle also dissects flow shares. */
export const HELPER_ROLE = 'offload';
