/**
 * Big base64 attachments are decoded by Wirelens and the rest of the message by postal-mime (see
 * mime-bulk.ts): the result must be exactly postal-mime's on the whole message — names, types,
 * sizes, sha256 of every attachment, the parts and the text — whatever the structure (one part,
 * multipart, nested, a forwarded message/rfc822 holding an attachment), the line length, the line
 * ends, the padding, and when the base64 is not plain (a space, a '=' inside, a stray character, a
 * blank line) or is a text part. Compared with the whole-message parse (parseMime with payloads kept,
 * which never takes the fast path), on generated messages and on every message of the mail captures.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseMime } from '../../../dissectors/app/mail/mime';
import { findBase64Bodies, type Base64Body } from '../../../dissectors/app/mail/mime-bulk';
import { loadCapture } from '../../../electron/engine/load-capture';
import { nodeHashes } from '../../../electron/engine/hashes';
import { joinBytes, type MailMessage } from '../../../dissectors/app/mail/message';
import { FIXTURES } from '../../helpers/fixtures';

/** postal-mime's result on the whole message, without the decoded bytes it keeps. */
async function whole(raw: Uint8Array): Promise<string> {
  const o = await parseMime(raw, nodeHashes, true);
  for (const a of o.mime?.attachments ?? []) delete a.content;
  return JSON.stringify(o);
}

async function fast(raw: Uint8Array): Promise<string> {
  return JSON.stringify(await parseMime(raw, nodeHashes, false));
}

/**
 * findBase64Bodies with a "hash" that keeps the blocks each body was decoded to as it was checked
 * (its digest is the body's number among those tried): the bodies, and each one's blocks.
 */
function decodedBodies(raw: Uint8Array, minBytes: number): { bodies: Base64Body[]; blocks: Buffer[][] } {
  const tried: Buffer[][] = [];
  const bodies = findBase64Bodies(raw, minBytes, {
    createSha256: () => {
      const mine: Buffer[] = [];
      tried.push(mine);
      const k = String(tried.length - 1);
      return { update: (b: Uint8Array) => void mine.push(Buffer.from(b)), digest: () => k };
    },
  });
  return { bodies, blocks: bodies.map((b) => tried[Number(b.decoded.sha256)]) };
}

/** Deterministic bytes (a seed, a length). */
function bytesOf(seed: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

type Damage = 'none' | 'space' | 'inner-pad' | 'stray' | 'blank' | 'lone-char';

interface Att {
  seed: number;
  size: number;
  lineLen: number;
  type: string;
  damage: Damage;
}

function body(a: Att, eol: string): string {
  let b64 = bytesOf(a.seed, a.size).toString('base64');
  if (a.damage === 'lone-char') b64 = b64.replace(/=+$/, '') + 'Q'; // a last quad of one character
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += a.lineLen) lines.push(b64.slice(i, i + a.lineLen));
  const mid = Math.floor(lines.length / 2);
  if (lines.length > 2) {
    if (a.damage === 'space') lines[mid] += ' ';
    if (a.damage === 'inner-pad') lines[mid] = lines[mid].slice(0, -2) + '==';
    if (a.damage === 'stray') lines[mid] = lines[mid].slice(0, 5) + '*' + lines[mid].slice(6);
    if (a.damage === 'blank') lines.splice(mid, 0, '');
  }
  return lines.join(eol);
}

function part(a: Att, k: number, eol: string, foldedEncoding: boolean): string {
  const encoding = foldedEncoding ? `Content-Transfer-Encoding:${eol} BASE64` : 'Content-Transfer-Encoding: base64';
  return [`Content-Type: ${a.type}; name="file${k}.bin"`, `Content-Disposition: attachment; filename="file${k}.bin"`, encoding, '', body(a, eol)].join(eol);
}

type Shape = 'single' | 'mixed' | 'nested' | 'forwarded' | 'inline-forward';

function message(atts: Att[], shape: Shape, eol: string, folded: boolean): Uint8Array {
  const head = ['From: Alice <alice@example.org>', 'To: bob@example.net', 'Subject: files', 'MIME-Version: 1.0'];
  const mixed = (bd: string, parts: string[]): string =>
    [`Content-Type: multipart/mixed; boundary="${bd}"`, '', 'This is a multi-part message in MIME format.', '', ...parts.flatMap((p) => [`--${bd}`, p]), `--${bd}--`, ''].join(eol);
  const text = ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 7bit', '', 'Hello Bob,', 'the files.', ''].join(eol);
  let s: string;
  if (shape === 'single') s = [...head, part(atts[0], 0, eol, folded), ''].join(eol);
  else if (shape === 'mixed') s = [...head, mixed('b1', [text, ...atts.map((a, k) => part(a, k, eol, folded))])].join(eol);
  else if (shape === 'nested') {
    const alt = [`Content-Type: multipart/alternative; boundary="b2"`, '', `--b2`, text, `--b2`, ['Content-Type: text/html', '', '<p>Hello</p>', ''].join(eol), '--b2--', ''].join(eol);
    s = [...head, mixed('b1', [alt, ...atts.map((a, k) => part(a, k, eol, folded))])].join(eol);
  } else {
    const inner = [...head, mixed('in1', [text, ...atts.map((a, k) => part(a, k, eol, folded))])].join(eol);
    // Forwarded as an attachment (postal-mime keeps the whole message as its bytes) or inline (it parses it).
    const disposition = shape === 'forwarded' ? ['Content-Disposition: attachment; filename="fwd.eml"'] : [];
    s = [...head, mixed('b1', [text, ['Content-Type: message/rfc822', ...disposition, '', inner].join(eol)])].join(eol);
  }
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

const att = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  size: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 2000 }), weight: 1 }, { arbitrary: fc.integer({ min: 12_000, max: 70_000 }), weight: 4 }),
  lineLen: fc.constantFrom(76, 64, 72, 73, 4, 1000),
  type: fc.constantFrom('application/octet-stream', 'image/png', 'application/pdf', 'application/octet-stream', 'text/plain'),
  damage: fc.constantFrom<Damage>('none', 'none', 'none', 'none', 'none', 'space', 'inner-pad', 'stray', 'blank', 'lone-char'),
});

