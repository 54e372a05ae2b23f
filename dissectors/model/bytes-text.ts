/**
 * Bytes ↔ text for dissectors, filters and views: latin1 (one char per byte, never throws), UTF-8
 * (invalid sequences become U+FFFD), and base64 decoding that says "not base64" instead of throwing.
 */

/** Bytes as latin1 text: one char per byte. At most `max` bytes are read. */
export function latin1(bytes: Uint8Array, max = bytes.length): string {
  const n = Math.min(bytes.length, max);
  let s = '';
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(n, i + 8192)) as unknown as number[]);
  return s;
}

/** Text as latin1 bytes (chars above U+00FF keep their low byte). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** Bytes as UTF-8 text, invalid sequences replaced. */
export function utf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}

/** Base64 → bytes, or null when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const t = text.trim().replace(/=+$/, '');
  if (t === '' || !/^[A-Za-z0-9+/]*$/.test(t)) return null;
  try {
    return latin1Bytes(atob(t)); // atob takes unpadded input; a length of 4n+1 throws
  } catch {
    return null;
  }
}
