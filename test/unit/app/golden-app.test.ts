/**
 * The dissectors against tshark on every fixture (fixtures/golden/app/*.tsv from scripts/golden/app.ts):
 * per TCP connection, the multiset of SMTP commands/parameters/reply codes, POP3 commands and
 * indicators, FTP commands/reply codes/passive ports, HTTP methods/URIs/status codes, and TLS handshake
 * types and SNI must equal tshark's. Connections Wirelens dissects where tshark sees bare TCP (content
 * heuristics on non-standard ports) are counted and named, not hidden.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { AGGREGATOR, APP_GOLDEN_FIELDS } from '../../../scripts/golden/app';
import { buildReport } from '../../../dissectors/analysis/report';
import { loadCapture } from '../../../electron/engine/load-capture';
import { captureFixtures, fixtureName, goldenPath, readGoldenTsv } from '../../helpers/fixtures';

/** The golden fields our ladder events carry under the same names (the cipher suite list of a
 * ClientHello has no ladder counterpart, and frame/stream are the keys). */
const FIELDS = APP_GOLDEN_FIELDS.filter((f) => !['frame.number', 'tcp.stream', 'tls.handshake.ciphersuite'].includes(f));

/**
 * Where we knowingly differ from tshark 4.0, per fixture: the fields left out of the comparison and
 * why (each case was read by hand in `wirelens follow`). Every other field of the fixture must match.
 */
