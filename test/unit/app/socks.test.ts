/**
 * SOCKS5 (RFC 1928) then the protocol inside the tunnel. Real captures: curl --socks5-hostname to a
 * TLS server and curl --socks5 to a plain HTTP server through scripts/peers/tunnel-proxy.mjs
 * (fixtures/tunnels/socks5-*.pcap, scripts/record-tunnels.sh); tshark's SOCKS fields on the same
 * frames are quoted in the assertions. The RFC 1929 login and a refused CONNECT as byte streams.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';
import { dissectStream } from '../../helpers/app-stream';

async function report(name: string) {
  const loaded = await loadCapture(new URL(`../../../fixtures/tunnels/${name}`, import.meta.url).pathname);
  const r = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return r;
}

const run = dissectStream;

test('SOCKS5 then TLS (real capture): the negotiation, then the hellos and SNI inside the tunnel', async () => {
  const r = await report('socks5-tls.pcap');
  const c = r.connections[0];
  assert.equal(c.protocol, 'socks');
  const l = c.ladder;
  // tshark: frame 4 auth_method 0,1; frame 6 accepted method 0; frame 8 command 1, remote_name localhost, port 4433; frame 9 results 0
  assert.deepEqual(
    l.slice(0, 4).map((e) => [e.frame, e.label]),
    [
      [4, 'SOCKS5 greeting: offers no authentication, GSSAPI'],
      [6, 'SOCKS5 method: no authentication'],
      [8, 'SOCKS5 CONNECT localhost:4433'],
      [9, "SOCKS5 succeeded (proxy's side 127.0.0.1:33650)"],
    ],
  );
  assert.equal(l[2].fields?.['socks.remote_name'], 'localhost');
  assert.equal(l[2].fields?.['socks.port'], 4433);
  assert.equal(l[3].fields?.['socks.results'], 0);
  assert.equal(l[4].label, 'ClientHello SNI=localhost');
  assert.equal(l[4].frame, 10);
  assert.equal(c.tls?.upgrade, 'socks');
  assert.equal(c.tls?.serverHello?.version, 'TLS 1.3');
  assert.ok(l.some((e) => e.tls === 'encrypted-start'));
});

test('SOCKS5 then HTTP (real capture): the request and response inside the tunnel are HTTP', async () => {
  const r = await report('socks5-http.pcap');
  const l = r.connections[0].ladder;
  assert.equal(l[2].fields?.['socks.dst'], '127.0.0.1');
  assert.equal(l[2].fields?.['socks.port'], 8081);
  assert.deepEqual(
    l
      .slice(4)
      .map((e) => e.fields?.['http.request.method'] ?? e.fields?.['http.response.code'])
      .filter((v) => v !== undefined),
    ['GET', 200],
  );
});

test('SOCKS5 login (RFC 1929) is a credential with its outcome; a refused CONNECT opens no tunnel', () => {
  const user = [...Buffer.from('pari')];
  const pass = [...Buffer.from('ninja')];
  const r = run(1080, [
    ['C', [5, 1, 2]],
    ['S', [5, 2]],
    ['C', [1, user.length, ...user, pass.length, ...pass]],
    ['S', [1, 0]],
    ['C', [5, 1, 0, 3, 7, ...Buffer.from('mail.lab'.slice(0, 7)), 0x01, 0xbb]],
    ['S', [5, 5, 0, 1, 0, 0, 0, 0, 0, 0]],
    ['C', 'stray'],
  ]);
  assert.deepEqual(
    r.credentials.map((c) => [c.username, c.password, c.outcome]),
    [['pari', 'ninja', 'accepted']],
  );
  assert.deepEqual(r.ladder.map((e) => e.label).slice(0, 6), [
    'SOCKS5 greeting: offers username/password',
    'SOCKS5 method: username/password',
    'SOCKS5 login pari',
    'SOCKS5 login accepted',
    'SOCKS5 CONNECT mail.la:443',
    'SOCKS5 refused: connection refused',
  ]);
  assert.equal(r.tls, null);
  assert.equal(r.ladder.at(-1)?.label, '5 bytes that are not SOCKS5');
});

test('a SOCKS5 greeting on another port is recognised once the server answers it', () => {
  const r = run(9050, [
    ['C', [5, 1, 0]],
    ['S', [5, 0]],
    ['C', [5, 1, 0, 1, 127, 0, 0, 1, 0, 80]],
    ['S', [5, 0, 0, 1, 127, 0, 0, 1, 0x9c, 0x40]],
    ['C', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['S', 'HTTP/1.1 204 No Content\r\n\r\n'],
  ]);
  assert.equal(r.protocol, 'socks');
  assert.deepEqual(r.ladder.map((e) => e.label).slice(-2), ['GET /', '204 No Content']);
});
