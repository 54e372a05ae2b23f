/**
 * The Statistics views' numbers against tshark's and capinfos's own (golden files written by
 * scripts/golden/stats.ts): Protocol Hierarchy, TCP/UDP/IP conversations, IPv4 endpoints, IO
 * statistics per second and the capture file properties, compared to the precision tshark prints.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { flattenHierarchy } from '../../../dissectors/stats/tables';
import type { CaptureStatistics, ConversationRow, IoGraph } from '../../../api/engine-api';
import { goldenPath, STATS_CAPTURES } from '../../../scripts/golden/stats';
import {
  parseCapinfos,
  parseConversations,
  parseEndpoints,
  parseIoStat,
  parsePhs,
} from '../../helpers/tshark-stats';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const golden = (capture: string, table: string) => readFileSync(goldenPath(capture, table), 'utf8');

/**
 * Captures whose application layer tshark names by port while the engine names it by content
 * (SMTP/POP3/FTP on ports tshark does not know): tshark's `data` there is the engine's protocols together.
 */
const APP_BY_CONTENT = new Set(['smtp-pop3-lesson.pcap', 'ftp-transfers-and-mistakes.pcap']);
/**
 * tshark counts HTTP only in the frame that ends a reassembled message: http_google's two
 * responses spread over several segments, which the engine labels HTTP as its packet list does.
 */
const APP_DIFFERS = new Set(['http_google.pcapng']);

/** tshark writes an IPv6 endpoint with its port as addr:port, the engine as [addr]:port. */
const plain = (endpoint: string) => endpoint.replace(/^\[(.*)\]:(\d+)$/, '$1:$2');

