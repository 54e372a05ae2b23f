/**
 * The renderer's layout functions (data in, positions out) on the lesson's real connections: arrows
 * point from the sender's lifeline, rows are virtualised, and the handshake is drawn in time order
 * with SYN, SYN/ACK, ACK then the FINs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';
import { layoutHandshake } from '../../../renderer/src/layout/handshake-layout';
import { LADDER_MIN_GAP, LADDER_ROW, LADDER_TOP, ladderPositions, layoutLadder, rowsInViewport } from '../../../renderer/src/layout/ladder-layout';
import { MAX_SCROLL_PX, rowBlock, rowWindow, scrollTopForRow } from '../../../renderer/src/layout/list-window';
import { FIXTURES } from '../../helpers/fixtures';

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');

test('ladder layout: one row per event, client → server arrows point right, only the requested rows', async () => {
  const loaded = await loadCapture(LESSON);
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const events = report.connections[0].ladder;
  const all = layoutLadder(events, 800);
  assert.equal(all.arrows.length, events.length);
  assert.equal(all.height, LADDER_TOP + events.length * LADDER_ROW + 20);
  for (const a of all.arrows) {
    assert.equal(a.y, LADDER_TOP + a.index * LADDER_ROW);
    if (a.from === 'client') assert.ok(a.x1 === all.clientX && a.x2 === all.serverX);
    else assert.ok(a.x1 === all.serverX && a.x2 === all.clientX);
  }
  const ys = ladderPositions(Array.from({ length: 10000 }, () => events[0]));
  const { first, count } = rowsInViewport(ys, 10 * LADDER_ROW + LADDER_TOP, 5 * LADDER_ROW, 2);
  assert.deepEqual([first, count], [7, 12]);
  const part = layoutLadder(events, 800, 3, 4);
  assert.deepEqual(part.arrows.map((a) => a.index), [3, 4, 5, 6]);
  assert.equal(all.encryptedBand, null, 'a clear-text SMTP session has no encrypted band');
});

test('ladder layout by time: pauses become gaps, arrows never closer than the minimum, and 10,000 events draw only what is in view', async () => {
  const loaded = await loadCapture(LESSON);
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const events = report.connections[0].ladder;
  const ys = ladderPositions(events, 'time');
  for (let i = 1; i < ys.length; i++) assert.ok(ys[i] - ys[i - 1] >= LADDER_MIN_GAP - 1e-9);
  // A pause (the student thinking for 5 s) is drawn as a gap far wider than the quick exchanges.
  const paused = [0, 0.1, 0.2, 5.2, 5.3, 5.4].map((time, i) => ({ ...events[i], time }));
  const py = ladderPositions(paused, 'time');
  const px = Array.from(py.slice(1), (y, i) => y - py[i]);
  assert.equal(px.indexOf(Math.max(...px)), 2);
  assert.ok(px[2] > 5 * px[0], px.join(', '));
  assert.deepEqual(Array.from(ladderPositions(paused, 'compact')), paused.map((_, i) => LADDER_TOP + i * LADDER_ROW));
  const lay = layoutLadder(events, 800, 0, events.length, ys);
  assert.deepEqual(lay.arrows.map((a) => a.y), Array.from(ys));
  assert.equal(lay.height, ys[ys.length - 1] + LADDER_ROW + 20);

  const many = Array.from({ length: 10000 }, (_, i) => ({ ...events[i % events.length], time: i * 0.01 + (i % 100 === 0 ? 5 : 0) }));
  many.sort((a, b) => a.time - b.time);
  for (const mode of ['compact', 'time'] as const) {
    const p = ladderPositions(many, mode);
    const view = rowsInViewport(p, p[5000], 520);
    assert.ok(view.first <= 5000 && view.first + view.count > 5000);
    assert.ok(view.count <= 520 / LADDER_MIN_GAP + 24, `${mode}: ${view.count} rows drawn`);
    assert.equal(layoutLadder(many, 800, view.first, view.count, p).arrows.length, view.count);
  }
});

test('ladder layout: the encrypted band starts half a row above the first encrypted event and runs to the end', async () => {
  const loaded = await loadCapture(join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'tls', 'tls-pre-1970', 'input.pcap'));
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const events = report.connections[0].ladder;
  const at = events.findIndex((e) => e.tls === 'encrypted-start');
  assert.ok(at > 0 && events.slice(0, at).some((e) => e.tls === 'client-hello'));
  const lay = layoutLadder(events, 800);
  assert.deepEqual(lay.encryptedBand, { y: LADDER_TOP + at * LADDER_ROW - LADDER_ROW / 2, height: lay.height - (LADDER_TOP + at * LADDER_ROW - LADDER_ROW / 2) });
});

test('handshake layout: SYN, SYN/ACK, ACK in time order with options, then both FINs in time order', async () => {
  const loaded = await loadCapture(LESSON);
  const m = loaded.output.models[0];
  await loaded.source.dispose();
  const lay = layoutHandshake(m, 460);
  assert.deepEqual(lay.arrows.map((a) => [a.key, a.from, a.frame]), [
    ['syn', 'client', m.handshake.syn!.frame],
    ['synack', 'server', m.handshake.synAck!.frame],
    ['ack', 'client', m.handshake.ack!.frame],
    // The lesson's server closes first (after 221), then the client.
    ['sfin', 'server', m.teardown.serverFin!.frame],
    ['cfin', 'client', m.teardown.clientFin!.frame],
  ]);
  assert.ok(m.teardown.serverFin!.time < m.teardown.clientFin!.time);
  for (let i = 1; i < lay.arrows.length; i++) assert.ok(lay.arrows[i].y1 > lay.arrows[i - 1].y1, 'later steps are lower');
  for (let i = 1; i < 3; i++) assert.ok(lay.arrows[i].y1 - lay.arrows[i - 1].y1 >= 40, 'handshake steps leave room for their text');
  // The drawing keeps seq, window and time; the options go to the step's explanation.
  assert.match(lay.arrows[0].detail, /^seq \d+ · win 65495 · \+0\.000 ms$/);
  assert.deepEqual(lay.arrows[0].options, { mss: 65495, windowScale: 10, sackPermitted: true, timestamps: true });
  assert.ok(lay.notes.some((n) => /^handshake complete: RTT 0\.0\d\d ms$/.test(n.text)));
  assert.ok(lay.notes.some((n) => n.text === 'closed with FIN from both sides'));
});

test('list window: short lists scroll naturally; 2 million rows fit the browser height limit and reach the last row', () => {
  const short = rowWindow(2200, 440, 1000, 22, 0);
  assert.deepEqual(short, { first: 100, count: 20, top: 2200, spacer: 22000 });
  const total = 2_000_000;
  const top = rowWindow(0, 440, total, 22, 0);
  assert.equal(top.first, 0);
  assert.ok(top.spacer <= MAX_SCROLL_PX, 'the spacer stays under the browser limit');
  const bottom = rowWindow(top.spacer - 440, 440, total, 22, 0);
  assert.equal(bottom.first + bottom.count, total, 'the last row is reachable');
  assert.equal(bottom.top, top.spacer - 440, 'rows are drawn where the viewport is');
  const middle = rowWindow((top.spacer - 440) / 2, 440, total, 22, 5);
  assert.ok(Math.abs(middle.first + 5 - total / 2) < 30, `middle row ${middle.first}`);
});

test('list window: scrolling to a row brings it into view, in plain and in scaled scroll space', () => {
  for (const total of [500, 2_000_000]) {
    for (const row of [0, 1, 250, Math.floor(total / 2), total - 1]) {
      const top = scrollTopForRow(row, 400, total, 22);
      const w = rowWindow(top, 400, total, 22);
      assert.ok(row >= w.first && row < w.first + w.count, `${total} rows: row ${row} not drawn at scrollTop ${top}`);
      assert.ok(top >= 0 && top <= Math.min(total * 22, MAX_SCROLL_PX));
    }
  }
});

test('packet list fetch blocks: every window is inside its block, with a window to spare on each side, and the block changes once per window travelled', () => {
  const total = 2_000_000;
  const count = 62;
  let fetches = 0;
  let prev = '';
  for (let first = 0; first + count <= total && first < 20_000; first += 3) {
    const b = rowBlock(first, count, total);
    assert.ok(b.start <= first && first + count <= b.start + b.count, `window ${first} inside its block`);
    assert.ok(first - b.start >= Math.min(first, count), 'a window above (or the list start)');
    assert.ok(b.start + b.count - (first + count) >= count, 'a window below');
    const key = `${b.start}:${b.count}`;
    if (key !== prev) fetches++;
    prev = key;
  }
  // 20,000 rows scrolled three at a time: about 6,700 frames, one fetch per 62 rows.
  assert.equal(fetches, Math.ceil(20_000 / count));
  // Near the end the block stops at the last row; an empty list or an unmeasured view fetches nothing.
  const end = rowBlock(total - count, count, total);
  assert.equal(end.start + end.count, total);
  assert.deepEqual(rowBlock(0, 0, total), { start: 0, count: 0 });
  assert.deepEqual(rowBlock(0, count, 0), { start: 0, count: 0 });
  assert.deepEqual(rowBlock(0, 10, 25), { start: 0, count: 25 });
});
