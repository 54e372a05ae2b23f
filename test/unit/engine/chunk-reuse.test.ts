/**
 * File loads reuse a chunk's buffer for a later chunk, so nothing may keep a view into a chunk
 * after it was handled. Loading with small chunks (buffers reused hundreds of times, most records
 * still views into them) must give exactly the report of a load in one piece.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

const CAPTURES = [
  'lessons/smtp-pop3-lesson.pcap',
  'corpus/suricata-verify/tests/ftp/ftp-download-passive/input.pcap',
  'corpus/suricata-verify/tests/smtp-attachment-md5/input.pcap',
  'corpus/suricata-verify/tests/http-ipv6/input.pcap',
  'corpus/suricata-verify/tests/tls-duplicate-hello/input.pcap',
  'corpus/suricata-verify/tests/bug-3616-smtp/input.pcap',
  'synthetic/hostile-payloads.pcap',
  'bench-small/bench-eth-s6.pcap',
  'bench-small/bench-eth-s7.pcapng',
  'bench-small/bench-eth-s17.pcapng',
  'bench-small/bench-null-s11.pcap',
  'bench-small/bench-raw-s15.pcap',
  'bench-small/bench-sll-s16.pcapng',
];

async function reportWith(path: string, chunkSize: number): Promise<string> {
  const l = await loadCapture(path, { chunkSize, workers: 0 });
  return JSON.stringify(buildReport(l.summary, l.output, l.source.size));
}

test('small reused chunks give the report of a load in one piece', async () => {
  let reused = 0;
  for (const f of CAPTURES) {
    const path = join(FIXTURES, f);
    const size = statSync(path).size;
    const whole = await reportWith(path, size + 1);
    for (const chunk of [6000, 9000, 65536]) {
      assert.equal(await reportWith(path, chunk), whole, `${f} in ${chunk}-byte chunks`);
      reused += Math.max(0, Math.ceil(size / chunk) - 2);
    }
  }
  assert.ok(reused > 300, `chunk buffers reused ${reused} times`);
});
