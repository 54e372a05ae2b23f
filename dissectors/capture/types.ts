import type { Diagnostic } from '../model/diagnostic';

export type CaptureFormat = 'pcap' | 'pcapng';

/**
 * One packet record as read from a capture file. `data` is a view that is only valid during the
 * callback that receives it (the reader reuses its buffers): copy what you keep.
 */
export interface CaptureRecord {
  /** 1-based frame number. */
  frame: number;
  /** Byte offset of the packet data (not the record header) in the (decompressed) file. */
  fileOffset: number;
  capLen: number;
  origLen: number;
  /** Absolute timestamp: whole seconds since the epoch and nanoseconds within that second. */
  tsSec: number;
  tsNsec: number;
  linkType: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
  data: Uint8Array;
  /** pcapng opt_comment of this packet, if any. */
  comment?: string;
}

export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (1e6 for microseconds, 1e9 for nanoseconds, ...). */
  tsUnitsPerSec: number;
  tsOffsetSec: number;
  /**
   * What the capturing program recorded about this interface when it stopped (pcapng Interface
   * Statistics Block; the last one wins). Each count is null when the block did not carry it.
   */
  stats?: InterfaceStatistics;
}

export interface InterfaceStatistics {
  /** isb_ifrecv: packets the interface received since the capture began. */
  received: number | null;
  /** isb_ifdrop: packets dropped by the interface or its kernel buffer (lack of resources). */
  dropped: number | null;
  /** isb_osdrop: packets the operating system dropped before handing them to the capture program. */
  osDropped: number | null;
  /** isb_filteraccept: packets the capture filter accepted. */
  filterAccepted: number | null;
  /** isb_usrdeliv: packets delivered to the capture program. */
  delivered: number | null;
}

export interface CaptureSummary {
  format: CaptureFormat;
  /** Link types seen, in order of first appearance. */
  linkTypes: number[];
  interfaces: CaptureInterface[];
  packets: number;
  /** True when the file ended in the middle of a record or block. */
  truncated: boolean;
  /** Section / file comments (pcapng shb comments). */
  comments: string[];
  sections: number;
  diagnostics: Diagnostic[];
}

/** Thrown by the reader (once, before any packet) when the bytes are not a capture file. */
export class NotACaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotACaptureError';
  }
}

export interface CaptureReaderHooks {
  onRecord(record: CaptureRecord): void;
  /** A pcapng Decryption Secrets Block: its secrets type (0x544c534b: a TLS key log) and bytes (a view, valid during the call). */
  onSecrets?(secretsType: number, data: Uint8Array): void;
}

/** A push parser: feed chunks of the file in order, then call end(). */
export interface CaptureReader {
  push(chunk: Uint8Array): void;
  /** Finishes the file; returns the summary (packets counted, truncation, diagnostics). */
  end(): CaptureSummary;
  /** Summary so far (for progress while reading). */
  summary(): CaptureSummary;
}
