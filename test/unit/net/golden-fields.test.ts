/**
 * For every fixture and every packet: addresses, ports, TCP flags, raw sequence/ack numbers, TCP
 * length and handshake options match tshark's (fixtures/golden/net/*.tsv, from scripts/golden/net.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { decodePacket } from '../../../dissectors/net/decode';
import { captureFixtures, fixtureName, goldenPath, readGoldenTsv } from '../../helpers/fixtures';

const last = (v: string): string => v.split(/[|,]/).pop() ?? '';

const totals = { fixtures: 0, packets: 0, tcpCompared: 0, ipCompared: 0, skippedFragments: 0, skippedQuoted: 0, truncatedBoth: 0, undecodedLinkTypes: 0 };

for (const file of captureFixtures()) {
  const golden = readGoldenTsv(goldenPath('net', file, '.tsv'));
  if (!golden) continue;
  test(`net fields match tshark: ${fixtureName(file)}`, () => {
    const { records } = readCaptureBytes(readFileSync(file));
    assert.equal(records.length, golden.length, 'packet count');
    totals.fixtures++;
    const problems: string[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const g = golden[i];
      const p = decodePacket(r.linkType, r.data, r.frame);
      totals.packets++;
      if (p.diagnostics.some((d) => d.code === 'link.type.unsupported')) {
        // Outside the supported link layers (e.g. ARCNET): listed as undecoded, a note, not an error.
        totals.undecodedLinkTypes++;
        assert.match(p.info, /^Undecoded \(link type \d+\)$/);
        assert.ok(p.diagnostics.every((d) => d.severity === 'note'));
        continue;
      }
      const fragment = g['ip.flags.mf'].split(/[|,]/).includes('1') || /[1-9]/.test(g['ip.frag_offset']) || g['ipv6.fraghdr.ident'] !== '';
      const gSrc = last(g['ip.src']) || last(g['ipv6.src']);
      const gDst = last(g['ip.dst']) || last(g['ipv6.dst']);
      if (gSrc && (p.src !== undefined || !p.protocol.startsWith('ICMP'))) {
        // tshark lists every IP layer (tunnels, ICMP-quoted headers); we report the innermost we decode.
        const quoted = /icmp/.test(g['frame.protocols']) && /[|,]/.test(g['ip.src']);
        if (!quoted) {
          totals.ipCompared++;
          if (p.src !== gSrc || p.dst !== gDst) problems.push(`frame ${r.frame}: addresses ${p.src}→${p.dst}, tshark ${gSrc}→${gDst}`);
        } else totals.skippedQuoted++;
      }
      if (g['tcp.srcport'] === '') continue;
      if (!p.tcp) {
        if (fragment) totals.skippedFragments++;
        else if (/icmp/.test(g['frame.protocols'])) totals.skippedQuoted++;
        else if (g['_ws.col.Info'].includes('[Packet size limited during capture]') && p.diagnostics.some((d) => d.code === 'tcp.header.truncated'))
          totals.truncatedBoth++;
        else problems.push(`frame ${r.frame}: tshark decodes TCP, we do not (${p.diagnostics.map((d) => d.code).join(',')})`);
        continue;
      }
      totals.tcpCompared++;
      const t = p.tcp;
      const want = {
        ports: `${last(g['tcp.srcport'])}>${last(g['tcp.dstport'])}`,
        flags: parseInt(last(g['tcp.flags']), 16) & 0x1ff, // the 3 reserved bits are not modelled
        seq: last(g['tcp.seq_raw']),
        ack: last(g['tcp.ack_raw']),
        len: last(g['tcp.len']),
        mss: last(g['tcp.options.mss_val']),
        ws: last(g['tcp.options.wscale.shift']),
      };
      const got = {
        ports: `${t.srcPort}>${t.dstPort}`,
        flags: t.flags,
        seq: String(t.seq),
        ack: String(t.ack),
        len: String(t.claimedPayloadLength),
        mss: t.options.mss === undefined ? '' : String(t.options.mss),
        ws: t.options.windowScale === undefined ? '' : String(t.options.windowScale),
      };
      for (const k of Object.keys(want) as Array<keyof typeof want>) {
        if (String(want[k]) !== String(got[k])) problems.push(`frame ${r.frame}: ${k} ${got[k]}, tshark ${want[k]}`);
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} differences from tshark`);
  });
}

test('net golden comparison covered the corpus', () => {
  // Runs last in this file: the figures above must be substantial, not vacuous.
  console.log(`net: ${JSON.stringify(totals)}`);
  assert.ok(totals.fixtures >= 150, `fixtures compared: ${totals.fixtures}`);
  assert.ok(totals.tcpCompared >= 9000, `TCP packets compared: ${totals.tcpCompared}`);
});
