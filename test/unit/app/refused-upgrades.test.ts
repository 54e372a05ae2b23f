/**
 * STARTTLS, STLS and AUTH TLS refused by real servers without TLS (fixtures/upgrades/refused-upgrades.pcap,
 * recorded by scripts/record-refused-upgrades.sh): no TLS starts, each session is dissected on in
 * clear text, and the refusal says so. tshark reads the same commands after the refusal
 * (fixtures/golden/app/upgrades__refused-upgrades.pcap.tsv, compared in golden-app.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';

const FILE = new URL('../../../fixtures/upgrades/refused-upgrades.pcap', import.meta.url).pathname;

async function report() {
  const loaded = await loadCapture(FILE);
  const r = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return r;
}

test('a refused upgrade leaves each session in clear text, dissected to its end', async () => {
  const r = await report();
  const byProto = new Map(r.connections.map((c) => [c.protocol, c]));
  assert.deepEqual([...byProto.keys()].sort(), ['ftp', 'pop3', 'smtp']);
  for (const c of r.connections)
    assert.equal(c.tls ?? null, null, `${c.protocol}: no TLS summary after a refused upgrade`);

  const smtp = byProto.get('smtp')!.ladder;
  const starttls = smtp.findIndex((e) => e.fields?.['smtp.req.command'] === 'STARTTLS');
  assert.ok(starttls >= 0);
  assert.equal(smtp[starttls + 1].fields?.['smtp.response.code'], 502);
  assert.ok(smtp[starttls + 1].lines?.some((l) => /refused STARTTLS \(502\).*unencrypted/.test(l)));
  assert.deepEqual(
    smtp.slice(starttls + 2).map((e) => e.fields?.['smtp.req.command'] ?? e.fields?.['smtp.response.code']),
    ['MAIL', 250, 'RCPT', 250, 'QUIT', 221],
  );

  const pop = byProto.get('pop3')!.ladder;
  const stls = pop.findIndex((e) => e.fields?.['pop.request.command'] === 'STLS');
  assert.equal(pop[stls + 1].fields?.['pop.response.indicator'], '-ERR');
  assert.match(pop[stls + 1].explain, /refused STLS.*clear text/);
  assert.deepEqual(
    pop
      .slice(stls + 2)
      .filter((e) => e.from === 'client')
      .map((e) => e.fields?.['pop.request.command']),
    ['USER', 'PASS', 'STAT', 'QUIT'],
  );

  const ftp = byProto.get('ftp')!.ladder;
  const auth = ftp.findIndex((e) => e.fields?.['ftp.request.command'] === 'AUTH');
  assert.equal(ftp[auth + 1].fields?.['ftp.response.code'], 530);
  assert.match(ftp[auth + 1].explain, /refused AUTH TLS \(530\).*unencrypted/);
  assert.doesNotMatch(
    ftp[auth + 1].explain,
    /repeat AUTH/,
    'not told to log in and repeat AUTH: the server has no TLS',
  );
  assert.deepEqual(
    ftp
      .slice(auth + 2)
      .filter((e) => e.from === 'client')
      .map((e) => e.fields?.['ftp.request.command']),
    ['USER', 'PASS', 'PWD', 'QUIT'],
  );

  // The logins after the refusals were read in clear text, and the servers accepted them.
  const creds = r.credentials;
  assert.ok(creds.filter((c) => c.protocol !== 'smtp').every((c) => c.outcome === 'accepted'));
  assert.equal(creds.filter((c) => c.protocol === 'pop3' || c.protocol === 'ftp').length >= 2, true);
  const codes = r.connections.flatMap((c) => c.diagnostics.map((d) => d.code));
  assert.ok(codes.includes('smtp.starttls.refused') && codes.includes('ftp.auth_tls.refused'));
});
