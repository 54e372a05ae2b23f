/**
 * Issue 21, item 14 on a live capture (needs capture rights): two pages watch the same growing
 * capture on lo; one sets a display filter while packets keep arriving. Its rows and its count of
 * displayed packets follow its filter, for the new packets too, while the other page keeps seeing
 * every packet — in answers and in the status events the server pushes.
 */
import assert from 'node:assert/strict';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { LoadStatus, PacketRow } from '../../api/engine-api';
import { Engine } from '../../electron/engine/engine';
import { startServer } from '../../electron/server/server';
import { fakeRenderer, pageClient, type PageClient, type Served } from '../unit/server/attack-client';

let s: Served;
let captureId: string;
const echo = createServer((c) => c.pipe(c));
let port = 0;

before(async () => {
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  port = (echo.address() as AddressInfo).port;
  const engine = new Engine({});
  captureId = (await engine.startCapture({ iface: 'lo', filter: `tcp port ${port}` })).id;
  const server = await startServer({ engine, rendererRoot: fakeRenderer(), port: 0 });
  const host = `127.0.0.1:${server.port}`;
  s = {
    engine,
    server,
    host,
    origin: `http://${host}`,
    close: async () => (await server.close(), await engine.close()),
  };
});

after(async () => {
  await s?.close();
  echo.close();
});

async function connections(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve, reject) => {
      const c = createConnection(port, '127.0.0.1', () => c.end('hello\n'));
      c.on('data', () => undefined);
      c.on('close', () => resolve());
      c.on('error', reject);
    });
  }
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a page's display filter on a live capture follows new packets; another page still sees them all", async () => {
  const a: PageClient = await pageClient(s);
  const b: PageClient = await pageClient(s);
  await connections(2);
  await until(
    'the first packets',
    () => b.call<LoadStatus>('getStatus', captureId),
    (st) => st.packets >= 10,
  );
  const set = await a.call<{ ok: boolean }>(
    'setFilter',
    captureId,
    'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  );
  assert.equal(set.ok, true);
  await connections(3);
  const stA = await until(
    '5 SYNs in page A',
    () => a.call<LoadStatus>('getStatus', captureId),
    (st) => st.displayed >= 5,
  );
  assert.equal(stA.displayed, 5);
  const stB = await b.call<LoadStatus>('getStatus', captureId);
  assert.equal(stB.displayed, stB.packets);
  assert.ok(stB.packets >= 25, `packets ${stB.packets}`);
  const rowsA = await a.call<PacketRow[]>('getPackets', captureId, 0, 100);
  assert.equal(rowsA.length, 5);
  assert.ok(
    rowsA.every((r) => /\[SYN\]/.test(r.info)),
    rowsA.map((r) => r.info).join('\n'),
  );
  assert.equal((await b.call<PacketRow[]>('getPackets', captureId, 0, 1000)).length, stB.packets);
  // The status events each page receives carry its own count.
  const lastStatus = (p: PageClient) =>
    [...p.events].reverse().find((e) => e.type === 'status' && e.status.id === captureId);
  await until(
    'status events',
    async () => [lastStatus(a), lastStatus(b)],
    (v) => v.every(Boolean),
  );
  const evA = lastStatus(a) as { status: LoadStatus };
  const evB = lastStatus(b) as { status: LoadStatus };
  assert.ok(evA.status.displayed <= 5, `page A's event: ${evA.status.displayed}`);
  assert.equal(evB.status.displayed, evB.status.packets);
  a.close();
  b.close();
});
