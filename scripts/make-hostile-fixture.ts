/**
 * Writes fixtures/synthetic/hostile-payloads.pcap: an HTTP exchange and an SMTP message whose
 * bytes are written by an attacker (<script>, <img onerror>, javascript: links, SVG with script,
 * bidi overrides, control characters in a filename and an SNI-like host). Used by the end-to-end
 * test that proves the UI shows payloads as text only. Deterministic; run:
 *   node --import tsx scripts/make-hostile-fixture.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ipv4TcpPacket, writePcap, type PcapRecordSpec } from '../test/helpers/capture-writer';

const OUT = join(import.meta.dirname, '..', 'fixtures', 'synthetic', 'hostile-payloads.pcap');

const XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><a href="javascript:window.__pwned=3">x</a><svg onload="window.__pwned=4"><script>window.__pwned=5</script></svg>';

function session(client: number, sport: number, dport: number, turns: Array<['c' | 's', string]>, records: PcapRecordSpec[], t0: number): void {
  const server = 0x7f000002;
  let cs = 1000;
  let ss = 5000;
  let t = t0;
  const eth = (ip: Uint8Array) => {
    const f = new Uint8Array(14 + ip.length);
    f.set([0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 8, 0]);
    f.set(ip, 14);
    return f;
  };
  const push = (fromClient: boolean, flags: number, payload: Uint8Array) => {
    const ip = ipv4TcpPacket({ src: fromClient ? client : server, dst: fromClient ? server : client, sport: fromClient ? sport : dport, dport: fromClient ? dport : sport, seq: fromClient ? cs : ss, ack: fromClient ? ss : cs, flags, payload });
    const data = eth(ip);
    records.push({ tsSec: 1_800_000_000 + Math.floor(t), tsFrac: Math.round((t % 1) * 1e6), origLen: data.length, data });
    t += 0.01;
    const adv = payload.length + (flags & 0x03 ? 1 : 0);
    if (fromClient) cs += adv;
    else ss += adv;
  };
  push(true, 0x02, new Uint8Array(0));
  cs = 1001;
  push(false, 0x12, new Uint8Array(0));
  ss = 5001;
  push(true, 0x10, new Uint8Array(0));
  for (const [who, text] of turns) push(who === 'c', 0x18, new TextEncoder().encode(text));
  push(true, 0x11, new Uint8Array(0));
  push(false, 0x11, new Uint8Array(0));
}

const records: PcapRecordSpec[] = [];
const body = `<html><body>${XSS}</body></html>`;
session(0x7f000001, 40001, 80, [
  ['c', `GET /${encodeURIComponent('<script>')}?q=<img src=x onerror=alert(1)> HTTP/1.1\r\nHost: evil.example\u202e\r\nUser-Agent: <script>window.__pwned=6</script>\r\n\r\n`],
  ['s', `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Note: <b onmouseover=alert(1)>\r\n\r\n${body}`],
], records, 0);
session(0x7f000001, 40002, 25, [
  ['s', '220 mx ESMTP <script>window.__pwned=7</script>\r\n'],
  ['c', 'EHLO <img src=x onerror=window.__pwned=8>\r\n'],
  ['s', '250 ok\r\n'],
  ['c', 'MAIL FROM:<a@b>\r\n'],
  ['s', '250 ok\r\n'],
  ['c', 'RCPT TO:<c@d>\r\n'],
  ['s', '250 ok\r\n'],
  ['c', 'DATA\r\n'],
  ['s', '354 go\r\n'],
  ['c', `From: <script>window.__pwned=9</script> <a@b>\r\nSubject: \u0007bell \u202egnp.exe ${XSS}\r\nContent-Type: text/html\r\n\r\n${XSS}\r\n.\r\n`],
  ['s', '250 queued\r\n'],
  ['c', 'QUIT\r\n'],
  ['s', '221 bye\r\n'],
], records, 1);
mkdirSync(join(OUT, '..'), { recursive: true });
writeFileSync(OUT, writePcap({ little: true, nanos: false, linkType: 1, snapLen: 65535, records }).bytes);
console.log(`wrote ${OUT} (${records.length} packets)`);