const QUIT_AFTER_DOT = 'QUIT pipelined right after the message: tshark 4.0 does not show it as a command (its 221 reply it does); Wirelens reads the QUIT';
const OUT_OF_ORDER = 'segments arrive out of order or after a hole: tshark\'s HTTP/TLS dissectors lose the messages whose first segment was late ("Continuation"); Wirelens reassembles them (streams checked against the generator\'s truth and tshark follow)';
const BODY_CUT = 'the response body is cut short by the capture: tshark waits for the whole body and never dissects the response; Wirelens shows the status line and marks the body truncated';
const STARTTLS_SPLIT = 'tshark splits the STARTTLS command at a segment boundary into "STAR" + parameter "TLS"; Wirelens reads the reassembled line';
const BDAT = 'tshark 4.0 does not dissect BDAT (CHUNKING) and loses its place after it; Wirelens reads the chunk by its byte count';
const PIPELINED_DATA = 'commands pipelined with DATA and the message in one segment: tshark shows them as message text (IMF) without command fields';
const KNOWN_DIFFERENCES: Record<string, { fields: string[]; why: string }> = {
  'bench-small/bench-eth-s6.pcap': { fields: ['http.request.method', 'http.request.uri', 'http.response.code'], why: OUT_OF_ORDER },
  'bench-small/bench-eth-s7.pcapng': { fields: ['http.response.code'], why: OUT_OF_ORDER },
  'corpus/chrissanders-packets/http_espn.pcapng': { fields: ['http.response.code'], why: OUT_OF_ORDER },
  'corpus/suricata-verify/tests/http-gap-simple/input.pcap': { fields: ['http.response.code'], why: OUT_OF_ORDER },
  'corpus/suricata-verify/tests/http-pipeline-files-with-gap/input.pcap': { fields: ['http.response.code'], why: OUT_OF_ORDER },
  'corpus/suricata-verify/tests/tls/tls-fingerprint-alert/input.pcap': { fields: ['tls.handshake.type'], why: OUT_OF_ORDER },
  'corpus/chrissanders-packets/mail_receiver_server_3.pcapng': { fields: ['smtp.req.command'], why: QUIT_AFTER_DOT },
  'corpus/chrissanders-packets/mail_sender_server_2.pcapng': { fields: ['smtp.req.command'], why: QUIT_AFTER_DOT },
  'corpus/suricata-verify/tests/bug-1045/smtpsuricataflowbitsFN.pcap': { fields: ['smtp.req.command'], why: QUIT_AFTER_DOT },
  'corpus/suricata-verify/tests/smtp-errors/smtperr.pcap': { fields: ['smtp.req.command', 'smtp.response.code'], why: `${QUIT_AFTER_DOT}; in the first connection a 500 reply quotes binary garbage containing a line break, which tshark counts as a second reply` },
  'corpus/suricata-verify/tests/bug-78-uricontent/input.pcap': { fields: ['http.response.code'], why: BODY_CUT },
  'corpus/suricata-verify/tests/http-response-line/input.pcap': { fields: ['http.response.code'], why: BODY_CUT },
  'corpus/tcpdump/tests/accecn_handshake.pcap': { fields: ['http.response.code'], why: BODY_CUT },
  'corpus/suricata-verify/tests/http-multiple-cl/input.pcap': { fields: ['http.request.uri'], why: 'request smuggling test with two Content-Length headers: Wirelens frames the body by the first, tshark by the last, so they see different second requests' },
  'corpus/suricata-verify/tests/pop3-auth-01/input.pcap': { fields: ['pop.request.command'], why: 'tshark shows the base64 SASL answer after "+ " as a command; it is the continuation of AUTH XOAUTH2' },
  'corpus/suricata-verify/tests/protocol-change-failed-event/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: STARTTLS_SPLIT },
  'corpus/suricata-verify/tests/smtp-rset-starttls/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: STARTTLS_SPLIT },
  'corpus/suricata-verify/tests/smtp-startssl/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: STARTTLS_SPLIT },
  'corpus/suricata-verify/tests/smtp-bdat-bad-tail-next-mail/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: `${BDAT}; after the refused "BDAT 5 X" the client's message lines are shown as not-commands, except one that looks like a verb` },
  'corpus/suricata-verify/tests/smtp-bdat-last-next-mail/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: BDAT },
  'corpus/suricata-verify/tests/smtp-bdat-multichunk-inspection/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: BDAT },
  'corpus/suricata-verify/tests/smtp-data-rejected/10.7.29.101_49898-178.63.41.150_25.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: 'DATA is refused (503) and the client starts again with RSET/MAIL/RCPT/DATA: tshark still believes it is inside the first message and misses the second set of commands' },
  'corpus/suricata-verify/tests/smtp-long-command/input.pcap': { fields: ['smtp.req.command'], why: 'the client answers the AUTH LOGIN prompt with "QUIT", which is valid base64: the server takes it as the username (it asks for the password next) and so does Wirelens; tshark shows a QUIT command' },
  'corpus/suricata-verify/tests/smtp-pipelined-rset-data-replies/input.pcap': { fields: ['smtp.req.command'], why: PIPELINED_DATA },
  'corpus/suricata-verify/tests/smtp-pipelining/input.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: PIPELINED_DATA },
  'tunnels/connect-tls.pcap': { fields: ['http.response.code'], why: 'in the second connection, plain HTTP inside a CONNECT tunnel: tshark 4.0 shows the GET but not its 200 response (a TCP segment); Wirelens reads both' },
  'tls-odd/odd-hellos.pcap': { fields: ['tls.handshake.extensions_server_name'], why: 'the second hello\'s extension list claims 300 more bytes than the message has: tshark reads no extension at all, Wirelens reads the extensions that are there (the SNI) and says the list is cut' },
  'upgrades/refused-upgrades.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: STARTTLS_SPLIT },
  'mistakes/http-method-typo.pcap': { fields: ['http.request.method', 'http.request.uri'], why: 'the mistyped method GTE: tshark 4.0 dissects only requests whose method it knows, Wirelens shows the request and explains the 405' },
  'mistakes/smtp-bare-lf-lenient.pcap': { fields: ['smtp.req.command'], why: 'the "." ending the message was typed with LF only: tshark stays inside the message (as the server did: it never answered), so the QUIT after it is message text for both; Wirelens ends the message at the dot but marks the QUIT (and the message) as unanswered for that reason' },
  'mistakes/smtp-data-sequence.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: 'DATA refused with 503: tshark believes the message has started and misses the commands after it' },
  'mistakes/smtp-starttls-typed.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: `${STARTTLS_SPLIT}; after the 220 the client typed EHLO and MAIL in clear text where the server expected a TLS handshake: tshark reads them as commands, Wirelens as text the server never answered (it failed the handshake)` },
  'mistakes/smtp-telnet-iac.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: 'telnet option bytes (IAC …) precede the first EHLO on its line: tshark shows no command there; Wirelens decodes the options and shows the EHLO the student typed (the server refused that line with 500)' },
  'mistakes/smtp-typos.pcap': { fields: ['smtp.req.command', 'smtp.req.parameter'], why: 'the mistyped HELLO: tshark 4.0 shows only four-letter words as commands, Wirelens shows every line sent where a command was expected (the server answered it 500)' },
  'corpus/tcpdump/tests/arcnet-rfc1201-arp-icmp-http.pcap': { fields: ['http.request.method', 'http.request.uri', 'http.response.code'], why: 'ARCNET (link type 129) is not a supported link layer: its packets are listed as undecoded' },
};

const totals = { fixtures: 0, connections: 0, values: 0, wirelensOnly: [] as string[] };

type Bag = Map<string, string[]>;

function add(bag: Bag, key: string, value: string): void {
  const list = bag.get(key) ?? [];
  list.push(value);
  bag.set(key, list);
}

for (const file of captureFixtures()) {
  const gp = goldenPath('app', file, '.tsv');
  if (!existsSync(gp)) continue;
  const name = fixtureName(file);
  const skip = new Set(KNOWN_DIFFERENCES[name]?.fields ?? []);
  test(`dissector fields match tshark: ${name}`, async () => {
    const rows = readGoldenTsv(gp) ?? [];
    const loaded = await loadCapture(file);
    const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
    await loaded.source.dispose();
    const theirs = new Map<number, Bag>();
    for (const r of rows) {
      const stream = Number(r['tcp.stream']);
      if (!Number.isInteger(stream)) continue;
      const bag = theirs.get(stream) ?? new Map();
      theirs.set(stream, bag);
      for (const f of FIELDS) if (r[f]) for (const v of r[f].split(AGGREGATOR)) add(bag, f, v);
    }
    const ours = new Map<number, Bag>();
    for (const c of report.connections) {
      const bag: Bag = new Map();
      for (const e of c.ladder) {
        if (!e.fields) continue;
        for (const f of FIELDS) {
          const v = e.fields[f];
          if (v === undefined) continue;
          // tshark gives a reply code once per frame a multi-line SMTP/FTP reply spans.
          const times = (f === 'smtp.response.code' || f === 'ftp.response.code') && e.lines && e.lines.length > 1 ? e.frames.length : 1;
          for (let i = 0; i < times; i++) add(bag, f, String(v));
        }
      }
      if (bag.size) ours.set(c.id, bag);
    }
    const problems: string[] = [];
    totals.fixtures++;
    for (const id of new Set([...theirs.keys(), ...ours.keys()])) {
      const t = theirs.get(id) ?? new Map();
      const o = ours.get(id) ?? new Map();
      if (t.size === 0) {
        totals.wirelensOnly.push(`${name} #${id} (${report.connections[id]?.protocol} by ${report.connections[id]?.protocolBy})`);
        continue;
      }
      totals.connections++;
      for (const f of FIELDS) {
        if (skip.has(f)) continue;
        const a = [...(t.get(f) ?? [])].sort();
        const b = [...(o.get(f) ?? [])].sort();
        totals.values += a.length;
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          problems.push(`conn ${id} ${f}: ours ${JSON.stringify(b).slice(0, 300)}, tshark ${JSON.stringify(a).slice(0, 300)}`);
        }
      }
    }
    assert.deepEqual(problems.slice(0, 12), [], `${problems.length} differences from tshark`);
  });
}

test('dissector comparison covered real traffic, and says where only Wirelens names the protocol', () => {
  assert.ok(totals.connections > 100, JSON.stringify({ ...totals, wirelensOnly: totals.wirelensOnly.length }));
  assert.ok(totals.values > 1000, `${totals.values} values compared`);
  // Printed so the cases stay visible in the test log.
  console.log(`connections dissected by Wirelens where tshark shows bare TCP (content heuristics): ${totals.wirelensOnly.length}`);
  for (const w of totals.wirelensOnly.slice(0, 40)) console.log(`  ${w}`);
});
