/**
 * Issue 23 item 1: encrypted TLS records are TLS in the packet list (`TLSv1.3` / `TLSv1.2`, as
 * tshark's Protocol column says), match the display filter `tls` and not the protocol of the
 * connection's port (`smtp` on 465, `http` on 443/8443); an encrypted alert is an alert, not
 * "encrypted from here". Checked on real loopback sessions (fixtures/tls, recorded by record.sh)
 * against tshark 4.0's columns (fixtures/tls/tshark/NAME.columns.tsv, committed), without keys.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { loadCapture } from '../../../electron/engine/load-capture';
import { buildReport } from '../../../dissectors/analysis/report';
import { FIXTURES } from '../../helpers/fixtures';

const DIR = join(FIXTURES, 'tls');
/** Captures without a key source inside (the pcapng with a Decryption Secrets Block decrypts by itself). */
const CAPTURES = [
  'smtps-465-auth-login.pcap',
  'curl-nginx.pcap',
  'tls13-aes128gcm.pcap',
  'tls13-hrr.pcap',
  'tls13-keyupdate.pcap',
  'tls12-aes128gcm.pcap',
  'tls12-cbc-sha256-noetm.pcap',
];

function tsharkColumns(capture: string): Array<{ no: number; protocol: string; info: string }> {
  const text = readFileSync(join(DIR, 'tshark', capture.replace(/\.pcap(ng)?$/, '.columns.tsv')), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [no, protocol, info] = l.split('\t');
      return { no: Number(no), protocol, info };
    });
}

for (const capture of CAPTURES) {
  test(`TLS records are TLS in the Protocol column and for the filter, as tshark says: ${capture}`, async () => {
    const theirs = tsharkColumns(capture);
    const engine = new Engine({});
    try {
      const s = await engine.openAndWait(join(DIR, capture));
      const rows = await engine.getPackets(s.info.id, 0, 10000);
      assert.equal(rows.length, theirs.length);
      let tlsFrames = 0;
      for (const r of rows) {
        const t = theirs[r.no - 1];
        const tsharkTls = /^(TLS|SSL)/.test(t.protocol);
        if (tsharkTls) tlsFrames++;
        assert.equal(
          r.protocol.startsWith('TLS'),
          tsharkTls,
          `frame ${r.no}: ours ${r.protocol} "${r.info}", tshark ${t.protocol} "${t.info}"`,
        );
        // The version as tshark names it, except the ClientHello's record (tshark: its record version, TLSv1).
        if (tsharkTls && t.protocol !== 'TLSv1') assert.equal(r.protocol, t.protocol, `frame ${r.no}`);
        if (t.info === 'Application Data' && r.info !== 'Application Data')
          assert.doesNotMatch(r.info, /SMTP|EHLO|GET/, `frame ${r.no}`);
      }
      assert.ok(tlsFrames > 5, `${tlsFrames} TLS frames`);
      const tls = await engine.setFilter(s.info.id, 'tls');
      assert.ok(tls.ok);
      // Every frame tshark calls TLS matches `tls`; a frame of ours may also be the middle of a record tshark lists as TCP.
      assert.equal(tls.displayed, rows.filter((r) => r.protocol.startsWith('TLS')).length);
      assert.equal(tls.displayed, tlsFrames);
      for (const inner of ['smtp', 'http', 'pop'])
        assert.equal((await engine.setFilter(s.info.id, inner)).displayed, 0, `filter ${inner}`);
    } finally {
      await engine.close();
    }
  });
}

test('frames that begin or end a run of encrypted records say Application Data in Info, as tshark', async () => {
  const theirs = tsharkColumns('smtps-465-auth-login.pcap');
  const engine = new Engine({});
  try {
    const s = await engine.openAndWait(join(DIR, 'smtps-465-auth-login.pcap'));
    const rows = await engine.getPackets(s.info.id, 0, 10000);
    const appData = rows.filter((r) => r.info === 'Application Data').map((r) => r.no);
    const tsharkAppData = theirs.filter((t) => t.info === 'Application Data').map((t) => t.no);
    // The first record of each direction shares its frame with the handshake: "… | Application Data".
    const named = rows.filter((r) => r.info.split(' | ').includes('Application Data')).map((r) => r.no);
    assert.ok(named.length >= 3, `${named.length} frames`);
    for (const no of named)
      assert.ok(tsharkAppData.length && theirs[no - 1].info.includes('Application Data'), `frame ${no}`);
    for (const no of appData)
      assert.ok(tsharkAppData.includes(no), `frame ${no} is Application Data for tshark too`);
  } finally {
    await engine.close();
  }
});

test('an encrypted close_notify is an alert, not the start of encrypted data', async () => {
  const loaded = await loadCapture(join(DIR, 'tls12-aes128gcm.pcap'));
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const ladder = report.connections[0].ladder;
  const alerts = ladder.filter((e) => e.label === 'Encrypted Alert');
  assert.equal(alerts.length, 2, ladder.map((e) => e.label).join('\n'));
  for (const a of alerts) assert.equal(a.tls, 'alert');
  // One "encrypted from here" per direction, each before that direction's alert.
  const starts = ladder.filter((e) => e.tls === 'encrypted-start');
  assert.deepEqual(starts.map((e) => e.from).sort(), ['client', 'server']);
  for (const a of alerts) assert.ok(starts.find((e) => e.from === a.from)!.frame < a.frame);
});

test('after a HelloRetryRequest the ServerHello and the second ClientHello are read in clear (TLS 1.3 ChangeCipherSpec means nothing)', async () => {
  const loaded = await loadCapture(join(DIR, 'tls13-hrr.pcap'));
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  const labels = report.connections[0].ladder.map((e) => e.label);
  assert.ok(
    labels.some((l) => l.startsWith('HelloRetryRequest TLS 1.3')),
    labels.join('\n'),
  );
  assert.ok(
    labels.some((l) => l.startsWith('ClientHello (again)')),
    labels.join('\n'),
  );
  assert.ok(
    labels.some((l) => l.startsWith('ServerHello TLS 1.3')),
    labels.join('\n'),
  );
});
