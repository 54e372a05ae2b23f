/**
 * File names the page (or a capture) proposes for Save dialogs, made safe on every system: the last
 * path component only; control characters, bidi controls (an RLO makes `gnp.exe` look like
 * `exe.png`), zero-width marks and NUL removed; characters Windows forbids replaced; no leading
 * dot (hidden files, `..`), no trailing dots or spaces (Windows drops them); Windows' reserved
 * device names (CON, PRN, AUX, NUL, COM0–9, LPT0–9 and their superscript forms, CONIN$, CONOUT$ —
 * with any extension) prefixed with `_`; at most 200 characters, the extension kept. Pure.
 */

export const MAX_SAVE_NAME = 200;
const FALLBACK = 'wirelens-export';

const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** Cuts to at most `max` UTF-16 units without splitting a character. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

export function sanitizeSaveName(name: string, fallback = FALLBACK): string {
  let s = (name.split(/[\\/]/).pop() ?? '').normalize('NFC');
  s = s.replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_');
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (s.length > MAX_SAVE_NAME) {
    const ext = /\.[A-Za-z0-9_-]{1,16}$/.exec(s)?.[0] ?? '';
    s = cut(s.slice(0, s.length - ext.length), MAX_SAVE_NAME - ext.length).replace(/[.\s]+$/, '') + ext;
  }
  // Windows reads the part before the first dot, spaces trimmed, as the device name.
  if (RESERVED.test((s.split('.')[0] ?? '').trim())) s = cut(`_${s}`, MAX_SAVE_NAME);
  return s || fallback;
}
