/**
 * Terminal formatting helpers for the CLI. Everything printed for a person passes through one of the
 * escapers here, because text from a capture is written by whoever made the traffic: an escape
 * sequence in an SMTP AUTH line or an HTTP header could otherwise set the terminal's title, clear
 * the screen, plant a hyperlink (OSC 8) or reorder what is shown (bidi overrides).
 */

/**
 * What a terminal may act on instead of showing: C0 controls and DEL, C1 controls (U+0080–U+009F:
 * CSI, OSC… in their 8-bit form), the Arabic letter mark, zero-width and direction marks, line and
 * paragraph separators, bidi embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) and the
 * byte-order mark. Tab and line feed are handled by the callers.
 */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const TERMINAL_UNSAFE_KEEP_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One field of capture-derived text on one line: every unsafe character, tab, CR and LF included, as `\xNN` / `\uNNNN`. */
export function forTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, escapeChar);
}

/** Whole lines of output: like forTerminal, but line feeds and tabs are kept as layout. */
export function forTerminalLines(text: string): string {
  return text.replace(TERMINAL_UNSAFE_KEEP_LAYOUT, escapeChar);
}

/**
 * JSON for a terminal: the characters JSON.stringify leaves raw that a terminal may act on (C1
 * controls, bidi and direction marks, separators) written as `\uNNNN` escapes instead — valid JSON
 * meaning the same strings. Only for a terminal: to a pipe or a file the bytes stay
 * JSON.stringify's. (JSON.stringify escapes C0 controls itself; DEL, which it leaves raw, is escaped here.)
 */
const JSON_TERMINAL_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
export function jsonForTerminal(json: string): string {
  return json.replace(JSON_TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Printable text of payload bytes: printable ASCII kept, CR/LF kept as line breaks, others as \xNN. */
export function visibleText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) s += '\n';
    else if (b === 0x0d) continue;
    else if (b === 0x09) s += '\t';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function padLeft(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
