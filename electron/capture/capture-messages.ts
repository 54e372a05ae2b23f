/**
 * What the capture process tells its parent, one JSON object per line on stdout
 * (`wirelens capture --status-json`). The parent parses with parseCaptureMessage, which rejects
 * anything that is not one of these shapes.
 */
export type CaptureMessage =
  | { event: 'started'; file: string; linkType: number; linkTypeName: string; iface: string; filter: string }
  | ({ event: 'stats' } & CaptureCounts)
  | { event: 'error'; message: string }
  | ({ event: 'stopped' } & CaptureCounts);

export interface CaptureCounts {
  packets: number;
  bytes: number;
  /** The interface's own counters since the start (Linux), null elsewhere. */
  ifReceived: number | null;
  ifDropped: number | null;
  /** Packets the capture's kernel buffer dropped, when the capturing program reports it (dumpcap does, at the end). */
  kernelDropped?: number | null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export function parseCaptureMessage(line: string): CaptureMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const m = v as Record<string, unknown>;
  switch (m.event) {
    case 'started':
      return isStr(m.file) && isNum(m.linkType) && isStr(m.linkTypeName) && isStr(m.iface) && isStr(m.filter)
        ? { event: 'started', file: m.file, linkType: m.linkType, linkTypeName: m.linkTypeName, iface: m.iface, filter: m.filter }
        : null;
    case 'stats':
    case 'stopped':
      if (!(isNum(m.packets) && isNum(m.bytes) && isNumOrNull(m.ifReceived) && isNumOrNull(m.ifDropped))) return null;
      if (m.kernelDropped !== undefined && !isNumOrNull(m.kernelDropped)) return null;
      return {
        event: m.event,
        packets: m.packets,
        bytes: m.bytes,
        ifReceived: m.ifReceived,
        ifDropped: m.ifDropped,
        ...(m.kernelDropped !== undefined ? { kernelDropped: m.kernelDropped } : {}),
      };
    case 'error':
      return isStr(m.message) ? { event: 'error', message: m.message } : null;
    default:
      return null;
  }
}
