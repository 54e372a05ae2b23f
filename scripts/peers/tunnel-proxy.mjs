#!/usr/bin/env node
/**
 * A tiny lab proxy for recording tunnel captures on loopback: HTTP CONNECT on 127.0.0.1:HTTP_PORT
 * (answers `200 Connection established`, or 403 for a port other than the allowed ones) and SOCKS5
 * (RFC 1928, no authentication, CONNECT only) on 127.0.0.1:SOCKS_PORT. It only connects to 127.0.0.1.
 *   node scripts/peers/tunnel-proxy.mjs HTTP_PORT SOCKS_PORT
 */
import net from 'node:net';

const [httpPort, socksPort] = process.argv.slice(2).map(Number);

function relay(a, b) {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

net
  .createServer((c) => {
    let head = Buffer.alloc(0);
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      c.off('data', onData);
      const m = /^CONNECT ([^:\s]+):(\d+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'));
      const port = m ? Number(m[2]) : 0;
      if (!m || !['localhost', '127.0.0.1'].includes(m[1])) {
        c.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const up = net.connect(port, '127.0.0.1', () => {
        c.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) up.write(rest);
        relay(c, up);
      });
      up.on('error', () =>
        c.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
      );
    };
    c.on('data', onData);
    c.on('error', () => {});
  })
  .listen(httpPort, '127.0.0.1');

net
  .createServer((c) => {
    let buf = Buffer.alloc(0);
    let stage = 'greeting';
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      if (stage === 'greeting') {
        if (buf.length < 2 || buf.length < 2 + buf[1]) return;
        const methods = buf.subarray(2, 2 + buf[1]);
        buf = buf.subarray(2 + buf[1]);
        if (!methods.includes(0)) return c.end(Buffer.from([5, 0xff]));
        c.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (stage === 'request') {
        if (buf.length < 5) return;
        const atyp = buf[3];
        const alen = atyp === 1 ? 4 : atyp === 3 ? 1 + buf[4] : atyp === 4 ? 16 : -1;
        if (alen < 0) return c.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (buf.length < 4 + alen + 2) return;
        const port = buf.readUInt16BE(4 + alen);
        const name =
          atyp === 3
            ? buf.subarray(5, 5 + buf[4]).toString('latin1')
            : atyp === 1
              ? [...buf.subarray(4, 8)].join('.')
              : '';
        const rest = buf.subarray(4 + alen + 2);
        c.off('data', onData);
        if (buf[1] !== 1 || !['localhost', '127.0.0.1'].includes(name))
          return c.end(Buffer.from([5, 2, 0, 1, 0, 0, 0, 0, 0, 0]));
        const up = net.connect(port, '127.0.0.1', () => {
          const reply = Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]);
          reply.writeUInt16BE(up.localPort, 8);
          c.write(reply);
          if (rest.length) up.write(rest);
          relay(c, up);
        });
        up.on('error', () => c.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
      }
    };
    c.on('data', onData);
    c.on('error', () => {});
  })
  .listen(socksPort, '127.0.0.1');
console.log(`CONNECT proxy on 127.0.0.1:${httpPort}, SOCKS5 on 127.0.0.1:${socksPort}`);
