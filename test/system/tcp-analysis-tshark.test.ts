/**
 * System tier: runs the installed tshark again on captures with retransmissions, duplicate ACKs,
 * ACKs of unseen segments, a full window and reused ports (the committed goldens must be what this
 * tshark prints, not stale copies), and checks that a real load — one thread and two analysis
 * workers — numbers connections as tshark's tcp.stream and flags the frames as tshark does.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bitsToAnalysis } from '../../dissectors/analysis/packet-index';
import { loadCapture } from '../../electron/engine/load-capture';
import { tsharkAnalysisTsv } from '../../scripts/golden/tcp-analysis';
import { FIXTURES, goldenPath, readGoldenTsv } from '../helpers/fixtures';

const CAPTURES = [
  'corpus/chrissanders-packets/tcp_dupack.pcapng',
  'corpus/chrissanders-packets/tcp_retransmissions.pcapng',
  'corpus/chrissanders-packets/http_espn.pcapng',
  'corpus/suricata-verify/tests/bug-3616-smtp/input.pcap',
  'corpus/suricata-verify/tests/issue-3341-tcphdr-01/urgent11_cve_2019_12260.pcap',
  'bench-small/bench-eth-s6.pcap',
  'bench-small/bench-eth-s17.pcapng',
  'lessons/smtp-pop3-lesson.pcap',
  'recorded/tcp-keepalive-zero-window.pcap',
];

describe('TCP analysis against the installed tshark', () => {
  for (const name of CAPTURES) {
    const file = join(FIXTURES, name);
    it(`golden is what tshark prints now, and a load agrees with it: ${name}`, async () => {
      assert.ok(existsSync(file), file);
      const gp = goldenPath('tcp-analysis', file, '.tsv');
      assert.equal(
        tsharkAnalysisTsv(file),
        readFileSync(gp, 'utf8'),
        'committed golden equals a fresh tshark run',
      );
      const golden = readGoldenTsv(gp)!;
      for (const workers of [0, 2]) {
        const loaded = await loadCapture(file, { workers });
        const idx = loaded.output.index;
        const problems: string[] = [];
        for (const r of golden) {
          const i = Number(r.frame) - 1;
          if (idx.conn[i] < 0) continue; // (ICMP quoting a TCP header: tshark gives it a stream, Wirelens none)
          if (idx.conn[i] !== Number(r.stream))
            problems.push(`frame ${r.frame}: connection ${idx.conn[i]}, tcp.stream ${r.stream}`);
          const want = r.flags ? r.flags.split(' ').sort() : [];
          const got = bitsToAnalysis(idx.analysis[i]).sort();
          if (want.join(' ') !== got.join(' '))
            problems.push(`frame ${r.frame}: flags ${got.join(' ')} — tshark ${want.join(' ')}`);
        }
        assert.deepEqual(problems.slice(0, 10), [], `workers ${workers}: ${problems.length} frames differ`);
        // The connections the JSON lists are numbered as tcp.stream.
        const streams = new Set(golden.map((r) => Number(r.stream)));
        assert.deepEqual(
          loaded.output.models.map((m) => m.id),
          [...streams].sort((a, b) => a - b),
        );
      }
    });
  }
});
