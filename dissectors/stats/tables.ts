/**
 * Conversation, endpoint and protocol-hierarchy tables filled frame by frame, as tshark's
 * `-z conv,…`, `-z endpoints,…` and `-z io,phs` count them: frame bytes (length on the wire),
 * a conversation's A side is the source of its first frame.
 */
import type { ConversationRow, EndpointRow, HierarchyNode } from './types';

/** Most rows one table keeps (a scan of a /16 makes a row per address pair). */
export const MAX_STAT_ROWS = 200_000;

export class ConversationTable {
  private readonly rows: ConversationRow[] = [];
  private readonly byKey = new Map<string, number>();
  truncated = false;

  /** Counts one frame from `src` to `dst` (already formatted addresses) of `length` bytes carrying `payload` bytes. */
  add(
    src: string,
    dst: string,
    length: number,
    payload: number,
    time: number,
    frame: number,
    connection = -1,
  ): void {
    const key = src < dst ? `${src} ${dst}` : `${dst} ${src}`;
    let i = this.byKey.get(key);
    if (i === undefined) {
      if (this.rows.length >= MAX_STAT_ROWS) {
        this.truncated = true;
        return;
      }
      i = this.rows.length;
      this.byKey.set(key, i);
      this.rows.push({
        a: src,
        b: dst,
        framesAtoB: 0,
        bytesAtoB: 0,
        framesBtoA: 0,
        bytesBtoA: 0,
        payloadAtoB: 0,
        payloadBtoA: 0,
        start: time,
        duration: 0,
        firstFrame: frame,
        connection,
      });
    }
    const r = this.rows[i];
    if (src === r.a) {
      r.framesAtoB++;
      r.bytesAtoB += length;
      r.payloadAtoB += payload;
    } else {
      r.framesBtoA++;
      r.bytesBtoA += length;
      r.payloadBtoA += payload;
    }
    if (time - r.start > r.duration) r.duration = time - r.start;
    if (r.connection < 0 && connection >= 0) r.connection = connection;
  }

  list(): ConversationRow[] {
    return this.rows;
  }
}

/** Endpoints from address conversations: each side's sent (A→B) and received frames, as tshark's endpoint table. */
export function endpointsOf(conversations: readonly ConversationRow[]): EndpointRow[] {
  const map = new Map<string, EndpointRow>();
  const get = (address: string): EndpointRow => {
    let e = map.get(address);
    if (!e)
      map.set(
        address,
        (e = { address, packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0 }),
      );
    return e;
  };
  for (const c of conversations) {
    const a = get(c.a);
    const b = get(c.b);
    a.txPackets += c.framesAtoB;
    a.txBytes += c.bytesAtoB;
    a.rxPackets += c.framesBtoA;
    a.rxBytes += c.bytesBtoA;
    b.txPackets += c.framesBtoA;
    b.txBytes += c.bytesBtoA;
    b.rxPackets += c.framesAtoB;
    b.rxBytes += c.bytesAtoB;
  }
  const out = [...map.values()];
  for (const e of out) {
    e.packets = e.txPackets + e.rxPackets;
    e.bytes = e.txBytes + e.rxBytes;
  }
  return out.sort((x, y) => y.packets - x.packets || (x.address < y.address ? -1 : 1));
}

/** Protocol Hierarchy: every frame counted at each protocol of its stack (eth › ip › tcp › smtp). */
export class HierarchyTable {
  readonly roots: HierarchyNode[] = [];

  add(path: readonly string[], length: number): void {
    let level = this.roots;
    for (const protocol of path) {
      let node = level.find((n) => n.protocol === protocol);
      if (!node) level.push((node = { protocol, frames: 0, bytes: 0, children: [] }));
      node.frames++;
      node.bytes += length;
      level = node.children;
    }
  }
}

/** The hierarchy as tshark prints it: "path frames bytes" lines, depth-first, e.g. ["eth", 72, 6899], ["eth:ip", 72, 6899]. */
export function flattenHierarchy(
  nodes: readonly HierarchyNode[],
  prefix = '',
): Array<{ path: string; frames: number; bytes: number }> {
  const out: Array<{ path: string; frames: number; bytes: number }> = [];
  for (const n of nodes) {
    const path = prefix ? `${prefix}:${n.protocol}` : n.protocol;
    out.push({ path, frames: n.frames, bytes: n.bytes });
    out.push(...flattenHierarchy(n.children, path));
  }
  return out;
}
