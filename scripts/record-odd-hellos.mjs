#!/usr/bin/env node
/**
 * Sends odd and damaged TLS ClientHellos over real TCP on loopback (one connection each, to a
 * listener on 127.0.0.1:443 that reads and closes), for fixtures/tls-odd/odd-hellos.pcap. The base
 * hello is curl 7.88's (frame 8 of fixtures/tunnels/connect-tls.pcap, SNI localhost), changed as
 * fuzzers and odd clients do: a cipher list of odd length, an extension list longer than the message,
 * a last extension whose length runs past the end, and the hello split over three records (two TCP
 * segments). Run as root with tcpdump capturing: see scripts/record-odd-hellos.sh.
 *   node scripts/record-odd-hellos.mjs HELLO_HEX
 */
import net from 'node:net';

const hello = Buffer.from(process.argv[2], 'hex');
const hs = hello.subarray(5); // handshake message: type, length (3), body
const body = hs.subarray(4);
const record = (h) => Buffer.concat([Buffer.from([0x16, 3, 1, h.length >> 8, h.length & 0xff]), h]);
const handshake = (b) => Buffer.concat([Buffer.from([1, 0, b.length >> 8, b.length & 0xff]), b]);

// Offsets in the body: version (2), random (32), session id (1 + n), cipher list (2 + n), compression (1 + n), extensions (2 + n).
const sidLen = body[34];
const csAt = 35 + sidLen;
const csLen = body.readUInt16BE(csAt);
const compAt = csAt + 2 + csLen;
const extAt = compAt + 1 + body[compAt];

function oddCipherList() {
  // One stray byte added to the cipher list (its length becomes odd).
  const b = Buffer.concat([
    body.subarray(0, csAt),
    Buffer.from([(csLen + 1) >> 8, (csLen + 1) & 0xff]),
    body.subarray(csAt + 2, compAt),
    Buffer.from([0x13]),
    body.subarray(compAt),
  ]);
  return record(handshake(b));
}
function extensionListTooLong() {
  const b = Buffer.from(body);
  b.writeUInt16BE(b.readUInt16BE(extAt) + 300, extAt);
  return record(handshake(b));
}
function lastExtensionOverruns() {
  // Walk to the last extension and make its length claim 200 more bytes than there are.
  const b = Buffer.from(body);
  let at = extAt + 2;
  let last = at;
  while (at + 4 <= b.length) {
    last = at;
    at += 4 + b.readUInt16BE(at + 2);
  }
  b.writeUInt16BE(b.readUInt16BE(last + 2) + 200, last + 2);
  return record(handshake(b));
}
function threeRecords() {
  const m = handshake(body);
  const a = Math.floor(m.length / 3);
  return [record(m.subarray(0, a)), record(m.subarray(a, 2 * a)), record(m.subarray(2 * a))];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const server = net.createServer((s) => {
  s.on('data', () => {});
  s.on('error', () => {});
  setTimeout(() => s.end(), 300);
});
await new Promise((r) => server.listen(443, '127.0.0.1', r));
for (const parts of [
  [oddCipherList()],
  [extensionListTooLong()],
  [lastExtensionOverruns()],
  threeRecords(),
]) {
  const c = net.connect(443, '127.0.0.1');
  c.setNoDelay(true);
  c.on('error', () => {});
  await new Promise((r) => c.once('connect', r));
  if (parts.length === 3) {
    c.write(Buffer.concat([parts[0], parts[1].subarray(0, 10)]));
    await sleep(50);
    c.write(Buffer.concat([parts[1].subarray(10), parts[2]]));
  } else c.write(parts[0]);
  await new Promise((r) => c.once('close', r));
  await sleep(100);
}
server.close();
