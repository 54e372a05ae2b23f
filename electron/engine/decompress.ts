/** node:zlib behind the dissectors' decompress hook (HTTP Content-Encoding gzip, deflate, br). */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

export function nodeDecompress(encoding: 'gzip' | 'deflate' | 'br', bytes: Uint8Array, maxOutput: number): { bytes: Uint8Array } | { error: string } {
  const opts = { maxOutputLength: maxOutput };
  try {
    if (encoding === 'gzip') return { bytes: gunzipSync(bytes, opts) };
    if (encoding === 'br') return { bytes: brotliDecompressSync(bytes, opts) };
    try {
      return { bytes: inflateSync(bytes, opts) };
    } catch {
      return { bytes: inflateRawSync(bytes, opts) }; // servers often send raw deflate without the zlib header
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return { error: `decodes to more than ${maxOutput} bytes (not decoded further)` }; // (TOO_LARGE_PREFIX of decoding-budget.ts)
    return { error: err.message };
  }
}
