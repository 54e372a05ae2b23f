/**
 * Generated captures with retransmissions, reordering, overlaps, sequence wrap-around and RSTs
 * (fixtures/bench-small, written by the shared make-bench-capture tool with a ground-truth
 * sidecar): every stream reassembles to the sha256 the generator recorded, in pcap and pcapng.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatEndpoint } from '../../../dissectors/analysis/endpoint';
import { FIXTURES } from '../../helpers/fixtures';
import { runTcp, sha256 } from '../../helpers/tcp-run';

interface TruthStream {
  stream: number;
  initiator: string;
  responder: string;
  c2s: { bytes: number; sha256: string };
  s2c: { bytes: number; sha256: string };
}

const dir = join(FIXTURES, 'bench-small');
const captures = readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f));

test('bench-small covers both containers and several seeds', () => {
  assert.ok(captures.some((f) => f.endsWith('.pcap')) && captures.some((f) => f.endsWith('.pcapng')));
  assert.ok(captures.length >= 4);
});

for (const name of captures) {
  test(`reassembly matches generator truth: ${name}`, () => {
    const truth = JSON.parse(readFileSync(join(dir, `${name}.truth.json`), 'utf8')) as { sessions: TruthStream[] };
    const run = runTcp(readFileSync(join(dir, name)));
    assert.equal(run.models.length, truth.sessions.length, "connection count");
    let directions = 0;
    for (const t of truth.sessions) {
      const m = run.models[t.stream];
      const s = run.streams[t.stream];
      assert.equal(formatEndpoint(m.client), t.initiator, `stream ${t.stream} client`);
      assert.equal(formatEndpoint(m.server), t.responder, `stream ${t.stream} server`);
      assert.equal(sha256(s.client), t.c2s.sha256, `stream ${t.stream} client→server bytes`);
      assert.equal(sha256(s.server), t.s2c.sha256, `stream ${t.stream} server→client bytes`);
      assert.equal(s.gaps.length, 0, `stream ${t.stream}: no gaps (every byte is in the capture)`);
      directions += 2;
    }
    assert.ok(directions > 0);
  });
}
