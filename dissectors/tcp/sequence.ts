/**
 * 32-bit TCP sequence-number arithmetic (RFC 793 / RFC 1982 serial numbers). Every value is an
 * unsigned 32-bit integer held in a JS number; comparisons are "modulo 2^32", valid while the two
 * numbers are less than 2^31 apart.
 */
import { TCP_SYN, type TcpHeader } from '../net/types';

/** Sequence number of the segment's first data byte: on a SYN, the one after the SYN's own. */
export function dataSeqOf(tcp: TcpHeader): number {
  return tcp.flags & TCP_SYN ? seqAdd(tcp.seq, 1) : tcp.seq;
}

/** Signed distance a - b in sequence space, in [-2^31, 2^31). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a + n, wrapped to 32 bits. `n` may be negative. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

export function seqGe(a: number, b: number): boolean {
  return seqDiff(a, b) >= 0;
}

/** The later of two sequence numbers. */
export function seqMax(a: number, b: number): number {
  return seqDiff(a, b) >= 0 ? a : b;
}

/** Sequence number relative to a base, as an unsigned 32-bit value (tshark's relative numbering). */
export function seqRel(seq: number, base: number): number {
  return (seq - base) >>> 0;
}
