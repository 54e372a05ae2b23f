/**
 * The window's views of a loaded capture — one connection and its row, the credentials, the
 * capture's facts — are built on demand without the whole report or every row, and are exactly
 * what the whole report and the full list say.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { FIXTURES } from '../../helpers/fixtures';

for (const f of ['lessons/smtp-pop3-lesson.pcap', 'corpus/suricata-verify/tests/ftp/ftp-download-passive/input.pcap', 'bench-small/bench-eth-s6.pcap']) {
  test(`${f}: connections, credentials and capture facts on demand equal the full report`, async () => {
    const e = new Engine({});
    try {
      const s = await e.openAndWait(join(FIXTURES, f));
      const n = s.loaded!.output.models.length;
      assert.ok(n > 0);
      const one = Array.from({ length: n }, (_, id) => s.connection(id));
      assert.deepEqual(Array.from({ length: n }, (_, id) => s.connectionRow(id)), s.connectionRows());
      assert.equal(s.connectionRow(n), undefined);
      const credentials = s.credentials();
      const capture = s.captureReport();
      assert.throws(() => s.connection(n), /no connection/);
      const full = s.fullReport();
      assert.deepEqual(one, full.connections);
      assert.deepEqual(credentials, full.credentials);
      assert.deepEqual(capture, full.capture);
    } finally {
      await e.close();
    }
  });
}

test('the frame labels and protocols are built once per capture, not again by every query', async () => {
  const e = new Engine({});
  try {
    const s = await e.openAndWait(join(FIXTURES, 'lessons/smtp-pop3-lesson.pcap'));
    const labels = s.labels;
    const protocols = s.protocols;
    assert.ok(labels.size > 0);
    await e.getConnections(s.info.id);
    await e.getConnection(s.info.id, 0);
    await e.setFilter(s.info.id, 'smtp');
    await e.getCredentials(s.info.id);
    assert.equal(s.labels, labels);
    assert.equal(s.protocols, protocols);
  } finally {
    await e.close();
  }
});
