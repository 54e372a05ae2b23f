/**
 * `wirelens analyze --json` streams its report (one connection at a time, waiting for the output to
 * drain) and must write exactly what it wrote when it was one `JSON.stringify(report, replacer, 2)`
 * with payload bytes dropped: checked on the report the CLI builds (the Engine, as the command) for
 * every capture in fixtures/, on edge shapes, and against a slow reader, where at most one chunk
 * may wait in the stream's buffer at any time.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { writeJsonReport, StreamWriter, OutputClosedError } from '../../../electron/cli/json-stream';
import { Engine } from '../../../electron/engine/engine';
import { captureFixtures, fixtureName } from '../../helpers/fixtures';

/** The CLI's format before streaming: one JSON.stringify, payload bytes (Uint8Array) left out. */
const before = (value: object) =>
  JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? undefined : v), 2) + '\n';

async function streamed(value: object): Promise<{ text: string; writes: number }> {
  const parts: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      parts.push(String(chunk));
      done();
    },
  });
  await writeJsonReport(value, sink);
  return { text: parts.join(''), writes: parts.length };
}

test('every fixture capture: the streamed report is byte for byte the JSON.stringify the CLI wrote before', async () => {
  const engine = new Engine({ batch: true });
  let compared = 0;
  let connections = 0;
  try {
    for (const file of captureFixtures()) {
      let report: object & { connections: unknown[] };
      try {
        report = (await engine.openAndWait(file)).fullReport();
      } catch {
        continue; // not a capture (the CLI prints an error for these, never JSON)
      }
      const out = await streamed(report);
      assert.equal(out.text, before(report), fixtureName(file));
      compared++;
      connections += report.connections.length;
    }
  } finally {
    await engine.close();
  }
  assert.ok(compared >= 150, `compared ${compared} fixtures`);
  assert.ok(connections > 300, `${connections} connections compared`);
});

test('edge shapes: empty, omitted and binary values, escapes, nesting', async () => {
  const shapes: object[] = [
    {},
    { a: [] },
    { a: {} },
    { a: [undefined, new Uint8Array(3), {}, [], null, 0, '', [[]]] },
    { b: undefined, c: new Uint8Array(2), d: () => 1, e: 'x', f: Symbol('s') },
    {
      s: 'line\nbreak "quoted" \\ tab\t é ✓ \u2028 \u0000 \u001b]0;x\u0007',
      k: { 'key "q"\n': [1, { deep: [{ x: 'a\nb' }] }] },
    },
    {
      connections: [
        { id: 0, ladder: [{ label: 'EHLO x', lines: ['a', 'b\nc'] }], payload: new Uint8Array(4) },
      ],
      credentials: [],
    },
    { big: Array.from({ length: 5000 }, (_, i) => ({ i, s: 'x'.repeat(i % 97) })) },
  ];
  for (const v of shapes) assert.equal((await streamed(v)).text, before(v), JSON.stringify(Object.keys(v)));
});

test('JSON output never carries a raw control character: escapes and line separators as JSON.stringify writes them', async () => {
  const hostile = {
    label: 'AUTH PLAIN \u001b]0;owned\u0007\u001b[2J\u009b31m\u001b]8;;http://evil.example/\u001b\\x\u007f',
  };
  const text = (await streamed(hostile)).text;
  // C0 controls other than the layout's own newlines are escaped as \u00XX by JSON.stringify.
  assert.doesNotMatch(text.replace(/\n/g, ''), /[\u0000-\u001f]/);
  assert.match(text, /\\u001b\]0;owned\\u0007/);
});

test('a slow reader: the writer waits for drain, so at most one chunk waits in the stream at any time', async () => {
  const value = {
    connections: Array.from({ length: 20000 }, (_, i) => ({
      id: i,
      label: `connection ${i} ${'·'.repeat(i % 50)}`,
    })),
  };
  const parts: string[] = [];
  let mostQueued = 0;
  let biggestChunk = 0;
  const slow = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      // Everything waiting in the stream, this chunk included.
      mostQueued = Math.max(mostQueued, this.writableLength);
      biggestChunk = Math.max(biggestChunk, chunk.length);
      parts.push(chunk.toString('utf8'));
      setTimeout(done, 1);
    },
  });
  await writeJsonReport(value, slow);
  const text = parts.join('');
  assert.equal(text, before(value));
  assert.ok(text.length > 1_000_000, `${text.length} characters written`);
  assert.ok(parts.length > 10, `${parts.length} chunks`);
  assert.equal(mostQueued, biggestChunk, 'nothing queued behind the chunk being written');
  assert.ok(biggestChunk < 256 * 1024, `chunks stay small (${biggestChunk} bytes)`);
});

test('the reader goes away: the writer stops with OutputClosedError instead of queuing the rest', async () => {
  let accepted = 0;
  const closing = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      accepted += chunk.length;
      setTimeout(() => {
        done();
        this.destroy();
      }, 1);
    },
  });
  closing.on('error', () => undefined);
  const value = { rows: Array.from({ length: 50000 }, (_, i) => ({ i })) };
  await assert.rejects(writeJsonReport(value, closing), OutputClosedError);
  assert.ok(accepted < 256 * 1024, `${accepted} bytes accepted before the close`);
});

test('StreamWriter gathers small writes into chunks and writes what is left at the end', async () => {
  const parts: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      parts.push(String(chunk));
      done();
    },
  });
  const w = new StreamWriter(sink);
  for (let i = 0; i < 100000; i++) {
    const wait = w.write(`${i}\n`);
    if (wait) await wait;
  }
  await w.end();
  assert.equal(parts.join(''), Array.from({ length: 100000 }, (_, i) => `${i}\n`).join(''));
  assert.ok(parts.length < 20, `${parts.length} writes for 100000 lines`);
});
