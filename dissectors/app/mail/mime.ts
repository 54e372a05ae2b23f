/**
 * MIME structure of collected messages, parsed with postal-mime (a maintained parser, not our own):
 * the body parts (text, HTML) and the attachments with name, type, size and sha256 (decoded bytes kept only on request),
 * and the plain text body. Runs as each message completes (postal-mime is asynchronous), here or,
 * through a MimeParser, on a helper thread.
 */
import PostalMime from 'postal-mime';
import { latin1, latin1Bytes } from '../../model/bytes-text';
import { joinBytes, type MailMessage } from './message';
import { encodeBase64, findBase64Bodies, replaceBodies } from './mime-bulk';
import type { Sha256Hashes } from '../types';

const MAX_TEXT = 64 * 1024;

/** A message's MIME structure, or why it could not be parsed. Plain data (it may cross threads). */
export interface MimeOutcome {
  mime: MailMessage['mime'];
  problem: string | null;
}

/** Parses a message's raw bytes, given in pieces (elsewhere, e.g. on a helper thread; the pieces may be taken over). */
export type MimeParser = (pieces: Uint8Array[]) => Promise<MimeOutcome>;

/** Fills m.mime from m.rawPieces (dropping them unless payloads are kept); resolves to a problem or null. */
export async function finalizeMime(m: MailMessage, hashes: Sha256Hashes, keepPayloads: boolean, parser?: MimeParser): Promise<string | null> {
  const pieces = m.rawPieces;
  if (!keepPayloads) delete m.rawPieces;
  if (!pieces || pieces.every((p) => p.length === 0)) return null;
  const outcome = parser && !keepPayloads ? await parser(pieces) : await parseMime(joinBytes(pieces), hashes, keepPayloads);
  if (outcome.mime) m.mime = outcome.mime;
  return outcome.problem;
}

/** Messages at least this big are looked at for base64 bodies of at least this size (see mime-bulk.ts). */
const BULK_MIN_BODY = 16 * 1024;

type PostalEmail = Awaited<ReturnType<typeof PostalMime.parse>>;
type Attachment = NonNullable<MailMessage['mime']>['attachments'][number];

export async function parseMime(raw: Uint8Array, hashes: Sha256Hashes, keepPayloads: boolean): Promise<MimeOutcome> {
  try {
    if (!keepPayloads && raw.length >= BULK_MIN_BODY) {
      const fast = await parseWithPlaceholders(raw, hashes);
      if (fast) return { mime: fast, problem: null };
    }
    const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    return { mime: mimeOf(email, (content) => ({ size: content.length, sha256: hashes.sha256(content) }), keepPayloads)!, problem: null };
  } catch (e) {
    return { mime: null, problem: `MIME parsing failed: ${String((e as Error).message ?? e)}` };
  }
}

/**
 * postal-mime's result as Wirelens keeps it; `describe` gives each attachment's size and sha256
 * from its decoded bytes (null: give up — the caller parses another way).
 */
function mimeOf(email: PostalEmail, describe: (content: Uint8Array) => { size: number; sha256: string } | null, keepPayloads: boolean): MailMessage['mime'] | null {
  const attachments: Attachment[] = [];
  for (const a of email.attachments) {
    const content = typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content as ArrayBuffer);
    const d = describe(content);
    if (!d) return null;
    const out: Attachment = { filename: a.filename ?? null, mimeType: a.mimeType, disposition: a.disposition ?? null, size: d.size, sha256: d.sha256 };
    if (keepPayloads) out.content = content;
    attachments.push(out);
  }
  const text = email.text ?? null;
  return {
    parts: [
      ...(email.text !== undefined ? [{ mimeType: 'text/plain', filename: null, size: new TextEncoder().encode(email.text).length }] : []),
      ...(email.html !== undefined ? [{ mimeType: 'text/html', filename: null, size: new TextEncoder().encode(email.html).length }] : []),
      ...attachments.map((a) => ({ mimeType: a.mimeType, filename: a.filename, size: a.size })),
    ],
    attachments,
    text: text === null ? null : text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text,
  };
}

/**
 * The same result as parsing `raw` whole, faster for big base64 attachments: their bodies are
 * decoded here and postal-mime parses the message with a placeholder in their place; each
 * placeholder must come back as exactly one attachment's whole content and nowhere else (in no other
 * attachment, decoded or not, nor in the text), else null and the message is parsed whole.
 */
async function parseWithPlaceholders(raw: Uint8Array, hashes: Sha256Hashes): Promise<MailMessage['mime'] | null> {
  // Each body decoded and hashed as it is checked (one pass): the attachment is never held whole.
  const bodies = findBase64Bodies(raw, BULK_MIN_BODY, hashes);
  if (bodies.length === 0) return null;
  const nonce = placeholderNonce();
  const markers = bodies.map((_, k) => `\u0000${nonce}:${k}\u0000`);
  // The base64 form of every placeholder starts with these characters (its first 12 bytes are the same).
  const encodedStart = encodeBase64(latin1Bytes(`\u0000${nonce}`).subarray(0, 12));
  let email: PostalEmail;
  try {
    email = await PostalMime.parse(replaceBodies(raw, bodies, markers.map((m) => encodeBase64(latin1Bytes(m)))), { attachmentEncoding: 'arraybuffer' });
  } catch {
    return null;
  }
  const found = new Array<boolean>(bodies.length).fill(false);
  const mentions = (text: string) => text.includes(nonce) || text.includes(encodedStart);
  const mime = mimeOf(
    email,
    (content) => {
      const text = latin1(content);
      const k = content.length <= 64 ? markers.indexOf(text) : -1;
      if (k < 0) return mentions(text) ? null : { size: content.length, sha256: hashes.sha256(content) };
      if (found[k]) return null;
      found[k] = true;
      return bodies[k].decoded;
    },
    false,
  );
  if (!mime || !found.every(Boolean) || mentions(email.text ?? '') || mentions(email.html ?? '')) return null;
  return mime;
}

/** 12 letters and digits, different for every message. */
function placeholderNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 12; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}
