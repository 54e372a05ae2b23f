/**
 * MIME structure of collected messages, parsed with postal-mime (a maintained parser, not our own):
 * the body parts (text, HTML) and the attachments with name, type, size and sha256 (decoded bytes kept only on request),
 * and the plain text body. Runs once at the end of the analysis (postal-mime is asynchronous).
 */
import PostalMime from 'postal-mime';
import type { MailMessage } from './message';

const MAX_TEXT = 64 * 1024;

export async function finalizeMime(m: MailMessage, sha256: (b: Uint8Array) => string, keepPayloads: boolean): Promise<string | null> {
  const raw = m.raw;
  if (!keepPayloads) delete m.raw;
  if (!raw || raw.length === 0) return null;
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
    m.mime = {
      parts: [
        ...(email.text !== undefined ? [{ mimeType: 'text/plain', filename: null, size: new TextEncoder().encode(email.text).length }] : []),
        ...(email.html !== undefined ? [{ mimeType: 'text/html', filename: null, size: new TextEncoder().encode(email.html).length }] : []),
        ...attachments.map((a) => ({ mimeType: a.mimeType, filename: a.filename, size: a.size })),
      ],
      attachments,
      text: text === null ? null : text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text,
    };
    return null;
  } catch (e) {
    return `MIME parsing failed: ${String((e as Error).message ?? e)}`;
  }
}
