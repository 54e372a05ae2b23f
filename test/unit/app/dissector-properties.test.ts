/**
 * Property tests of the line-based dissectors: however TCP cuts a conversation into chunks (any
 * split points, in capture order), the ladder, the credentials and the summaries are the same; and
 * random bytes spliced into a valid conversation never throw. Conversations: the recorded SMTP+POP3
 * lesson and FTP/HTTP fixtures, replayed from their reassembled streams.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { createProtocolSelector } from '../../../dissectors/app/selector';
import type { AppContext, AppResult } from '../../../dissectors/app/types';
import { nodeDecompress } from '../../../electron/engine/decompress';
import { nodeHashes } from '../../../electron/engine/hashes';
import { laterHash } from '../../../dissectors/app/later-hash';
import { FIXTURES } from '../../helpers/fixtures';
import { runTcp } from '../../helpers/tcp-run';

interface Turn {
  dir: 'client' | 'server';
  bytes: Uint8Array;
}

/** A connection's conversation as turns in capture order (from the real pipeline's chunks). */
function conversation(file: string, id: number): { port: number; turns: Turn[] } {
  const run = runTcp(readFileSync(file));
  const turns: Turn[] = [];
  const s = run.streams[id];
  // Chunks in delivery order: rebuild from spans (frame order) per direction.
  const order = [...s.spans].sort((a, b) => a.frame - b.frame || a.offset - b.offset);
  const all = { client: Buffer.concat(s.client), server: Buffer.concat(s.server) };
  for (const sp of order) turns.push({ dir: sp.dir, bytes: all[sp.dir].subarray(sp.offset, sp.offset + sp.length) });
  return { port: run.models[id].server.port, turns };
}

function dissect(port: number, turns: Turn[], cuts: number[]): AppResult {
  const ctx: AppContext = {
    connection: { id: 0, client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port } },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    decompress: nodeDecompress,
    expectDataConnection: () => undefined,
  };
  const sel = createProtocolSelector(ctx);
  const off = { client: 0, server: 0 };
  let frame = 1;
  let k = 0;
  for (const t of turns) {
    // Split this turn at the cut points that fall inside it.
    let at = 0;
    const pieces: Uint8Array[] = [];
    while (k < cuts.length && cuts[k] < at + t.bytes.length) {
      const c = cuts[k++] % Math.max(1, t.bytes.length);
      if (c > at) {
        pieces.push(t.bytes.subarray(at, c));
        at = c;
      }
    }
    pieces.push(t.bytes.subarray(at));
    for (const p of pieces) {
      if (!p.length) continue;
      // Copy (a plain Uint8Array: Buffer#slice would be a view): the selector may only use the chunk during the call.
      const copy = new Uint8Array(p);
      sel.onData({ dir: t.dir, offset: off[t.dir], bytes: copy, frames: [{ frame, offset: off[t.dir], length: copy.length }], time: frame / 100 });
      copy.fill(0); // prove nothing kept a view of it
      off[t.dir] += p.length;
    }
    frame++;
  }
  sel.onEnd();
  return sel.result();
}

/** What must not depend on chunking: labels, kinds, credentials, summaries (frames may differ). */
function essence(r: AppResult): string {
  return JSON.stringify({
    ladder: r.ladder.map((e) => [e.from, e.kind, e.label, e.lines ?? null, e.fields ?? null]),
    credentials: r.credentials.map((c) => [c.mechanism, c.username, c.password]),
    summary: JSON.parse(JSON.stringify(r.summary, (k, v) => (v instanceof Uint8Array || k === 'frame' || k === 'endFrame' || k === 'frames' ? undefined : v))),
    tls: r.tls ? { ch: r.tls.clientHello?.ja4, sh: r.tls.serverHello?.cipher } : null,
  });
}

const CASES = [
  ['lesson SMTP', join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'), 0],
  ['lesson POP3', join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'), 1],
  ['FTP passive', join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'filestore-ftp-passive-mode', 'ftp-passive-mode.pcap'), 0],
  ['HTTP POST', join(FIXTURES, 'corpus', 'chrissanders-packets', 'http_post.pcapng'), 0],
  ['SMTP STARTTLS', join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'smtp-startssl', 'input.pcap'), 0],
] as const;

for (const [name, file, id] of CASES) {
  const conv = conversation(file, id);
  const reference = essence(dissect(conv.port, conv.turns, []));
  test(`${name}: any chunking gives the same ladder, credentials and summary`, () => {
    fc.assert(
      fc.property(fc.array(fc.nat(4000), { maxLength: 60 }), (raw) => {
        const cuts = [...raw].sort((a, b) => a - b);
        const got = essence(dissect(conv.port, conv.turns, cuts));
        if (got !== reference) {
          let i = 0;
          while (got[i] === reference[i]) i++;
          assert.fail(`differs at ${i}: ours …${got.slice(i - 80, i + 120)}… reference …${reference.slice(i - 80, i + 120)}…`);
        }
      }),
      { numRuns: 150, seed: 77 },
    );
  });
  test(`${name}: random bytes spliced into the conversation never throw`, () => {
    fc.assert(
      fc.property(fc.nat(conv.turns.length), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), (at, junk, client) => {
        const turns = [...conv.turns];
        turns.splice(at, 0, { dir: client ? 'client' : 'server', bytes: junk });
        const r = dissect(conv.port, turns, []);
        assert.ok(Array.isArray(r.ladder));
      }),
      { numRuns: 150, seed: 78 },
    );
  });
}
