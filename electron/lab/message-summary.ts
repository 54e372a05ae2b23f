/**
 * What the lab inbox shows of a received message: its envelope, its header fields (unfolded,
 * bounded), and the From/To/Subject a mail reader would show. The raw source is given apart, cut
 * at 1 MiB. Text is decoded as UTF-8 (invalid bytes become U+FFFD) and shown by the app as text.
 */
import type { LabMessageSummary } from '../../api/engine-api';
import { parseMime } from '../../dissectors/app/mail/mime';
import { nodeHashes } from '../engine/hashes';
import type { StoredMessage } from './lab-mailbox';

const MAX_FIELDS = 200;
const MAX_VALUE = 4096;
const MAX_HEADER_SECTION = 256 * 1024;
export const MAX_RAW_SHOWN = 1024 * 1024;

export function headerFields(raw: Buffer): Array<{ name: string; value: string }> {
  const head = raw.subarray(0, MAX_HEADER_SECTION).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? head : head.slice(0, end)).split(/\r?\n/);
  const fields: Array<{ name: string; value: string }> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && fields.length) {
      const f = fields[fields.length - 1];
      if (f.value.length < MAX_VALUE) f.value = `${f.value} ${line.trim()}`.slice(0, MAX_VALUE);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (fields.length >= MAX_FIELDS) break;
    fields.push({
      name: line.slice(0, colon).trim().slice(0, 200),
      value: line
        .slice(colon + 1)
        .trim()
        .slice(0, MAX_VALUE),
    });
  }
  return fields;
}

type Mime = Pick<LabMessageSummary, 'attachments' | 'mimeProblem'>;
const parsed = new WeakMap<StoredMessage, Promise<Mime>>();

/** The message's attachments, parsed once (the same MIME parsing as a captured message's). */
export function mimeOf(m: StoredMessage): Promise<Mime> {
  let p = parsed.get(m);
  if (!p) {
    p = parseMime(new Uint8Array(m.raw.buffer, m.raw.byteOffset, m.raw.length), nodeHashes, false).then(
      (o) => ({
        attachments: (o.mime?.attachments ?? []).map((a) => ({
          filename: a.filename,
          mimeType: a.mimeType,
          size: a.size,
          sha256: a.sha256,
        })),
        mimeProblem: o.problem,
      }),
    );
    parsed.set(m, p);
  }
  return p;
}

export async function summarize(m: StoredMessage): Promise<LabMessageSummary> {
  const headers = headerFields(m.raw);
  const field = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
  return {
    uid: m.uid,
    receivedAt: m.receivedAt,
    envelope: { mailFrom: m.envelope.mailFrom, rcptTo: [...m.envelope.rcptTo] },
    subject: field('subject'),
    from: field('from'),
    to: field('to'),
    size: m.raw.length,
    headers,
    deliveredBy: { ...m.deliveredBy },
    retrievedBy: m.retrievedBy.map((r) => ({ ...r })),
    ...(await mimeOf(m)),
  };
}

export function rawSource(m: StoredMessage): { uid: string; raw: string; size: number; truncated: boolean } {
  const truncated = m.raw.length > MAX_RAW_SHOWN;
  return {
    uid: m.uid,
    raw: m.raw.subarray(0, MAX_RAW_SHOWN).toString('utf8'),
    size: m.raw.length,
    truncated,
  };
}
