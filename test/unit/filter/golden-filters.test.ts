/**
 * Display filters against tshark -Y (fixtures/golden/filters/*.json from scripts/golden/filters.ts):
 * the same filter text selects the same frames in Wirelens's engine as in tshark, on every third
 * fixture with TCP. Known differences are named with their reason.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GOLDEN_FILTERS } from '../../../scripts/golden/filters';
import { Engine } from '../../../electron/engine/engine';
import { captureFixtures, fixtureName, goldenPath } from '../../helpers/fixtures';

/** fixture → filter → why Wirelens answers differently. */
const ICMP_QUOTE = 'four ICMP "fragmentation needed" errors quote a TCP header: tshark counts them as tcp (and their stream), for Wirelens they are ICMP packets about the connection';
const KNOWN: Record<string, Record<string, string>> = {
  'corpus/suricata-verify/tests/bug-3616-smtp/input.pcap': {
    tcp: ICMP_QUOTE,
    'tcp.port == 25 || tcp.port == 80': ICMP_QUOTE,
    '!tcp && !udp': ICMP_QUOTE,
    'tcp.stream in {0, 1, 2}': ICMP_QUOTE,
  },
  'corpus/suricata-verify/tests/smtp-data-rejected/10.7.29.101_49898-178.63.41.150_25.pcap': {
    'smtp.req.command == "MAIL" || smtp.req.command == "RCPT"': 'DATA is refused and the client starts again with RSET/MAIL/RCPT: tshark still believes it is inside the first message and misses the second MAIL',
  },
};

let compared = 0;
for (const file of captureFixtures()) {
  const gp = goldenPath('filters', file, '.json');
  if (!existsSync(gp)) continue;
  const name = fixtureName(file);
  test(`display filters select the frames tshark -Y selects: ${name}`, async () => {
    const golden = JSON.parse(readFileSync(gp, 'utf8')) as Record<string, number[]>;
    const engine = new Engine({});
    try {
      const cap = await engine.openFile(file);
      while ((await engine.getStatus(cap.id)).state === 'loading') await new Promise((r) => setTimeout(r, 10));
      const problems: string[] = [];
      for (const f of GOLDEN_FILTERS) {
        if (KNOWN[name]?.[f]) continue;
        const res = await engine.setFilter(cap.id, f);
        assert.ok(res.ok, `${f}: ${res.error}`);
        const frames: number[] = [];
        while (frames.length < res.displayed) {
          const rows = await engine.getPackets(cap.id, frames.length, 5000);
          if (!rows.length) break;
          frames.push(...rows.map((r) => r.no));
        }
        const want = golden[f] ?? [];
        if (JSON.stringify(frames) !== JSON.stringify(want)) {
          const extra = frames.filter((x) => !want.includes(x)).slice(0, 8);
          const missing = want.filter((x) => !frames.includes(x)).slice(0, 8);
          problems.push(`${f}: ours ${frames.length}, tshark ${want.length}; only ours ${extra.join(',')}; only tshark ${missing.join(',')}`);
        }
        compared++;
      }
      assert.deepEqual(problems, []);
    } finally {
      await engine.close();
    }
  });
}

test('filters were compared on many fixtures', () => {
  assert.ok(compared > 500, `${compared} filter × fixture comparisons`);
});