test('base64 attachments decoded beside postal-mime give exactly postal-mime’s result on the whole message', async () => {
  let withBodies = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(att, { minLength: 1, maxLength: 3 }),
      fc.constantFrom<Shape>('single', 'mixed', 'mixed', 'nested', 'forwarded', 'inline-forward'),
      fc.constantFrom('\r\n', '\n'),
      fc.boolean(),
      async (atts, shape, eol, folded) => {
        const raw = message(atts, shape, eol, folded);
        if (findBase64Bodies(raw, 16 * 1024, nodeHashes).length) withBodies++;
        assert.equal(await fast(raw), await whole(raw));
      },
    ),
    { numRuns: 100, seed: 20261130 },
  );
  // The comparison is only worth something if the fast path was taken often.
  assert.ok(withBodies >= 25, `only ${withBodies} messages had bodies for the fast path`);
});

test('a plain base64 body is found where it lies and decodes to the attachment’s bytes', () => {
  const a: Att = { seed: 7, size: 50_000, lineLen: 76, type: 'application/octet-stream', damage: 'none' };
  const raw = message([a, { ...a, seed: 8, size: 30_001 }], 'mixed', '\r\n', false);
  const { bodies, blocks: decoded } = decodedBodies(raw, 16 * 1024);
  assert.equal(bodies.length, 2);
  assert.deepEqual(Buffer.concat(decoded[0]), bytesOf(7, 50_000));
  assert.deepEqual(Buffer.concat(decoded[1]), bytesOf(8, 30_001));
  assert.deepEqual(bodies.map((b) => b.decoded.size), [50_000, 30_001]);
  // With real hashes: the digest of the decoded bytes, and the same bodies as with the collecting one.
  const hashed = findBase64Bodies(raw, 16 * 1024, nodeHashes);
  assert.equal(hashed[1].decoded.sha256, createHash('sha256').update(bytesOf(8, 30_001)).digest('hex'));
  assert.deepEqual(bodies.map(({ start, end }) => ({ start, end })), hashed.map(({ start, end }) => ({ start, end })));
  // The body is the base64 lines only: it starts after the blank line, ends before the boundary.
  const text = Buffer.from(raw).toString('latin1');
  assert.equal(text.slice(bodies[0].start - 4, bodies[0].start), '\r\n\r\n');
  assert.ok(text.slice(bodies[0].end).startsWith('--b1'));
  // Decoded a block at a time (one reused buffer), quads across line ends (73 characters a line):
  // the blocks join to the same bytes.
  const big = message([{ ...a, size: 200_003, lineLen: 73 }], 'single', '\r\n', false);
  const { bodies: [bigBody], blocks: [blocks] } = decodedBodies(big, 1);
  assert.ok(blocks.length >= 4, `${blocks.length} blocks`);
  assert.equal(bigBody.decoded.size, 200_003);
  assert.deepEqual(Buffer.concat(blocks), bytesOf(7, 200_003));
  // A text part, or damaged base64, is left to postal-mime.
  assert.equal(findBase64Bodies(message([{ ...a, type: 'text/plain' }], 'mixed', '\r\n', false), 1, nodeHashes).length, 0);
  assert.equal(findBase64Bodies(message([{ ...a, damage: 'space' }], 'mixed', '\r\n', false), 1, nodeHashes).length, 0);
});

test('every message of the mail captures parses the same both ways', async () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng)$/.test(name) && /smtp|pop3|mail|mime|lesson|bench-small/i.test(p) && statSync(p).size < 4 * 1024 * 1024) files.push(p);
    }
  };
  walk(FIXTURES);
  let messages = 0;
  for (const f of files) {
    const l = await loadCapture(f, { keepPayloads: true });
    for (const app of l.output.apps) {
      const smtp = app?.summary.smtp as { messages?: MailMessage[] } | undefined;
      const pop3 = app?.summary.pop3 as { retrieved?: MailMessage[] } | undefined;
      for (const m of [...(smtp?.messages ?? []), ...(pop3?.retrieved ?? [])]) {
        if (!m.rawPieces?.length) continue;
        messages++;
        const raw = joinBytes(m.rawPieces);
        assert.equal(await fast(raw), await whole(raw), `${f}: message at frame ${m.frame}`);
      }
    }
    await l.source.dispose();
  }
  assert.ok(messages >= 20, `only ${messages} messages`);
});
