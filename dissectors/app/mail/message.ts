/**
 * One email message as seen on the wire (SMTP DATA/BDAT or POP3 RETR/TOP): the envelope next to the
 * headers, with the lesson's flags (header From ≠ envelope sender; Bcc recipients), and the raw bytes
 * kept for MIME parsing (attachments) when the analysis finishes.
 */
import { addressesIn, headerValue, parseHeaders } from './headers';
import { domainOf, domainsUnrelated, mimeHeadersInBody } from './lesson-checks';

export interface MailEnvelope {
  mailFrom: string | null;
  rcptTo: string[];
}

export interface MailAttachment {
  filename: string | null;
  mimeType: string;
  disposition: string | null;
  size: number;
  sha256: string;
  /** Decoded bytes: kept only when payloads are requested (never in JSON). */
  content?: Uint8Array;
}

export interface MailMessage {
  /** Frame of the first content line and of the end of the message. */
  frame: number;
  endFrame: number;
  envelope: MailEnvelope | null;
  headers: { from: string | null; to: string | null; cc: string | null; subject: string | null; date: string | null; messageId: string | null };
  /** All header fields in order (name, value), at most 500. */
  headerFields: Array<{ name: string; value: string }>;
  size: number;
  sha256: string;
  /** True when the message bytes were cut at the keep limit (size and sha256 still cover all of it). */
  truncated: boolean;
  /**
   * Header From address differs from the envelope sender (MAIL FROM). Despite the name this is not
   * proof of spoofing: mailing lists and bounce handling do it too (see lesson-checks.ts).
   */
  spoofed: boolean;
  /** The header From domain is neither the envelope sender's domain nor related to it: a possible spoof (or a list/service sending on someone's behalf). */
  fromDomainMismatch: boolean;
  /** MIME-Version/Content-Type came after the blank line ending the headers: body text, so no MIME parts or attachment. */
  mimeHeadersInBody: boolean;
  /** Envelope recipients no To/Cc header names. */
  bcc: string[];
  mime: { parts: Array<{ mimeType: string; filename: string | null; size: number }>; attachments: MailAttachment[]; text: string | null } | null;
  /**
   * Raw message bytes in the pieces they were collected in (until MIME finalisation; never in
   * JSON): joined only where the MIME parser runs, which may be a helper thread. Each piece is the
   * message's own — a buffer of its own, or a MESSAGE_STAGE_BYTES stage from its start — so the
   * pieces' buffers may be handed over whole.
   */
  rawPieces?: Uint8Array[];
}

export const MAX_KEPT_MESSAGE_BYTES = 16 * 1024 * 1024;

export function buildMessage(rawPieces: Uint8Array[], totalSize: number, sha256: string, envelope: MailEnvelope | null, frame: number, endFrame: number, truncated: boolean): MailMessage {
  // Headers are ASCII (RFC 5322) or UTF-8 (RFC 6532); invalid bytes become U+FFFD.
  const head = headerSection(rawPieces, 256 * 1024);
  const { fields } = parseHeaders(head);
  const h = (n: string) => headerValue(fields, n);
  const fromAddr = addressesIn(h('From'))[0] ?? null;
  const listed = new Set([...addressesIn(h('To')), ...addressesIn(h('Cc'))]);
  const env = envelope;
  const spoofed = Boolean(env?.mailFrom && fromAddr && env.mailFrom.toLowerCase() !== fromAddr);
  const fromDomain = domainOf(fromAddr);
  const envDomain = domainOf(env?.mailFrom);
  const fromDomainMismatch = Boolean(spoofed && fromDomain && envDomain && domainsUnrelated(fromDomain, envDomain));
  const bcc = env ? env.rcptTo.filter((r) => !listed.has(r.toLowerCase())) : [];
  return {
    frame,
    endFrame,
    envelope: env,
    headers: { from: h('From'), to: h('To'), cc: h('Cc'), subject: h('Subject'), date: h('Date'), messageId: h('Message-ID') },
    headerFields: fields,
    size: totalSize,
    sha256,
    truncated,
    spoofed,
    fromDomainMismatch,
    mimeHeadersInBody: mimeHeadersInBody(rawPieces[0], fields.map((f) => f.name)),
    bcc,
    mime: null,
    rawPieces,
  };
}

/** The first `max` bytes of `parts` (all of them by default) as one array. */
export function joinBytes(parts: Uint8Array[], max = Infinity): Uint8Array {
  if (parts.length === 1 && parts[0].length <= max) return parts[0];
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const n = Math.min(p.length, out.length - at);
    out.set(n === p.length ? p : p.subarray(0, n), at);
    at += n;
  }
  return out;
}

/** The header section (up to the first empty line, at most `max` bytes) as UTF-8 text. */
function headerSection(pieces: Uint8Array[], max: number): string {
  // It usually ends well inside the first piece: found there, nothing is joined (a message's first
  // 256 KiB were copied for every message).
  const first = pieces[0];
  if (first) {
    const end = Math.min(first.length - 2, max - 1);
    for (let i = 0; i < end; i++) {
      if (first[i] === 0x0a && (first[i + 1] === 0x0a || (first[i + 1] === 0x0d && first[i + 2] === 0x0a))) return utf8(first.subarray(0, i + 1));
    }
  }
  const b = joinBytes(pieces, max);
  let n = Math.min(b.length, max);
  for (let i = 0; i + 1 < n; i++) {
    if (b[i] === 0x0a && (b[i + 1] === 0x0a || (b[i + 1] === 0x0d && b[i + 2] === 0x0a))) {
      n = i + 1;
      break;
    }
  }
  return utf8(b.subarray(0, n));
}

const utf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: false }).decode(b);
