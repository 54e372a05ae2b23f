/**
 * `wirelens analyze --json` writes its report in pieces (one connection at a time) so a big
 * capture's report is never one string: the text must be exactly what JSON.stringify(report,
 * jsonReplacer, 2) gives — on real captures' reports and on edge shapes (empty arrays and objects,
 * omitted values, kept payload bytes, escaped strings).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { jsonReplacer, writeJson } from '../../../electron/cli/commands/analyze';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

function written(value: object): { text: string; writes: number } {
  const parts: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      parts.push(String(chunk));
      done();
    },
  });
  writeJson(value, sink);
  return { text: parts.join(''), writes: parts.length };
}

const expected = (value: object) => JSON.stringify(value, jsonReplacer, 2) + '\n';

test('real reports: written piece by piece, the same text as one JSON.stringify', async () => {
  for (const f of ['lessons/smtp-pop3-lesson.pcap', 'corpus/suricata-verify/tests/ftp/ftp-download-passive/input.pcap', 'synthetic/hostile-payloads.pcap', 'bench-small/bench-eth-s6.pcap']) {
    const l = await loadCapture(join(FIXTURES, f), { keepPayloads: true });
    const report = buildReport(l.summary, l.output, l.source.size);
    const out = written(report);
    assert.equal(out.text, expected(report), f);
    assert.ok(out.writes > report.connections.length, `${f}: written in ${out.writes} pieces`);
    await l.source.dispose();
  }
});

test('edge shapes: empty, omitted and binary values, escapes, nesting', () => {
  const shapes: object[] = [
    {},
    { a: [] },
    { a: {} },
    { a: [undefined, new Uint8Array(3), {}, [], null, 0, '', [[]]] },
    { b: undefined, c: new Uint8Array(2), d: () => 1, e: 'x' },
    { s: 'line\nbreak "quoted" \\ tab\t é ✓ \u2028 \u0000', k: { 'key "q"\n': [1, { deep: [{ x: 'a\nb' }] }] } },
    { connections: [{ id: 0, ladder: [{ label: 'EHLO x', lines: ['a', 'b\nc'] }], payload: new Uint8Array(4) }], credentials: [] },
  ];
  for (const v of shapes) assert.equal(written(v).text, expected(v), JSON.stringify(Object.keys(v)));
});
