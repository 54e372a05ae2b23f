/**
 * Issue 21, items 4 and 9 (message size): each malformed WebSocket frame that used to end the
 * server, written raw after a valid handshake. The server must close that connection with the code
 * RFC 6455 gives (1002 protocol error, 1007 bad UTF-8, 1009 too big) and keep serving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  clientFrame,
  closeCodeOf,
  pageClient,
  rawWebSocket,
  serveSample,
  stillServes,
  waitClosed,
  type Served,
} from './attack-client';

const MAX_MESSAGE = 64 * 1024;
let s: Served;
before(async () => {
  s = await serveSample({ limits: { maxMessageBytes: MAX_MESSAGE } });
});
after(async () => {
  await s.close();
});

const FIN = 0x80;
const TEXT = 0x1;
const BINARY = 0x2;
const CASES: { name: string; frame: () => Buffer; code: number }[] = [
  {
    name: 'invalid UTF-8 in a text frame',
    frame: () => clientFrame(FIN | TEXT, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
    code: 1007,
  },
  { name: 'a reserved opcode (0x3)', frame: () => clientFrame(FIN | 0x3, Buffer.from('x')), code: 1002 },
  {
    name: 'a continuation frame without a start',
    frame: () => clientFrame(FIN | 0x0, Buffer.from('{}')),
    code: 1002,
  },
  {
    name: 'a frame claiming 2^63 bytes',
    frame: () => clientFrame(FIN | BINARY, Buffer.alloc(0), { claimedLength: 1n << 63n }),
    code: 1009,
  },
  {
    name: 'an unmasked client frame',
    frame: () => clientFrame(FIN | TEXT, Buffer.from('{}'), { masked: false }),
    code: 1002,
  },
  {
    name: 'RSV1 set without an extension',
    frame: () => clientFrame(FIN | 0x40 | TEXT, Buffer.from('{}')),
    code: 1002,
  },
  { name: 'RSV2 and RSV3 set', frame: () => clientFrame(FIN | 0x30 | TEXT, Buffer.from('{}')), code: 1002 },
  {
    name: 'a 200-byte ping (control frames carry 125 at most)',
    frame: () => clientFrame(FIN | 0x9, Buffer.alloc(200, 0x61)),
    code: 1002,
  },
  { name: 'a fragmented ping', frame: () => clientFrame(0x9, Buffer.from('x')), code: 1002 },
  {
    name: 'a message over the size limit (announced)',
    frame: () => clientFrame(FIN | BINARY, Buffer.alloc(0), { claimedLength: BigInt(MAX_MESSAGE + 1) }),
    code: 1009,
  },
  {
    name: 'a message over the size limit in fragments',
    frame: () =>
      Buffer.concat([
        clientFrame(TEXT, Buffer.alloc(MAX_MESSAGE / 2, 0x20)),
        clientFrame(0x0, Buffer.alloc(MAX_MESSAGE / 2, 0x20)),
        clientFrame(FIN, Buffer.alloc(16, 0x20)),
      ]),
    code: 1009,
  },
];

for (const c of CASES) {
  test(`${c.name}: the connection is closed with ${c.code}, the server keeps serving`, async () => {
    const ws = await rawWebSocket(
      s.server.port,
      { Host: s.host, Origin: s.origin },
      `/engine?token=${s.server.token}`,
    );
    assert.equal(ws.status, 101);
    ws.socket.write(c.frame());
    assert.ok(await waitClosed(ws.socket), 'the server closes the connection');
    assert.equal(closeCodeOf(ws.frames()), c.code);
    assert.ok(await stillServes(s));
    const page = await pageClient(s);
    assert.equal((await page.call<unknown[]>('listCaptures')).length, 1);
    page.close();
  });
}

test('JSON that is not a call, and calls with bad arguments, are answered or ignored without harm', async () => {
  const page = await pageClient(s);
  page.ws.send('not json');
  page.ws.send('null');
  page.ws.send('{"id":"x","method":"listCaptures"}');
  page.ws.send(Buffer.from([0xc3, 0x28]));
  await assert.rejects(page.call('getPackets', 'c1', -1, 'a'), /./);
  await assert.rejects(page.call('constructor'), /unknown method/);
  await assert.rejects(page.call('__proto__'), /unknown method/);
  await assert.rejects(page.call('getPackets', 'c999', 0, 10), /no open capture 'c999'/);
  assert.equal((await page.call<unknown[]>('getPackets', 'c1', 0, 5)).length, 5);
  page.close();
  assert.ok(await stillServes(s));
});

test('with the default limits, a frame announcing 1 GiB is refused (1009) before any of it is read', async () => {
  const d = await serveSample();
  try {
    const ws = await rawWebSocket(
      d.server.port,
      { Host: d.host, Origin: d.origin },
      `/engine?token=${d.server.token}`,
    );
    ws.socket.write(clientFrame(FIN | BINARY, Buffer.alloc(0), { claimedLength: 1n << 30n }));
    assert.ok(await waitClosed(ws.socket));
    assert.equal(closeCodeOf(ws.frames()), 1009);
    assert.ok(await stillServes(d));
  } finally {
    await d.close();
  }
});
