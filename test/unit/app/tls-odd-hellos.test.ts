/**
 * Odd and damaged ClientHellos sent over real TCP on loopback (fixtures/tls-odd/odd-hellos.pcap,
 * scripts/record-odd-hellos.sh; curl's hello changed as fuzzers do). tshark 4.0 finds a ClientHello in
 * each connection (fixtures/golden/app/tls-odd__odd-hellos.pcap.tsv): so must Wirelens, with the SNI
 * wherever the bytes hold it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';

test('a ClientHello is found in every connection, as tshark finds it, with its SNI', async () => {
  const loaded = await loadCapture(
    new URL('../../../fixtures/tls-odd/odd-hellos.pcap', import.meta.url).pathname,
  );
  const r = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const hellos = r.connections.map((c) => c.ladder.find((e) => e.fields?.['tls.handshake.type'] === 1));
  // tshark: frames 4, 12, 20 (malformed) and 28+30 (three records over two segments).
  assert.deepEqual(
    hellos.map((e) => e?.frames),
    [[4], [12], [20], [28, 30]],
  );
  // Odd-length cipher list: the whole suites are read, the stray byte is not a suite.
  assert.equal(r.connections[0].tls?.clientHello?.sni, 'localhost');
  assert.equal(r.connections[0].tls?.clientHello?.ciphers.length, 31);
  // Extension list longer than the message, last extension running past the end: the extensions
  // before the damage are read (tshark shows no SNI for the first), and the hello says it is cut.
  for (const i of [1, 2]) {
    assert.equal(hellos[i]?.label, 'ClientHello SNI=localhost');
    assert.ok(hellos[i]?.lines?.some((l) => l.includes('runs past the end')));
    assert.ok(r.connections[i].diagnostics.some((d) => d.code === 'tls.hello.truncated'));
  }
  // Fragmented over three records: reassembled, nothing malformed.
  assert.equal(r.connections[3].tls?.clientHello?.sni, 'localhost');
  assert.ok(!r.connections[3].diagnostics.some((d) => d.code.startsWith('tls.hello')));
});
