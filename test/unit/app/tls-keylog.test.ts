/**
 * The NSS key log parser (dissectors/app/tls/keylog.ts): every label of TLS 1.2 and 1.3 is read and
 * found by client random; comments and blank lines are ignored; junk lines are skipped and counted
 * with the first one named; lines, secrets and text are bounded. And the key schedule against
 * RFC 8448's published TLS 1.3 trace (the server's handshake key and IV).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hexOf, MAX_KEYLOG_KEYS, MAX_KEYLOG_LINE, TlsKeyLog } from '../../../dissectors/app/tls/keylog';
import { SUITES, trafficKeys } from '../../../dissectors/app/tls/key-schedule';
import { nodeTlsCrypto } from '../../../electron/engine/tls-crypto';

const R1 = 'aa'.repeat(32);
const R2 = 'bb'.repeat(32);
const S32 = '11'.repeat(32);
const S48 = '22'.repeat(48);

test('every label is read and found by the client random', () => {
  const k = new TlsKeyLog();
  const text = [
    '# a comment',
    '',
    `CLIENT_RANDOM ${R1} ${S48}`,
    `CLIENT_EARLY_TRAFFIC_SECRET ${R2} ${S32}`,
    `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${R2} ${S32}`,
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${R2} ${S32}`,
    `CLIENT_TRAFFIC_SECRET_0 ${R2.toUpperCase()} ${S48}`,
    `SERVER_TRAFFIC_SECRET_0 ${R2} ${S48}\r`,
    `EXPORTER_SECRET ${R2} ${S48}`,
  ].join('\n');
  const load = k.add(text, 'keylog');
  assert.deepEqual(load, { keys: 7, skipped: 0, firstProblem: null });
  assert.equal(k.size, 2);
  const s1 = k.lookup(Uint8Array.from(Buffer.from(R1, 'hex')))!;
  assert.equal(hexOf(s1.master!), S48);
  assert.equal(s1.source, 'keylog');
  const s2 = k.lookup(Uint8Array.from(Buffer.from(R2, 'hex')))!;
  assert.equal(hexOf(s2.clientEarly!), S32);
  assert.equal(hexOf(s2.clientHandshake!), S32);
  assert.equal(hexOf(s2.serverHandshake!), S32);
  assert.equal(hexOf(s2.clientTraffic0!), S48);
  assert.equal(hexOf(s2.serverTraffic0!), S48);
  assert.equal(hexOf(s2.exporter!), S48);
  assert.equal(k.matched.size, 2);
  assert.equal(k.lookup(new Uint8Array(32)), null);
  assert.equal(k.matchedLines().length, 7);
});

test('junk lines are skipped and counted; the first is named', () => {
  const k = new TlsKeyLog();
  const load = k.add(
    [
      'hello world',
      `CLIENT_RANDOM ${R1}`,
      `CLIENT_RANDOM ${R1.slice(2)} ${S48}`,
      `CLIENT_RANDOM ${R1} ${S32}`,
      `NOT_A_LABEL ${R1} ${S48}`,
      `CLIENT_RANDOM ${'zz'.repeat(32)} ${S48}`,
      `CLIENT_RANDOM ${R1} ${S48}`,
    ].join('\n'),
    'keylog',
  );
  assert.equal(load.keys, 1);
  assert.equal(load.skipped, 6);
  assert.match(load.firstProblem!, /^line 1: /);
  assert.equal(k.skipped, 6);
});

test('an over-long line is skipped without being kept; the key count is bounded', () => {
  const k = new TlsKeyLog();
  const load = k.add(
    `CLIENT_RANDOM ${R1} ${'0'.repeat(MAX_KEYLOG_LINE * 4)}\nCLIENT_RANDOM ${R2} ${S48}\n`,
    'keylog',
  );
  assert.deepEqual([load.keys, load.skipped], [1, 1]);
  assert.match(load.firstProblem!, /longer than/);
  const many = new TlsKeyLog();
  const lines: string[] = [];
  for (let i = 0; i < MAX_KEYLOG_KEYS + 5; i++)
    lines.push(`CLIENT_RANDOM ${i.toString(16).padStart(64, '0')} ${S48}`);
  const l2 = many.add(lines.join('\n'), 'pcapng');
  assert.equal(l2.keys, MAX_KEYLOG_KEYS);
  assert.equal(l2.skipped, 5);
  assert.equal(many.size, MAX_KEYLOG_KEYS);
});

test('TLS 1.3 traffic key and IV as RFC 8448 §3 (simple 1-RTT handshake)', () => {
  // server_handshake_traffic_secret and the key/iv derived from it, from RFC 8448.
  const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
  const { key, iv } = trafficKeys(nodeTlsCrypto, SUITES[0x1301], secret);
  assert.equal(hexOf(key), '3fce516009c21727d0f2e4e86ee403bc');
  assert.equal(hexOf(iv), '5d313eb2671276ee13000b30');
});
