/**
 * The message collector gathers a message's bytes as SMTP/POP3 hand them over (single lines, runs of
 * lines, blocks around its 64 KiB stage and 8 KiB bulk sizes): the pieces it keeps join to exactly
 * the bytes given, the size and sha256 cover all of them, and past the keep limit the message is
 * marked truncated with its first bytes kept.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { MESSAGE_STAGE_BYTES, MessageCollector } from '../../../dissectors/app/mail/collector';
import { laterHash } from '../../../dissectors/app/later-hash';
import { buildMessage, joinBytes } from '../../../dissectors/app/mail/message';
import type { AppContext } from '../../../dissectors/app/types';
import { nodeHashes } from '../../../electron/engine/hashes';

const ctx = { laterSha256: () => laterHash(nodeHashes) } as unknown as AppContext;

/** A real message's head, then body bytes of a chosen length. */
function messageBytes(n: number, seed: number): Buffer {
  const head = Buffer.from('From: a@example.org\r\nTo: b@example.net\r\nSubject: pieces\r\n\r\n', 'latin1');
  const body = Buffer.alloc(n);
  for (let i = 0; i < n; i++) body[i] = 32 + ((i * 31 + seed) % 90);
  return Buffer.concat([head, body]);
}

test('pieces of any size join to the bytes given; size and sha256 cover them all', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 300_000 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1000, max: 9000 }), fc.integer({ min: 60_000, max: 70_000 })), { minLength: 1, maxLength: 40 }),
      (n, seed, sizes) => {
        const all = messageBytes(n, seed);
        const c = new MessageCollector(ctx, 1);
        let at = 0;
        let k = 0;
        while (at < all.length) {
          const len = Math.min(sizes[k++ % sizes.length], all.length - at);
          // Lines come in as views of a buffer that is reused afterwards: the collector must copy.
          const view = new Uint8Array(all.subarray(at, at + len));
          c.add(view, [k]);
          view.fill(0);
          at += len;
        }
        const m = c.finish(null, k);
        assert.equal(m.size, all.length);
        assert.equal(m.truncated, false);
        assert.ok(Buffer.from(joinBytes(m.rawPieces!)).equals(all), 'kept bytes equal the message');
        assert.equal(m.sha256, createHash('sha256').update(all).digest('hex'));
        assert.equal(m.headers.subject, 'pieces');
      },
    ),
    { numRuns: 150, seed: 1130 },
  );
});

test('past the keep limit: the first bytes kept, the message marked truncated, size and sha256 of all of it', () => {
  const all = messageBytes(200_000, 3);
  const c = new MessageCollector(ctx, 1, 100_000);
  for (let at = 0; at < all.length; at += 777) c.add(new Uint8Array(all.subarray(at, at + 777)), [1]);
  const m = c.finish(null, 2);
  assert.equal(m.truncated, true);
  assert.equal(m.size, all.length);
  assert.ok(Buffer.from(joinBytes(m.rawPieces!)).equals(all.subarray(0, 100_000)));
  assert.equal(m.sha256, createHash('sha256').update(all).digest('hex'));
});

test('stages handed back by the host are written over: messages gathered in used buffers are exact, and a stage not kept is used again', () => {
  // Used buffers full of another message's bytes, as the helper hands them back.
  let given = 0;
  const stageCtx = {
    laterSha256: () => laterHash(nodeHashes),
    messageStage: () => (given++ < 3 ? new Uint8Array(MESSAGE_STAGE_BYTES).fill(0x41) : null),
  } as unknown as AppContext;
  const all = messageBytes(400_000, 9);
  const c = new MessageCollector(stageCtx, 1);
  for (let at = 0; at < all.length; at += 78) c.add(new Uint8Array(all.subarray(at, at + 78)), [1]);
  const m = c.finish(null, 2);
  assert.ok(given > 3, 'handed-back stages were used, then new ones made');
  assert.ok(Buffer.from(joinBytes(m.rawPieces!)).equals(all), 'kept bytes equal the message');
  assert.equal(m.sha256, createHash('sha256').update(all).digest('hex'));
  // Past the keep limit nothing more is kept: one stage serves the rest of the message.
  let made = 0;
  const countingCtx = { laterSha256: () => laterHash(nodeHashes), messageStage: () => (made++, null) } as unknown as AppContext;
  const big = messageBytes(2_000_000, 4);
  const t = new MessageCollector(countingCtx, 1, 100_000);
  for (let at = 0; at < big.length; at += 78) t.add(new Uint8Array(big.subarray(at, at + 78)), [1]);
  const tm = t.finish(null, 2);
  assert.ok(made <= 3, `${made} stages asked for; 2 fill the kept 100,000 bytes, then one is used again`);
  assert.equal(tm.sha256, createHash('sha256').update(big).digest('hex'));
  assert.ok(Buffer.from(joinBytes(tm.rawPieces!)).equals(big.subarray(0, 100_000)));
});

test('the headers are read the same however the message is cut into pieces, the empty line that ends them split or not', () => {
  const heads = [
    'From: "Ä" <a@example.org>\r\nTo: b@example.net\r\nSubject: cut\r\n\r\nBody: not a header\r\n',
    'From: a@example.org\nTo: b@example.net\nSubject: bare LF\n\nBody: not a header\n',
    'From: a@example.org\r\nSubject: no body, no empty line\r\n',
  ];
  for (const text of heads) {
    const raw = new Uint8Array(Buffer.from(text, 'utf8'));
    const whole = buildMessage([raw], raw.length, '', null, 1, 2, false);
    assert.ok(whole.headers.from && whole.headers.subject, 'the reference parse found the headers');
    for (let cut = 0; cut <= raw.length; cut++) {
      for (const cut2 of [cut, Math.min(raw.length, cut + 1), Math.min(raw.length, cut + 2)]) {
        const pieces = [raw.slice(0, cut), raw.slice(cut, cut2), raw.slice(cut2)];
        const m = buildMessage(pieces, raw.length, '', null, 1, 2, false);
        assert.deepEqual([m.headers, m.headerFields], [whole.headers, whole.headerFields], `cut at ${cut}/${cut2}`);
      }
    }
  }
});
