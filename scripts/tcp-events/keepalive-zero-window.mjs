#!/usr/bin/env node
// Loopback TCP events for tshark's analysis: keep-alives on an idle connection, then a zero window (scripts/record-tcp-events.sh).
import net from 'node:net';
const PORT = Number(process.argv[2] ?? 47011);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// 1) keep-alive: an idle connection with SO_KEEPALIVE after 1 s (Linux sends probes every 1 s).
const srv = net.createServer((sock) => {
  sock.on('data', () => {});
  sock.on('error', () => {});
});
await new Promise((r) => srv.listen(PORT, '127.0.0.1', r));
const ka = net.connect(PORT, '127.0.0.1');
await new Promise((r) => ka.on('connect', r));
ka.setKeepAlive(true, 1000);
ka.write('hello\n');
await sleep(3600);
ka.end();
await sleep(200);
srv.close();
// 2) zero window: a receiver that stops reading while the sender writes; then it reads again.
const srv2 = net.createServer((sock) => {
  sock.pause();
  setTimeout(() => sock.resume(), 2500);
  sock.on('data', () => {});
  sock.on('error', () => {});
});
await new Promise((r) => srv2.listen(PORT + 1, '127.0.0.1', r));
const zw = net.connect(PORT + 1, '127.0.0.1');
await new Promise((r) => zw.on('connect', r));
const chunk = Buffer.alloc(65536, 0x61);
let sent = 0;
while (sent < 8 * 1024 * 1024) {
  if (!zw.write(chunk)) await new Promise((r) => zw.once('drain', r));
  sent += chunk.length;
}
zw.end();
await sleep(500);
srv2.close();
