/**
 * The content-decoding budget of one capture (issue 21 item 8): every compressed HTTP body
 * (Content-Encoding gzip, deflate, br) decodes to at most its own cap (an absolute size and a ratio
 * to its compressed size, dissectors/limits.ts), and all bodies of a capture together to at most
 * LIMITS.httpDecodedTotal. A body that would pass a cap is not decoded — it is still counted and
 * hashed as sent — and its note says which limit stopped it. Without the budget, a 1 MB capture of
 * brotli bombs (each a few hundred bytes decoding to the per-body cap) took minutes to analyse.
 */
import { decodedBodyCap, LIMITS } from '../../limits';
import type { AppContext } from '../types';

export type Decompress = NonNullable<AppContext['decompress']>;

/** The prefix of the host's answer when a body decodes to more than it was allowed. */
export const TOO_LARGE_PREFIX = 'decodes to more than';

/** `inner` with the budget applied (one budget per call: make one per capture). */
export function budgetedDecompress(inner: Decompress | undefined): Decompress | undefined {
  if (!inner) return undefined;
  let spent = 0;
  return (encoding, bytes, maxOutput) => {
    const left = LIMITS.httpDecodedTotal.value - spent;
    if (left <= 0) return { error: LIMITS.httpDecodedTotal.message };
    const ratioCap = decodedBodyCap(bytes.length);
    const cap = Math.min(maxOutput, ratioCap, left);
    const res = inner(encoding, bytes, cap);
    // A body that failed may have produced up to its cap before it did: that work is spent too.
    spent += res && 'bytes' in res ? res.bytes.length : cap;
    if (!res || 'bytes' in res || !res.error.startsWith(TOO_LARGE_PREFIX)) return res;
    if (cap === left && left < Math.min(maxOutput, ratioCap))
      return { error: LIMITS.httpDecodedTotal.message };
    if (cap === ratioCap && ratioCap < LIMITS.httpDecodedBody.value)
      return { error: LIMITS.httpDecodedRatio.message };
    return { error: LIMITS.httpDecodedBody.message };
  };
}
