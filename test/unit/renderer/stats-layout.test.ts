/** The Statistics views' layouts and CSV on real captures: positions follow the data, zoom narrows it, retransmissions are marked, CSV is safe. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import type { IoGraph, TcpStreamGraph } from '../../../api/engine-api';
import { layoutIoGraph, layoutTcpGraph, MARGIN } from '../../../renderer/src/layout/tcp-graph-layout';
import { conversationsCsv, csvCell, hierarchyCsv } from '../../../renderer/src/layout/stats-csv';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const SIZE = { width: 800, height: 400 };

describe('statistics layouts', () => {
  const engine = new Engine({ batch: true });
  let lesson: TcpStreamGraph;
  let resent: TcpStreamGraph;
  let io: IoGraph;
  before(async () => {
    const a = await engine.openAndWait(join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap'));
    lesson = await engine.getTcpStreamGraph(a.info.id, 0, 'client');
    io = await engine.getIoGraph(a.info.id, 1, ['', 'pop']);
    const b = await engine.openAndWait(
      join(FIXTURES, 'corpus/chrissanders-packets/tcp_retransmissions.pcapng'),
    );
    const g0 = await engine.getTcpStreamGraph(b.info.id, 0, 'client');
    resent = g0.segments.some((s) => s.len > 0) ? g0 : await engine.getTcpStreamGraph(b.info.id, 0, 'server');
  });
  after(() => engine.close());

  it('Stevens: one dot per segment, later and higher sequence numbers further right and up', () => {
    const lay = layoutTcpGraph(lesson, 'stevens', SIZE);
    assert.equal(lay.dots.length, lesson.segments.length);
    const data = lay.dots.filter((_, k) => lesson.segments[k].len > 0);
    for (let k = 1; k < data.length; k++)
      assert.ok(data[k].x >= data[k - 1].x && data[k].y <= data[k - 1].y, `dot ${k}`);
    for (const d of lay.dots)
      assert.ok(
        d.x >= MARGIN.left &&
          d.x <= SIZE.width - MARGIN.right &&
          d.y >= MARGIN.top &&
          d.y <= SIZE.height - MARGIN.bottom,
      );
  });

  it('retransmissions are red marks (kind retransmission) in Stevens and tcptrace', () => {
    const n = resent.segments.filter((s) => s.retransmission).length;
    assert.ok(n >= 5);
    assert.equal(
      layoutTcpGraph(resent, 'stevens', SIZE).dots.filter((d) => d.kind === 'retransmission').length,
      n,
    );
    assert.equal(
      layoutTcpGraph(resent, 'tcptrace', SIZE).bars.filter((d) => d.kind === 'retransmission').length,
      n,
    );
  });

  it('tcptrace: a bar per segment covering its bytes, the ACK line under the window line', () => {
    const lay = layoutTcpGraph(lesson, 'tcptrace', SIZE);
    const seg = lesson.segments.find((s) => s.len > 10)!;
    const bar = lay.bars.find((b) => b.frame === seg.frame)!;
    assert.ok(bar.y1 - bar.y2 > 0, 'the bar rises with the bytes it carries');
    assert.deepEqual(
      lay.lines.map((l) => l.kind),
      ['ack', 'window'],
    );
    assert.match(lay.lines[0].d, /^M[\d.]+,[\d.]+H/);
    // The lesson's few hundred bytes under a 64 KiB window: the data fills the height, the window line runs above it and a note says so.
    assert.ok(bar.y1 - bar.y2 > 3);
    assert.match(lay.note ?? '', /above the top of the graph/);
  });

  it('zooming to a time range keeps only the marks inside it', () => {
    const t0 = lesson.segments[5].time;
    const t1 = lesson.segments[10].time;
    const lay = layoutTcpGraph(lesson, 'stevens', SIZE, [t0, t1]);
    assert.equal(lay.dots.length, lesson.segments.filter((s) => s.time >= t0 && s.time <= t1).length);
    assert.ok(lay.dots[0].x <= MARGIN.left + 1);
  });

  it('RTT, throughput and window graphs draw their samples', () => {
    assert.equal(layoutTcpGraph(lesson, 'rtt', SIZE).dots.length, lesson.rtt.length);
    assert.ok(lesson.rtt.length > 5);
    assert.ok(layoutTcpGraph(lesson, 'throughput', SIZE).lines[0].d.length > 0);
    const w = layoutTcpGraph(lesson, 'window', SIZE);
    assert.equal(w.dots.length, lesson.inFlight.length);
    assert.ok(w.lines[0].d.startsWith('M'));
    assert.match(w.note ?? '', /bytes in flight never came near it/);
    assert.ok(
      w.dots.some((d) => d.y < SIZE.height - MARGIN.bottom - 50),
      'bytes in flight rise off the axis',
    );
  });

  it('IO Graph: a line per series, a point per interval', () => {
    const lay = layoutIoGraph(io, 'frames', SIZE);
    assert.equal(lay.lines.length, 2);
    assert.equal(lay.lines[0].d.split(/[ML]/).filter(Boolean).length, io.series[0].frames.length);
    assert.match(lay.yLabel, /Packets\/s/);
  });

  it('CSV quotes separators and disarms formulas', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell(-5), '-5');
    const csv = hierarchyCsv(
      [
        {
          protocol: 'eth',
          frames: 2,
          bytes: 100,
          children: [{ protocol: 'ip', frames: 1, bytes: 60, children: [] }],
        },
      ],
      2,
      100,
    );
    assert.equal(
      csv,
      'Protocol path,Frames,% frames,Bytes,% bytes\r\neth,2,100,100,100\r\neth:ip,1,50,60,60\r\n',
    );
    assert.match(
      conversationsCsv([
        {
          a: '[::1]:1',
          b: '[::1]:2',
          framesAtoB: 1,
          bytesAtoB: 60,
          framesBtoA: 0,
          bytesBtoA: 0,
          payloadAtoB: 0,
          payloadBtoA: 0,
          start: 0,
          duration: 0,
          firstFrame: 1,
          connection: 0,
        },
      ]),
      /\[::1\]:1,\[::1\]:2,1,60,0,0,1,60/,
    );
  });
});
