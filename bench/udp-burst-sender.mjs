#!/usr/bin/env node
// Sends COUNT UDP datagrams of SIZE bytes to 127.0.0.1:PORT at up to RATE packets/s (0 = as fast as
// possible), with a bound socket receiving them so the kernel sends no ICMP back. Prints one JSON
// line: {"sent":N,"ms":T}. Usage: node udp-burst-sender.mjs PORT COUNT RATE SIZE
import dgram from 'node:dgram';

const [port, count, rate, size] = process.argv.slice(2).map(Number);
const sink = dgram.createSocket('udp4');
sink.on('message', () => undefined);
await new Promise((r) => sink.bind(port, '127.0.0.1', r));
const tx = dgram.createSocket('udp4');
await new Promise((r) => tx.bind(0, '127.0.0.1', r));
const payload = Buffer.alloc(size, 0x61);
const start = performance.now();
let sent = 0;
let inflight = 0;
await new Promise((resolve) => {
  const tick = () => {
    const due = rate > 0 ? Math.min(count, Math.floor(((performance.now() - start) / 1000) * rate) + 1) : count;
    // At most 2,000 sends per tick, and never more than 10,000 waiting in libuv.
    for (let k = 0; k < 2000 && sent < due && inflight < 10000; k++) {
      payload.writeUInt32BE(sent, 0);
      inflight++;
      tx.send(payload, port, '127.0.0.1', () => inflight--);
      sent++;
    }
    if (sent >= count && inflight === 0) return resolve();
    setImmediate(tick);
  };
  tick();
});
const ms = performance.now() - start;
console.log(JSON.stringify({ sent, ms }));
tx.close();
setTimeout(() => sink.close(), 300);
