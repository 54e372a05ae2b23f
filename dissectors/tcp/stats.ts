/** Per-direction counters and the per-connection diagnostics derived from them (one per code, with a count). */
import { diag, type Diagnostic } from '../model/diagnostic';
import type { DirectionStats } from './types';

export function newDirectionStats(): DirectionStats {
  return {
    bytes: 0, gapBytes: 0, gaps: 0, segments: 0, payloadSegments: 0, retransmissions: 0,
    outOfOrder: 0, duplicateAcks: 0, zeroWindows: 0, keepAlives: 0, zeroWindowProbes: 0,
  };
}

const STAT_DIAGNOSTICS: Array<[keyof DirectionStats, string, Diagnostic['severity'], string]> = [
  ['retransmissions', 'tcp.segment.retransmission', 'note', 'retransmitted segment(s)'],
  ['outOfOrder', 'tcp.segment.out_of_order', 'note', 'out-of-order segment(s)'],
  ['duplicateAcks', 'tcp.ack.duplicate', 'note', 'duplicate ACK(s)'],
  ['zeroWindows', 'tcp.window.zero', 'note', 'zero-window advertisement(s)'],
  ['keepAlives', 'tcp.segment.keep_alive', 'chat', 'keep-alive(s)'],
  ['zeroWindowProbes', 'tcp.window.zero_probe', 'chat', 'zero-window probe(s)'],
];

export function statsDiagnostics(stats: { client: DirectionStats; server: DirectionStats }): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const dir of ['client', 'server'] as const) {
    const s = stats[dir];
    for (const [key, code, severity, what] of STAT_DIAGNOSTICS) {
      const n = s[key];
      if (n > 0) out.push(diag(code, severity, 'sequence', `${dir}: ${n} ${what}`));
    }
    if (s.gaps > 0)
      out.push(diag('tcp.segment.missing', 'warn', 'reassemble', `${dir}: ${s.gaps} gap(s), ${s.gapBytes} byte(s) never captured; the stream continues after them`));
  }
  return out;
}
