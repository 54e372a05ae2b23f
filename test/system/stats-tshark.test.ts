/**
 * System tier: runs tshark and capinfos again on the Statistics fixtures (the goldens must be what
 * this tshark prints, not stale copies) and compares the `wirelens stats` command's JSON with them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  capinfos,
  goldenPath,
  STATS_CAPTURES,
  STATS_TABLES,
  TCP_GRAPH_CAPTURES,
  tcpGraphFields,
  tsharkTable,
} from '../../scripts/golden/stats';
import type { ConversationRow, EndpointRow } from '../../api/engine-api';
import { parseConversations, parseEndpoints, parsePhs } from '../helpers/tshark-stats';

const ROOT = join(import.meta.dirname, '..', '..');
const wirelens = (...args: string[]) =>
  execFileSync(process.execPath, [join(ROOT, 'bin', 'wirelens.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, WIRELENS_FROM_SOURCE: '1' },
  });

describe('Statistics against the installed tshark', () => {
  it('the golden files are what tshark and capinfos print now', () => {
    for (const rel of STATS_CAPTURES) {
      const capture = join(ROOT, 'fixtures', rel);
      for (const table of Object.keys(STATS_TABLES))
        assert.equal(
          tsharkTable(capture, table),
          readFileSync(goldenPath(capture, table), 'utf8'),
          `${rel} ${table}`,
        );
      assert.equal(
        capinfos(capture),
        readFileSync(goldenPath(capture, 'capinfos'), 'utf8'),
        `${rel} capinfos`,
      );
    }
    for (const rel of TCP_GRAPH_CAPTURES) {
      const capture = join(ROOT, 'fixtures', rel);
      assert.equal(
        tcpGraphFields(capture),
        readFileSync(goldenPath(capture, 'tcp-fields'), 'utf8'),
        `${rel} tcp fields`,
      );
    }
  });

  it("wirelens stats --json gives tshark's conversations, endpoints and hierarchy", () => {
    const capture = join(ROOT, 'fixtures', 'corpus/chrissanders-packets/http_ip4and6.pcapng');
    const plain = (e: string) => e.replace(/^\[(.*)\]:(\d+)$/, '$1:$2');
    const tcp = JSON.parse(wirelens('stats', capture, '--conv', 'tcp', '--json')) as ConversationRow[];
    const theirs = parseConversations(tsharkTable(capture, 'conv-tcp'));
    assert.equal(tcp.length, 2);
    assert.deepEqual(
      tcp
        .map((c) => [
          plain(c.a),
          plain(c.b),
          c.framesAtoB,
          c.bytesAtoB,
          c.framesBtoA,
          c.bytesBtoA,
          c.start.toFixed(9),
          c.duration.toFixed(4),
        ])
        .sort(),
      theirs
        .map((c) => [c.a, c.b, c.framesAtoB, c.bytesAtoB, c.framesBtoA, c.bytesBtoA, c.start, c.duration])
        .sort(),
    );
    const endpoints = JSON.parse(wirelens('stats', capture, '--endpoints', 'ip', '--json')) as EndpointRow[];
    assert.deepEqual(
      endpoints.map((e) => [e.address, e.packets, e.bytes]).sort(),
      parseEndpoints(tsharkTable(capture, 'endpoints-ip'))
        .map((e) => [e.address, e.packets, e.bytes])
        .sort(),
    );
    const phs = wirelens('stats', capture, '--phs');
    for (const row of parsePhs(tsharkTable(capture, 'phs')).filter((r) => r.path.split(':').length <= 3))
      assert.match(
        phs,
        new RegExp(`^ *${row.path.split(':').pop()} +frames:${row.frames} bytes:${row.bytes}$`, 'm'),
      );
  });
});
