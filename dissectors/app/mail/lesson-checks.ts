/**
 * Two checks a mail lesson needs, said in neutral words because each has innocent causes:
 *  - the From: header (what the reader sees) against the envelope sender (MAIL FROM: where bounces
 *    go). They differ in spoofed mail, but also in mail from mailing lists, newsletters, bounce
 *    handlers and services sending on someone's behalf. Only a From: domain unrelated to the
 *    envelope sender's domain (neither equal nor one inside the other, as DMARC's relaxed alignment
 *    compares them) is called a possible spoof.
 *  - MIME headers (MIME-Version, Content-Type) that come after the blank line ending the header
 *    section: they are body text then, so the reader's program sees no MIME structure and no
 *    attachment.
 */
import { parseHeaders } from './headers';

export function domainOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  const d =
    at < 0
      ? ''
      : address
          .slice(at + 1)
          .replace(/[>\s]+$/, '')
          .toLowerCase();
  return d || null;
}

/** True when neither domain is the other or inside it (a.example and b.a.example are related). */
export function domainsUnrelated(a: string, b: string): boolean {
  return !(a === b || a.endsWith('.' + b) || b.endsWith('.' + a));
}

export const FROM_NOTES = {
  differs:
    'The From: header (what the reader sees) is not the envelope sender (MAIL FROM, where bounces go). SMTP itself checks neither. ' +
    'This is normal for much legitimate mail (mailing lists, newsletters, bounce handling use their own envelope sender), and it is also how spoofed mail looks.',
  unrelated:
    'The From: domain is not the envelope sender’s domain, nor related to it: this may be a spoof (anyone can write any From: line), ' +
    'or mail forwarded by a mailing list or sent by a service on someone’s behalf. Receiving servers check where mail really comes from with SPF, DKIM and DMARC.',
  mimeInBody:
    'MIME-Version/Content-Type come after the blank line that ends the headers, so they are body text: the reader’s mail program sees a plain-text message, with no MIME parts and no attachment. ' +
    'Remove the blank line before MIME-Version (the blank line goes after the last header).',
} as const;

const MIME_HEADER = /^(MIME-Version|Content-Type|Content-Transfer-Encoding)\s*:/i;

/**
 * True when the message's header section has no MIME-Version/Content-Type but its body's first
 * non-empty line is such a header. Reads at most the first 16 KiB of `start` (the message's first bytes).
 */
export function mimeHeadersInBody(start: Uint8Array | undefined, headerNames: readonly string[]): boolean {
  if (!start || headerNames.some((n) => /^(mime-version|content-type)$/i.test(n))) return false;
  const text = latin1(start.subarray(0, 16 * 1024));
  const { bodyOffset } = parseHeaders(text);
  const lines = text.slice(bodyOffset, bodyOffset + 4096).split(/\r?\n/, 12);
  for (const l of lines) {
    if (l.trim() === '') continue;
    return MIME_HEADER.test(l);
  }
  return false;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
