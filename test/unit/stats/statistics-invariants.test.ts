/**
 * Statistics of every capture under fixtures/ (corpus, lessons, mistakes, hostile payloads, TLS):
 * computed without error, and the tables agree with each other and with the packet count — every
 * frame once at the root of the hierarchy, a protocol's children never more than it, TCP/UDP
 * conversations adding up to the hierarchy's tcp/udp frames, endpoints to twice the IP frames.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import type { HierarchyNode } from '../../../api/engine-api';
import { listCaptures } from '../../../scripts/golden/net';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');

function sumAt(nodes: readonly HierarchyNode[], name: string): { frames: number; bytes: number } {
  let frames = 0;
  let bytes = 0;
  for (const n of nodes) {
    if (n.protocol === name) {
      frames += n.frames;
      bytes += n.bytes;
    } else {
      const c = sumAt(n.children, name);
      frames += c.frames;
      bytes += c.bytes;
    }
  }
  return { frames, bytes };
}

function checkTree(nodes: readonly HierarchyNode[]): void {
  for (const n of nodes) {
    assert.ok(n.children.reduce((a, c) => a + c.frames, 0) <= n.frames, `${n.protocol}: children within it`);
    checkTree(n.children);
  }
}

describe('statistics of every fixture capture', () => {
  const engine = new Engine({ batch: true });
  after(() => engine.close());
  for (const capture of listCaptures(FIXTURES)) {
    const name = capture.slice(FIXTURES.length + 1);
    it(name, async (t) => {
      let s;
      try {
        s = await engine.openAndWait(capture);
      } catch (e) {
        // Not a capture the reader accepts (a fuzz input): statistics are never asked for it.
        return t.diagnostic(`not opened: ${(e as Error).message}`);
      }
      const st = await engine.getStatistics(s.info.id);
      const p = st.properties;
      assert.equal(p.packets, s.analyzer.index.count);
      assert.equal(
        st.hierarchy.reduce((a, n) => a + n.frames, 0),
        p.packets,
      );
      checkTree(st.hierarchy);
      const tcp = sumAt(st.hierarchy, 'tcp');
      const udp = sumAt(st.hierarchy, 'udp');
      const frames = (k: 'tcp' | 'udp' | 'ip' | 'ipv6') =>
        st.conversations[k].reduce((a, c) => a + c.framesAtoB + c.framesBtoA, 0);
      const bytes = (k: 'tcp' | 'udp') =>
        st.conversations[k].reduce((a, c) => a + c.bytesAtoB + c.bytesBtoA, 0);
      assert.equal(frames('tcp'), tcp.frames);
      assert.equal(bytes('tcp'), tcp.bytes);
      assert.equal(frames('udp'), udp.frames);
      assert.equal(bytes('udp'), udp.bytes);
      assert.equal(
        st.endpoints.ip.reduce((a, e) => a + e.packets, 0),
        2 * frames('ip'),
      );
      for (const c of st.conversations.tcp) assert.ok(c.duration >= 0 && c.start >= 0);
      const io = await engine.getIoGraph(s.info.id, 1, ['']);
      assert.equal(
        io.series[0].frames.reduce((a, b) => a + b, 0),
        p.packets,
      );
    });
  }
});
