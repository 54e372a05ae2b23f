/**
 * MIME structure of collected messages, parsed with postal-mime (a maintained parser, not our own):
 * the body parts (text, HTML) and the attachments with name, type, size and sha256 (decoded bytes kept only on request),
 * and the plain text body. Runs as each message completes (postal-mime is asynchronous), here or,
 * through a MimeParser, on a helper thread.
 */
import PostalMime from 'postal-mime';
import type { MailMessage } from './message';

const MAX_TEXT = 64 * 1024;

/** A message's MIME structure, or why it could not be parsed. Plain data (it may cross threads). */
export interface MimeOutcome {
  mime: MailMessage['mime'];
  problem: string | null;
}

/** Parses raw message bytes (elsewhere, e.g. on a helper thread; the bytes may be taken over). */
export type MimeParser = (raw: Uint8Array) => Promise<MimeOutcome>;

/** Fills m.mime from m.raw (dropping raw unless payloads are kept); resolves to a problem or null. */
export async function finalizeMime(m: MailMessage, sha256: (b: Uint8Array) => string, keepPayloads: boolean, parser?: MimeParser): Promise<string | null> {
  const raw = m.raw;
  if (!keepPayloads) delete m.raw;
  if (!raw || raw.length === 0) return null;
  const outcome = parser && !keepPayloads ? await parser(raw) : await parseMime(raw, sha256, keepPayloads);
  if (outcome.mime) m.mime = outcome.mime;
  return outcome.problem;
}

export async function parseMime(raw: Uint8Array, sha256: (b: Uint8Array) => string, keepPayloads: boolean): Promise<MimeOutcome> {
  try {
    const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    const attachments = email.attachments.map((a) => {
      const content = typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content as ArrayBuffer);
      const out: NonNullable<MailMessage['mime']>['attachments'][number] = {
        filename: a.filename ?? null,
        mimeType: a.mimeType,
        disposition: a.disposition ?? null,
        size: content.length,
        sha256: sha256(content),
      };
      if (keepPayloads) out.content = content;
      return out;
    });
    const text = email.text ?? null;
    const mime: MailMessage['mime'] = {
      parts: [
        ...(email.text !== undefined ? [{ mimeType: 'text/plain', filename: null, size: new TextEncoder().encode(email.text).length }] : []),
        ...(email.html !== undefined ? [{ mimeType: 'text/html', filename: null, size: new TextEncoder().encode(email.html).length }] : []),
        ...attachments.map((a) => ({ mimeType: a.mimeType, filename: a.filename, size: a.size })),
      ],
      attachments,
      text: text === null ? null : text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text,
    };
    return { mime, problem: null };
  } catch (e) {
    return { mime: null, problem: `MIME parsing failed: ${String((e as Error).message ?? e)}` };
  }
}
