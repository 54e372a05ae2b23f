/**
 * Export and Follow-stream formatting on the lesson's real connections: the exported ladder SVG has
 * one arrow per event with every captured string escaped (a hostile label stays text), and the
 * follow modes are faithful — the hex dump and the raw hex decode back to exactly the stream bytes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FollowResult } from '../../../api/engine-api';
import type { LadderEvent } from '../../../dissectors/app/types';
import { Engine } from '../../../electron/engine/engine';
import { escapeXml, ladderSvg } from '../../../renderer/src/export/svg-export';
import { followText, followTurns } from '../../../renderer/src/layout/follow-format';
import { FIXTURES } from '../../helpers/fixtures';

async function lesson<T>(f: (e: Engine, id: string) => Promise<T>): Promise<T> {
  const e = new Engine({});
  try {
    const s = await e.openAndWait(join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'));
    return await f(e, s.info.id);
  } finally {
    await e.close();
  }
}

test('the exported ladder SVG: every event, lanes named, captured text escaped', async () => {
  const view = await lesson((e, id) => e.getConnection(id, 0));
  const { svg, height } = ladderSvg(view.ladder, view.row.client, view.row.server);
  assert.equal(svg.match(/<g class="arrow /g)?.length, view.ladder.length);
  assert.ok(svg.includes('MAIL FROM:&lt;student@lab.local&gt;'));
  assert.ok(svg.includes(`>${view.row.client}<`) && svg.includes(`>${view.row.server}<`));
  assert.ok(height > view.ladder.length * 20);
  const hostile: LadderEvent[] = [{ ...view.ladder[0], label: '<script>alert(1)</script> & "x" \u202e' }];
  const h = ladderSvg(hostile, '<a>', 'b').svg;
  assert.ok(!h.includes('<script>') && !h.includes('<a>'));
  assert.ok(h.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; \\u{202e}'));
  assert.equal(escapeXml(`<>&"'`), '&lt;&gt;&amp;&quot;&apos;');
});

function streamBytes(res: FollowResult, dir: 'client' | 'server'): Buffer {
  return Buffer.concat(res.segments.filter((s) => s.dir === dir && s.bytesBase64).map((s) => Buffer.from(s.bytesBase64!, 'base64')));
}

test('follow modes: text reads the conversation; hex dump and raw hex decode back to the same bytes', async () => {
  const res = await lesson((e, id) => e.follow(id, 1));
  const text = followTurns(res, 'text');
  assert.equal(text.turns[0].dir, 'server');
  assert.match(text.turns[0].text, /^\+OK Wirelens lab POP3 server ready/);
  assert.equal(text.turns[1].text.trim(), 'USER teacher');
  for (const dir of ['client', 'server'] as const) {
    const want = streamBytes(res, dir);
    const hex = followTurns(res, 'hex').turns.filter((t) => t.dir === dir && !t.gap);
    const fromDump = Buffer.from(hex.map((t) => t.text.split('\n').filter(Boolean).map((l) => l.slice(10, 57).replace(/ /g, '')).join('')).join(''), 'hex');
    assert.deepEqual(fromDump, want, `${dir}: hex dump`);
    const raw = followTurns(res, 'raw').turns.filter((t) => t.dir === dir && !t.gap);
    assert.deepEqual(Buffer.from(raw.map((t) => t.text.trim()).join(''), 'hex'), want, `${dir}: raw hex`);
  }
  const doc = followText(res, 'text');
  assert.match(doc, /^Follow TCP stream: client 127\.0\.0\.1:\d+ ⇄ server 127\.0\.0\.1:1110 \(text; C> client, S< server\)\n\nS< \+OK/);
  assert.ok(doc.includes('\nC> USER teacher'));
});