describe('Statistics agree with tshark and capinfos', () => {
  const engine = new Engine({ batch: true });
  const results = new Map<string, { stats: CaptureStatistics; io: IoGraph }>();

  before(async () => {
    for (const rel of STATS_CAPTURES) {
      const s = await engine.openAndWait(join(FIXTURES, rel));
      results.set(rel, {
        stats: await engine.getStatistics(s.info.id),
        io: await engine.getIoGraph(s.info.id, 1, ['']),
      });
    }
  });
  after(() => engine.close());

  for (const rel of STATS_CAPTURES) {
    const capture = join(FIXTURES, rel);
    const name = rel.split('/').pop()!;

    it(`${name}: protocol hierarchy (tshark -z io,phs)`, () => {
      const { stats } = results.get(rel)!;
      const mine = flattenHierarchy(stats.hierarchy);
      const theirs = parsePhs(golden(capture, 'phs'));
      assert.ok(theirs.length > 0);
      const depth = (p: string) => p.split(':').length;
      // Link, network and transport levels: every path with its frames and bytes, exactly.
      assert.deepEqual(
        mine.filter((r) => depth(r.path) <= 3),
        theirs.filter((r) => depth(r.path) <= 3),
      );
      if (APP_DIFFERS.has(name)) return;
      const apps = theirs.filter((r) => depth(r.path) === 4);
      for (const t of apps) {
        const parent = t.path.split(':').slice(0, 3).join(':');
        if (APP_BY_CONTENT.has(name) && t.path.endsWith(':data')) {
          const children = mine.filter((r) => depth(r.path) === 4 && r.path.startsWith(`${parent}:`));
          assert.ok(
            children.length > 0 && children.every((c) => !c.path.endsWith(':data')),
            `${name}: the engine names every payload by its content`,
          );
          assert.deepEqual(
            {
              frames: children.reduce((a, c) => a + c.frames, 0),
              bytes: children.reduce((a, c) => a + c.bytes, 0),
            },
            { frames: t.frames, bytes: t.bytes },
          );
        } else {
          assert.deepEqual(
            mine.find((r) => r.path === t.path),
            t,
            `${name}: ${t.path}`,
          );
        }
      }
      if (!APP_BY_CONTENT.has(name))
        assert.equal(
          mine.filter((r) => depth(r.path) === 4).length,
          apps.length,
          `${name}: the same application protocols`,
        );
    });

    for (const kind of ['tcp', 'udp', 'ip'] as const) {
      it(`${name}: ${kind} conversations (tshark -z conv,${kind})`, () => {
        const { stats } = results.get(rel)!;
        const key = (c: { a: string; b: string }) => `${plain(c.a)} ${plain(c.b)}`;
        const view = (c: ConversationRow) => ({
          a: plain(c.a),
          b: plain(c.b),
          framesBtoA: c.framesBtoA,
          bytesBtoA: c.bytesBtoA,
          framesAtoB: c.framesAtoB,
          bytesAtoB: c.bytesAtoB,
          frames: c.framesAtoB + c.framesBtoA,
          bytes: c.bytesAtoB + c.bytesBtoA,
          start: c.start.toFixed(9),
          duration: c.duration.toFixed(4),
        });
        const theirs = parseConversations(golden(capture, `conv-${kind}`)).sort((x, y) =>
          key(x) < key(y) ? -1 : 1,
        );
        const mine = stats.conversations[kind].map(view).sort((x, y) => (key(x) < key(y) ? -1 : 1));
        assert.deepEqual(mine, theirs);
      });
    }

    it(`${name}: IPv4 endpoints (tshark -z endpoints,ip)`, () => {
      const { stats } = results.get(rel)!;
      const theirs = parseEndpoints(golden(capture, 'endpoints-ip'));
      const byAddress = (x: { address: string }, y: { address: string }) => (x.address < y.address ? -1 : 1);
      assert.deepEqual([...stats.endpoints.ip].sort(byAddress), theirs.sort(byAddress));
    });

    it(`${name}: frames and bytes per second (tshark -z io,stat,1)`, () => {
      const { io } = results.get(rel)!;
      const theirs = parseIoStat(golden(capture, 'io-1'));
      const mine = io.series[0].frames.map((frames, k) => ({ frames, bytes: io.series[0].bytes[k] }));
      // A capture shorter than the interval: tshark prints one interval as long as the capture.
      if (theirs.interval === 1) assert.equal(io.interval, 1);
      assert.deepEqual(mine, theirs.rows);
    });

    it(`${name}: capture file properties (capinfos -M)`, () => {
      const p = results.get(rel)!.stats.properties;
      const c = parseCapinfos(golden(capture, 'capinfos'));
      assert.equal(p.format, c['File type']);
      assert.equal(`${p.packets}`, c['Number of packets']);
      assert.equal(`${p.fileBytes} bytes`, c['File size']);
      assert.equal(`${p.dataBytes} bytes`, c['Data size']);
      assert.equal(`${p.duration.toFixed(p.timePrecision)} seconds`, c['Capture duration']);
      assert.equal(p.firstTime, c['First packet time']);
      assert.equal(p.lastTime, c['Last packet time']);
      // capinfos divides by last − first packet time as two doubles of seconds since 1970, which
      // loses ~0.1 µs: the engine's rates use the exact duration, and agree with capinfos's once
      // divided by capinfos's own duration.
      const epoch = (t: string) => Date.parse(`${t.slice(0, 19)}Z`) / 1000 + Number(`0${t.slice(19)}`);
      const capinfosDuration = epoch(p.lastTime!) - epoch(p.firstTime!);
      assert.equal(`${(p.dataBytes / capinfosDuration).toFixed(2)} bytes/sec`, c['Data byte rate']);
      assert.equal(`${((p.dataBytes * 8) / capinfosDuration).toFixed(2)} bits/sec`, c['Data bit rate']);
      assert.equal(`${(p.packets / capinfosDuration).toFixed(2)} packets/sec`, c['Average packet rate']);
      assert.ok(Math.abs(p.duration - capinfosDuration) < 1e-6);
      assert.equal(p.dataByteRate, p.dataBytes / p.duration);
      assert.equal(p.dataBitRate, p.dataByteRate! * 8);
      assert.equal(`${p.averagePacketSize?.toFixed(2)} bytes`, c['Average packet size']);
      assert.equal(p.strictTimeOrder ? 'True' : 'False', c['Strict time order']);
      assert.equal(`${p.interfaces.length}`, c['Number of interfaces in file']);
      assert.match(c['File timestamp precision'], new RegExp(`\\(${p.timePrecision}\\)`));
    });
  }
});
