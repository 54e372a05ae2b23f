/**
 * Follow Stream's "Save raw": the conversation's bytes exactly as they were carried, both directions
 * in capture order, nothing added (as Wireshark's Follow Stream saves "Raw" for the entire
 * conversation). Gaps (bytes never captured) are left out; one direction alone can be chosen.
 */
import type { FollowResult } from '../../../../api/engine-api';
import { base64ToBytes } from './zip-store';

export function followRawBytes(res: FollowResult, only?: 'client' | 'server'): Uint8Array {
  const parts = res.segments
    .filter((s) => s.bytesBase64 !== undefined && (!only || s.dir === only))
    .map((s) => base64ToBytes(s.bytesBase64!));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
