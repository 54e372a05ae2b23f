/**
 * What the streaming reader asks of a format: how long the next unit (file header, record, block)
 * is once its header is in hand, and how to parse a whole unit.
 */
import type { Diagnostic } from '../model/diagnostic';
import type { CaptureRecord, CaptureSummary } from './types';

export interface UnitParser {
  /** Bytes needed at `pos` to know the next unit's length. */
  headerBytes(): number;
  /** Total length of the unit starting at pos, or -1 when the file cannot go on (diagnostic recorded). */
  unitLength(buf: Uint8Array, dv: DataView, pos: number): number;
  /** Parse one whole unit; emit records through the sink. */
  parseUnit(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number): void;
  readonly summary: CaptureSummary;
}

export type RecordSink = (record: CaptureRecord) => void;

/** Largest record/block accepted; a header claiming more is a lie (Wireshark's limit is 256 MiB too). */
export const MAX_UNIT_BYTES = 256 * 1024 * 1024;

export function newSummary(format: CaptureSummary['format']): CaptureSummary {
  return { format, linkTypes: [], interfaces: [], packets: 0, truncated: false, comments: [], sections: 0, diagnostics: [] };
}

export function noteLinkType(s: CaptureSummary, linkType: number): void {
  if (!s.linkTypes.includes(linkType)) s.linkTypes.push(linkType);
}

/** Per-record diagnostics are capped so a broken file cannot grow the summary without bound. */
export const MAX_READER_DIAGNOSTICS = 200;

export function noteDiagnostic(s: CaptureSummary, d: Diagnostic): void {
  if (s.diagnostics.length < MAX_READER_DIAGNOSTICS) s.diagnostics.push(d);
}
