/**
 * IPv4 fragment reassembly, keyed by (src, dst, id, protocol). Out-of-order fragments are held
 * until the datagram is complete; overlaps keep the first bytes received. Memory is bounded: a
 * datagram ≤ 65535 bytes, at most MAX_PENDING datagrams and MAX_TOTAL_BYTES held, and anything
 * older than TIMEOUT_SEC of capture time is dropped with a diagnostic.
 */
import type { Diagnostic } from '../model/diagnostic';
import { netDiag } from './diagnostic-codes';
import type { DecodedPacket } from './types';

const MAX_DATAGRAM = 65535;
const MAX_PENDING = 4096;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const TIMEOUT_SEC = 60;

interface Pending {
  buf: Uint8Array;
  /** Byte ranges received, sorted, merged. */
  have: Array<[number, number]>;
  total: number;
  frames: number[];
  first: number;
}

export class Ipv4Defragmenter {
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;
  private readonly diagnostics: Diagnostic[] = [];

  /** Adds one fragment; returns the whole datagram's transport bytes when this one completes it. */
  add(pkt: DecodedPacket, frame: number, time: number): { data: Uint8Array; frames: number[] } | null {
    const f = pkt.fragment;
    if (!f) return null;
    this.expire(time);
    const key = `${pkt.src}>${pkt.dst}#${f.id}/${f.protocol}`;
    let p = this.pending.get(key);
    if (!p) {
      if (this.pending.size >= MAX_PENDING || this.bytes + MAX_DATAGRAM > MAX_TOTAL_BYTES) this.evictOldest();
      p = { buf: new Uint8Array(MAX_DATAGRAM), have: [], total: -1, frames: [], first: time };
      this.pending.set(key, p);
      this.bytes += MAX_DATAGRAM;
    }
    const end = f.offset + f.payloadLength;
    if (end > MAX_DATAGRAM) {
      this.diagnostics.push(netDiag('ipv4.fragment.too_large', frame));
      return null;
    }
    if (!f.moreFragments) {
      if (p.total >= 0 && p.total !== end) this.diagnostics.push(netDiag('ipv4.fragment.conflict', frame));
      else p.total = end;
    }
    p.frames.push(frame);
    this.copyNew(p, pkt.data, f.payloadOffset, f.offset, end, frame);
    if (p.total >= 0 && p.have.length === 1 && p.have[0][0] === 0 && p.have[0][1] >= p.total) {
      this.pending.delete(key);
      this.bytes -= MAX_DATAGRAM;
      return { data: p.buf.slice(0, p.total), frames: p.frames };
    }
    return null;
  }

  /** Copies only bytes not already received (first wins), then merges the range. */
  private copyNew(p: Pending, src: Uint8Array, srcAt: number, from: number, to: number, frame: number): void {
    let cursor = from;
    let overlapped = false;
    for (const [a, b] of p.have) {
      if (b <= cursor || a >= to) continue;
      overlapped = true;
      if (a > cursor) p.buf.set(src.subarray(srcAt + (cursor - from), srcAt + (a - from)), cursor);
      cursor = Math.max(cursor, b);
    }
    if (cursor < to) p.buf.set(src.subarray(srcAt + (cursor - from), srcAt + (to - from)), cursor);
    if (overlapped) this.diagnostics.push(netDiag('ipv4.fragment.overlap', frame));
    p.have.push([from, to]);
    p.have.sort((x, y) => x[0] - y[0]);
    const merged: Array<[number, number]> = [];
    for (const r of p.have) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    p.have = merged;
  }

  private expire(now: number): void {
    for (const [k, p] of this.pending) {
      if (now - p.first <= TIMEOUT_SEC) break; // insertion order ≈ age order
      this.pending.delete(k);
      this.bytes -= MAX_DATAGRAM;
      this.diagnostics.push(netDiag('ipv4.fragment.timeout', p.frames[0], `${p.frames.length} fragment(s)`));
    }
  }

  private evictOldest(): void {
    const first = this.pending.entries().next();
    if (first.done) return;
    const [k, p] = first.value;
    this.pending.delete(k);
    this.bytes -= MAX_DATAGRAM;
    this.diagnostics.push(netDiag('ipv4.fragment.evicted', p.frames[0]));
  }

  /** At the end of the capture: diagnostics so far plus one for each datagram never completed. */
  flush(): Diagnostic[] {
    for (const p of this.pending.values()) this.diagnostics.push(netDiag('ipv4.fragment.incomplete', p.frames[0], `${p.frames.length} fragment(s)`));
    this.pending.clear();
    this.bytes = 0;
    return this.diagnostics.splice(0);
  }
}
