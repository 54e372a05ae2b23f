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

/** Offset, 16 bytes in hex and their ASCII (dots for the rest): the classic hex dump, one line per 16 bytes. */
export function hexDump(bytes: Uint8Array, baseOffset = 0): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(baseOffset + i).toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
