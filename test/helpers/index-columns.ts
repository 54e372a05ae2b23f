import type { PacketIndex } from '../../dissectors/analysis/packet-index';

/** Every row's values of the packet index, column by column (stored columns and derived ones alike). */
export function indexColumns(ix: PacketIndex): Record<string, number[]> {
  const rows = Array.from({ length: ix.count }, (_, i) => i);
  const stored = { capLen: ix.capLen, time: ix.time, conn: ix.conn, relSeq: ix.relSeq, relAck: ix.relAck, tcpFlags: ix.tcpFlags, analysis: ix.analysis, flags: ix.flags };
  const out: Record<string, number[]> = {};
  for (const [name, column] of Object.entries(stored)) out[name] = Array.from(column.subarray(0, ix.count));
  out.fileOffset = rows.map((i) => ix.offsetOf(i));
  out.origLen = rows.map((i) => ix.origLenOf(i));
  out.iface = rows.map((i) => ix.ifaceOf(i));
  out.linkType = rows.map((i) => ix.linkTypeOf(i));
  return out;
}
