/**
 * Tunnels through a proxy, recorded on loopback by scripts/record-tunnels.sh (curl through
 * scripts/peers/tunnel-proxy.mjs): after HTTP CONNECT's 2xx the connection is read as what travels
 * inside it — TLS (ClientHello with its SNI, ServerHello, the encrypted band) or plain HTTP — and a
 * refused CONNECT stays HTTP. tshark's view of the same captures: fixtures/golden/app/tunnels__*.tsv.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';

async function report(name: string) {
  const loaded = await loadCapture(new URL(`../../../fixtures/tunnels/${name}`, import.meta.url).pathname);
  const r = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return r;
}

test('HTTP CONNECT then TLS: the hellos, the SNI and the encrypted band are inside the tunnelled connection', async () => {
  const r = await report('connect-tls.pcap');
  assert.equal(r.connections.length, 3);
  const [tls, http, refused] = r.connections;
  const l = tls.ladder;
  assert.equal(l[0].fields?.['http.request.method'], 'CONNECT');
  assert.equal(l[1].fields?.['http.response.code'], 200);
  assert.match(l[1].explain, /tunnel/);
  assert.equal(l[2].label, 'ClientHello SNI=localhost');
  assert.equal(l[2].frame, 8); // tshark: frame 8 Client Hello, SNI localhost
  assert.equal(l[3].fields?.['tls.handshake.type'], 2);
  assert.equal(l[3].frame, 9);
  assert.ok(l.some((e) => e.tls === 'encrypted-start' && e.from === 'server'));
  assert.ok(l.some((e) => e.tls === 'encrypted-start' && e.from === 'client'));
  assert.equal(tls.tls?.upgrade, 'connect');
  assert.equal(tls.tls?.clientHello?.sni, 'localhost');
  assert.equal(tls.tls?.serverHello?.version, 'TLS 1.3');
  assert.equal(tls.protocol, 'http');

  // CONNECT to a plain HTTP server: the request and response inside the tunnel are HTTP.
  assert.deepEqual(
    http.ladder
      .map((e) => e.fields?.['http.request.method'] ?? e.fields?.['http.response.code'])
      .filter((v) => v !== undefined),
    ['CONNECT', 200, 'GET', 200],
  );
  assert.equal(http.tls, null);
  // A refused CONNECT (403): no tunnel.
  assert.deepEqual(refused.ladder.map((e) => e.fields?.['http.response.code']).filter(Boolean), [403]);
  assert.equal(refused.tls, null);
});
