/**
 * The lesson view's pure parts on real captures: the steps of a connection (handshake, ladder,
 * teardown in frame order), the step of a clicked frame, the bytes a step highlights, the "red
 * packets" attached to ladder events, the first connection a lesson opens on, the palette's
 * Wireshark colouring rules and contrast, plain-word diagnostics and the splitter arithmetic.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ConnectionView } from '../../../api/engine-api';
import { Engine } from '../../../electron/engine/engine';
import { ladderMarks } from '../../../renderer/src/layout/ladder-marks';
import {
  lessonConnection,
  lessonSteps,
  stepBytes,
  stepOfFrame,
  stepOfLadder,
  stepOfTcp,
} from '../../../renderer/src/layout/lesson-steps';
import { clampSplit, dragSplit, parseStoredFraction } from '../../../renderer/src/layout/pane-sizes';
import {
  contrastRatio,
  cssVariables,
  packetRule,
  PALETTE,
  troubleOf,
} from '../../../renderer/src/palette/palette';
import { bySeverity, plainTitle } from '../../../renderer/src/text/diagnostic-words';
import { FIXTURES, ROOT } from '../../helpers/fixtures';

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
// Sendmail answering 500 to garbage: a retransmitted reply (frame 7) and the client's RST (frame 12).
const SMTP_ERRORS = join(FIXTURES, 'corpus', 'suricata-verify', 'tests', 'smtp-errors', 'smtperr.pcap');

let engine: Engine;
let lesson: ConnectionView;
let errors: ConnectionView;
let lessonId: string;

before(async () => {
  engine = new Engine({});
  const a = await engine.openFile(LESSON);
  lessonId = a.id;
  await engine.getConnections(a.id);
  lesson = await engine.getConnection(a.id, 0);
  const b = await engine.openFile(SMTP_ERRORS);
  await engine.getConnections(b.id);
  errors = await engine.getConnection(b.id, 0);
});
after(() => engine?.close());

test('a lesson walks the handshake, every ladder event and the teardown, in frame order', () => {
  const steps = lessonSteps(lesson.model, lesson.ladder);
  assert.equal(steps.length, lesson.ladder.length + 5, 'SYN, SYN/ACK, ACK, two FINs');
  assert.deepEqual(
    steps.slice(0, 3).map((s) => (s.type === 'tcp' ? s.key : s.type)),
    ['syn', 'synack', 'ack'],
  );
  assert.deepEqual(
    steps.slice(-2).map((s) => (s.type === 'tcp' ? s.key : s.type)),
    ['sfin', 'cfin'],
  );
  for (let i = 1; i < steps.length; i++)
    assert.ok(steps[i].frame >= steps[i - 1].frame, `step ${i} is not before step ${i - 1}`);
  assert.equal(steps.filter((s) => s.type === 'ladder').length, lesson.ladder.length);
  // Back and forth between steps, ladder events, handshake marks and frames.
  const auth = lesson.ladder.findIndex((e) => e.label.startsWith('AUTH LOGIN'));
  const at = stepOfLadder(steps, auth);
  assert.equal(steps[at].frame, lesson.ladder[auth].frame);
  assert.equal(stepOfFrame(steps, lesson.ladder, lesson.ladder[auth].frame), at);
  assert.equal(stepOfTcp(steps, 'synack'), 1);
  assert.equal(stepOfFrame(steps, lesson.ladder, lesson.model.handshake.ack!.frame), 2);
  // A pure ACK between events belongs to the step before it.
  const ackOnly = lesson.frames.find(
    (f) => f > lesson.ladder[auth].frame && !lesson.ladder.some((e) => e.frames.includes(f)),
  )!;
  assert.ok(steps[stepOfFrame(steps, lesson.ladder, ackOnly)].frame <= ackOnly);
});

test('a step highlights its own bytes: the application bytes of a ladder step, the TCP header of a handshake step', async () => {
  const steps = lessonSteps(lesson.model, lesson.ladder);
  const ehlo = lesson.ladder.findIndex((e) => e.label.startsWith('EHLO'));
  const step = steps[stepOfLadder(steps, ehlo)];
  const d = await engine.getPacketDetail(lessonId, step.frame);
  const [off, len] = stepBytes(step, d.layers, d.capLen)!;
  const bytes = Buffer.from(d.bytesBase64, 'base64').subarray(off, off + len);
  assert.equal(bytes.toString('latin1'), 'EHLO student-pc\r\n');
  const syn = await engine.getPacketDetail(lessonId, lesson.model.handshake.syn!.frame);
  const [o2, l2] = stepBytes(steps[0], syn.layers, syn.capLen)!;
  const tcp = syn.layers.find((l) => l.name.startsWith('Transmission Control Protocol'))!;
  assert.deepEqual([o2, l2], [tcp.offset, tcp.length]);
  assert.equal(
    Buffer.from(syn.bytesBase64, 'base64')[o2 + 13] & 0x02,
    0x02,
    'the SYN flag is inside the highlighted header',
  );
});

test('red packets: the retransmitted reply and the RST are marked on the ladder where they happened', () => {
  const marks = ladderMarks(errors.ladder, errors.frameMarks ?? []);
  const all = [...marks.values()].flat();
  const retrans = all.find((m) => m.frame === 7);
  assert.ok(retrans, JSON.stringify(errors.frameMarks));
  assert.deepEqual(retrans.kinds, ['retransmission']);
  const rst = all.find((m) => m.frame === 12);
  assert.deepEqual(rst?.kinds, ['rst']);
  // Each mark sits on the last event at or before its frame.
  for (const [i, list] of marks)
    for (const m of list) assert.ok(errors.ladder[i].frame <= m.frame || i === 0);
  // SYN and FIN alone are not trouble.
  assert.ok(!all.some((m) => m.frame === 1 || m.frame === 9));
});

test('packets take Wireshark’s default colouring rules, first match wins', () => {
  assert.equal(
    packetRule({ protocol: 'SMTP', tcpFlags: 0x18, analysis: ['tcp.analysis.retransmission'] }),
    'bad-tcp',
  );
  assert.equal(packetRule({ protocol: 'TCP', tcpFlags: 0x14 }), 'rst');
  assert.equal(
    packetRule({ protocol: 'TCP', tcpFlags: 0x14, analysis: ['tcp.analysis.duplicate_ack'] }),
    'bad-tcp',
  );
  assert.equal(packetRule({ protocol: 'TCP', tcpFlags: 0x02 }), 'syn-fin');
  assert.equal(packetRule({ protocol: 'TCP', tcpFlags: 0x11 }), 'syn-fin');
  assert.equal(
    packetRule({ protocol: 'HTTP', tcpFlags: 0x11 }),
    'http',
    'Wireshark’s HTTP rule comes before SYN/FIN',
  );
  assert.equal(
    packetRule({ protocol: 'TCP', tcpFlags: 0x10, analysis: ['tcp.analysis.window_update'] }),
    'tcp',
    'a window update is not bad',
  );
  assert.equal(packetRule({ protocol: 'TCP', tcpFlags: 0x10, analysis: ['tcp.analysis.keep_alive'] }), 'tcp');
  assert.equal(packetRule({ protocol: 'SMTP', tcpFlags: 0x18 }), 'smtp');
  assert.equal(packetRule({ protocol: 'DNS' }), 'udp');
  assert.deepEqual(troubleOf({ tcpFlags: 0x10, analysis: ['tcp.analysis.zero_window'] }), ['zero-window']);
  assert.deepEqual(
    troubleOf({
      tcpFlags: 0x10,
      analysis: ['tcp.analysis.fast_retransmission', 'tcp.analysis.retransmission'],
    }),
    ['retransmission'],
  );
});

test('the palette’s text colours reach 4.5:1 on their backgrounds in both themes', () => {
  for (const theme of ['light', 'dark'] as const) {
    const c = PALETTE[theme];
    for (const k of [
      'text',
      'muted',
      'positive',
      'intermediate',
      'transientNegative',
      'permanentNegative',
      'tls',
      'neutral',
    ] as const) {
      assert.ok(
        contrastRatio(c[k], c.page) >= 4.5,
        `${theme} ${k} ${c[k]} on ${c.page}: ${contrastRatio(c[k], c.page).toFixed(2)}`,
      );
    }
    for (const [fg, bg] of [
      ['badTcpFg', 'badTcpBg'],
      ['rstFg', 'rstBg'],
      ['synFinFg', 'synFinBg'],
    ] as const)
      assert.ok(contrastRatio(c[fg], c[bg]) >= 4.5, `${theme} ${fg}`);
    for (const tint of [
      'tintTcp',
      'tintUdp',
      'tintHttp',
      'tintSmtp',
      'tintPop3',
      'tintFtp',
      'tintTls',
    ] as const)
      assert.ok(contrastRatio(c.text, c[tint]) >= 4.5, `${theme} text on ${tint}`);
  }
  assert.equal(contrastRatio('#000000', '#ffffff').toFixed(1), '21.0');
  assert.equal(cssVariables('dark')['--c-bad-tcp-bg'], '#12272e');
  assert.equal(cssVariables('light')['--c-transient-negative'], PALETTE.light.transientNegative);
});

test('every palette colour the stylesheet uses is one the palette sets, in both themes', () => {
  const css = readFileSync(join(ROOT, 'renderer', 'src', 'styles.css'), 'utf8');
  const used = new Set([...css.matchAll(/var\((--c-[a-z0-9-]+)/g)].map((m) => m[1]));
  assert.ok(used.size >= 20, `${used.size} palette colours used`);
  for (const theme of ['light', 'dark'] as const) {
    const vars = cssVariables(theme);
    for (const name of used) assert.ok(name in vars, `${name} is not a palette colour (${theme})`);
  }
  // The stylesheet's first-paint fallbacks are the light palette's.
  for (const [name, value] of Object.entries(cssVariables('light'))) {
    const m = css.match(new RegExp(`${name}: (#[0-9a-f]{6})`));
    if (m) assert.equal(m[1], value, name);
  }
});

test('a lesson opens on the first connection with an application protocol', () => {
  assert.equal(lessonConnection([]), null);
  assert.equal(
    lessonConnection([
      { id: 0, protocol: 'unknown', firstFrame: 1 },
      { id: 1, protocol: 'pop3', firstFrame: 5 },
      { id: 2, protocol: 'smtp', firstFrame: 3 },
    ]),
    2,
  );
  assert.equal(
    lessonConnection([
      { id: 4, protocol: 'unknown', firstFrame: 9 },
      { id: 3, protocol: 'unknown', firstFrame: 2 },
    ]),
    3,
  );
});

test('diagnostics in plain words, grouped by severity, most severe first', () => {
  const groups = bySeverity(errors.diagnostics);
  assert.deepEqual(
    groups.map((g) => g.severity),
    ['warn', 'note'],
  );
  assert.equal(
    groups.reduce((n, g) => n + g.items.length, 0),
    errors.diagnostics.length,
  );
  const retrans = errors.diagnostics.find((d) => d.code === 'tcp.segment.retransmission')!;
  assert.match(plainTitle(retrans), /sent twice/);
  const from = lesson.diagnostics.find((d) => d.code === 'smtp.message.from_mismatch')!;
  assert.match(plainTitle(from), /From: line/);
  assert.match(plainTitle({ code: 'x.y.z', group: 'malformed' }), /damaged/);
});

test('splitters keep both panes above their minimum and stored sizes are checked', () => {
  assert.equal(clampSplit(0.9, 1000, 100, 200), 0.8);
  assert.equal(clampSplit(0.01, 1000, 100, 200), 0.1);
  assert.equal(clampSplit(0.5, 1000, 100, 200), 0.5);
  assert.equal(dragSplit(0.5, 100, 1000, 100, 200), 0.6);
  assert.equal(parseStoredFraction('0.42', 0.3), 0.42);
  for (const bad of [null, 'NaN', '2', '-1', '', 'x']) assert.equal(parseStoredFraction(bad, 0.3), 0.3);
});
