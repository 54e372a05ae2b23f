/** TCP flags and analysis flags of packets, from the packet index, for the views' colouring rules. */
import { bitsToAnalysis, PF_TCP } from '../../dissectors/analysis/packet-index';
import type { FrameMark, PacketRow } from '../../api/engine-api';
import type { CaptureSession } from './capture-session';

const SYN_FIN_RST = 0x07;

/** Row `i`'s colouring facts as optional PacketRow fields (absent when the packet is not TCP / has no analysis flag). */
export function rowMarks(s: CaptureSession, i: number): Pick<PacketRow, 'tcpFlags' | 'analysis'> {
  const idx = s.analyzer.index;
  if (!(idx.flags[i] & PF_TCP)) return {};
  const bits = idx.analysis[i];
  return bits ? { tcpFlags: idx.tcpFlags[i], analysis: bitsToAnalysis(bits) } : { tcpFlags: idx.tcpFlags[i] };
}

/** The frames (1-based, of one connection) that carry SYN, FIN or RST or an analysis flag. */
export function frameMarks(s: CaptureSession, frames: readonly number[]): FrameMark[] {
  const idx = s.analyzer.index;
  const out: FrameMark[] = [];
  for (const frame of frames) {
    const i = frame - 1;
    if (i < 0 || i >= idx.count) continue;
    const flags = idx.tcpFlags[i];
    const bits = idx.analysis[i];
    if (bits || flags & SYN_FIN_RST) out.push({ frame, tcpFlags: flags, analysis: bitsToAnalysis(bits) });
  }
  return out;
}
