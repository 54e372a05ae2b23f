/**
 * Adversarial captures at full scale (issue 8), each written to a file and then opened the way the
 * app opens it (reader → analyzer → connection rows and report), in this process so its peak memory
 * is that scenario's. Usage: node --import tsx test/tools/adversarial.ts SCENARIO DIR
 * Prints one JSON line with what was found and process.resourceUsage().maxRSS.
 *   syn-flood        1,000,000 SYN-only connections
 *   reverse-order    1,000,000 ten-byte segments of one connection, in reverse order
 *   endless-data     an SMTP DATA of 100 MiB that never ends (no final ".")
 *   endless-line     100 MiB on one SMTP line with no CRLF
 *   huge-claims      a pcapng whose section length claims 2^62 bytes, whose interface statistics
 *                    claim a billion packets, and whose last block claims to run 1 GiB past the end
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameWriter } from '../../bench/generator/frame-writer';
import { buildReport } from '../../dissectors/analysis/report';
import { block } from '../../electron/capture/pcapng-writer';
import { loadCapture } from '../../electron/engine/load-capture';

const ACK = 0x10;
const PSH = 0x08;
const SYN = 0x02;
const enc = new TextEncoder();

function synFlood(file: string): void {
  const w = new FrameWriter(file, 'pcap');
  for (let i = 0; i < 1_000_000; i++) {
    w.tcp(1_800_000_000_000_000 + i, { clientIp: 0x0a000000 + (i >>> 10), serverIp: 0x7f000001, clientPort: 1024 + (i & 1023) * 60, serverPort: 25 }, true, SYN, (i * 2654435761) >>> 0, 0, new Uint8Array(0));
  }
  w.close();
}

function reverseOrder(file: string): void {
  const w = new FrameWriter(file, 'pcap');
  const ep = { clientIp: 0x0a000001, serverIp: 0x0a000002, clientPort: 40000, serverPort: 8080 };
  const isn = 1000;
  w.tcp(1e15, ep, true, SYN, isn, 0, new Uint8Array(0));
  w.tcp(1e15 + 1, ep, false, SYN | ACK, 5000, isn + 1, new Uint8Array(0));
  w.tcp(1e15 + 2, ep, true, ACK, isn + 1, 5001, new Uint8Array(0));
  const seg = enc.encode('0123456789');
  const n = 1_000_000;
  for (let k = n - 1; k >= 0; k--) w.tcp(1e15 + 10 + (n - k), ep, true, ACK | PSH, isn + 1 + k * 10, 5001, seg);
  w.close();
}

function smtpSession(file: string, body: (send: (s: string) => void) => void): void {
  const w = new FrameWriter(file, 'pcap');
  const ep = { clientIp: 0x0a000001, serverIp: 0x0a000002, clientPort: 40001, serverPort: 25 };
  let c = 100;
  let s = 9000;
  let t = 1e15;
  w.tcp(t++, ep, true, SYN, c - 1, 0, new Uint8Array(0));
  w.tcp(t++, ep, false, SYN | ACK, s - 1, c, new Uint8Array(0));
  w.tcp(t++, ep, true, ACK, c, s, new Uint8Array(0));
  const server = (text: string) => {
    const b = enc.encode(text);
    w.tcp(t++, ep, false, ACK | PSH, s, c, b);
    s += b.length;
  };
  const client = (text: string) => {
    const b = enc.encode(text);
    for (let o = 0; o < b.length; o += 60000) {
      const part = b.subarray(o, o + 60000);
      w.tcp(t++, ep, true, ACK | PSH, c, s, part);
      c += part.length;
    }
  };
  server('220 mail.lab.local ESMTP\r\n');
  client('EHLO attacker\r\n');
  server('250 mail.lab.local\r\n');
  body((text) => client(text));
  w.close();
}

function endlessData(file: string): void {
  smtpSession(file, (send) => {
    send('MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n');
    const line = 'X'.repeat(998) + '\r\n';
    const chunk = line.repeat(60);
    for (let sent = 0; sent < 100 * 1024 * 1024; sent += chunk.length) send(chunk);
  });
}

function endlessLine(file: string): void {
  smtpSession(file, (send) => {
    const chunk = 'A'.repeat(60000);
    for (let sent = 0; sent < 100 * 1024 * 1024; sent += chunk.length) send(chunk);
  });
}

function hugeClaims(file: string): void {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(1n << 62n, 8); // section length: 4 EiB
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(1, 0);
  idb.writeUInt32LE(0xffffffff, 4); // snaplen: 4 GiB
  // Interface Statistics Block: isb_ifrecv (code 4) = 1e9 packets, isb_ifdrop (5) = 1e9.
  const isb = Buffer.alloc(12 + 12 + 12 + 4);
  isb.writeUInt32LE(0, 0);
  isb.writeUInt16LE(4, 12);
  isb.writeUInt16LE(8, 14);
  isb.writeBigUInt64LE(1_000_000_000n, 16);
  isb.writeUInt16LE(5, 24);
  isb.writeUInt16LE(8, 26);
  isb.writeBigUInt64LE(1_000_000_000n, 28);
  const frame = Buffer.alloc(60, 0);
  frame.writeUInt16BE(0x0800, 12);
  const epb = Buffer.alloc(20 + 60);
  epb.writeUInt32LE(60, 12);
  epb.writeUInt32LE(60, 16);
  frame.copy(epb, 20);
  const lying = Buffer.alloc(12);
  lying.writeUInt32LE(6, 0);
  lying.writeUInt32LE(0x40000000, 4); // 1 GiB block in a file of a few hundred bytes
  writeFileSync(file, Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), block(6, epb), block(5, isb), block(6, epb)]));
  appendFileSync(file, lying);
}

const SCENARIOS: Record<string, (file: string) => void> = {
  'syn-flood': synFlood,
  'reverse-order': reverseOrder,
  'endless-data': endlessData,
  'endless-line': endlessLine,
  'huge-claims': hugeClaims,
};

const [name, dir] = process.argv.slice(2);
const make = SCENARIOS[name];
if (!make || !dir) {
  console.error(`usage: adversarial.ts ${Object.keys(SCENARIOS).join('|')} DIR`);
  process.exit(2);
}
const file = join(dir, `${name}.${name === 'huge-claims' ? 'pcapng' : 'pcap'}`);
make(file);
const t = performance.now();
const loaded = await loadCapture(file);
const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
const c0 = report.connections[0];
const diagnostics = [...report.capture.diagnostics.map((d) => d.code), ...(c0?.diagnostics.map((d) => d.code) ?? [])];
const out = {
  scenario: name,
  fileBytes: loaded.source.size,
  packets: report.capture.packets,
  connections: report.connections.length,
  truncated: loaded.summary.truncated,
  first: c0 ? { protocol: c0.protocol, outcome: c0.handshake.outcome, clientBytes: c0.streams.client.bytes, clientGaps: c0.streams.client.gaps, clientGapBytes: c0.streams.client.gapBytes, ladder: c0.ladder.length, messages: (c0.smtp as { messages?: Array<{ size: number; truncated: boolean }> } | undefined)?.messages?.map((m) => ({ size: m.size, truncated: m.truncated })) ?? [] } : null,
  diagnostics: [...new Set(diagnostics)],
  seconds: (performance.now() - t) / 1000,
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
await loaded.source.dispose();
console.log(JSON.stringify(out));
