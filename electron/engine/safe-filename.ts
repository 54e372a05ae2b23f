/**
 * File names for saving what a capture carried (Export Objects). The name comes from the traffic
 * (a URL, a MIME filename), which whoever made the traffic chose: it must not climb out of the
 * chosen folder, hide its real extension behind direction marks, or be a name Windows reserves.
 */

/** Control characters (C0, DEL, C1), direction and zero-width marks, separators, the BOM. */
const UNSAFE_CHARS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Path separators and the characters Windows refuses in a name. */
const SEPARATORS = /[/\\:*?"<>|]/g;
/** Names Windows reserves for devices, with any extension (CON.txt is the console too). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
export const MAX_NAME_BYTES = 120;

/** A name safe to create in a folder: never empty, never `.`/`..`, at most MAX_NAME_BYTES UTF-8 bytes. */
export function safeFilename(raw: string | null | undefined, fallback: string): string {
  let name = String(raw ?? '')
    .replace(UNSAFE_CHARS, '')
    .replace(SEPARATORS, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (!name) name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    let stem = name.slice(0, name.length - ext.length);
    while (Buffer.byteLength(stem + ext) > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('');
    name = stem + ext;
  }
  return name;
}

/** Gives each name once: a repeated one becomes `name (2).ext`, `name (3).ext` … (compared case-insensitively). */
export class UniqueNames {
  private readonly used = new Set<string>();
  take(name: string): string {
    let candidate = name;
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
