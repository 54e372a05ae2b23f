/**
 * Issue 21, item 11, through the engine as the app and `serve --live` use it: the capture process
 * refuses an interface its backend did not list — dumpcap's `TCP@host:port` most of all, which would
 * make dumpcap connect out and tell from its error whether the port is open. A listener on loopback
 * must see no connection, for every backend; a real interface still captures.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Engine } from '../../electron/engine/engine';

test('TCP@host:port and unlisted names are refused by every backend; nothing connects out', async () => {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const e = new Engine({});
  try {
    for (const backend of ['dumpcap', 'cap', 'auto'] as const) {
      await assert.rejects(
        e.startCapture({ iface: `TCP@127.0.0.1:${port}`, backend }),
        /not an interface Wirelens can capture on/,
        backend,
      );
      await assert.rejects(
        e.startCapture({ iface: 'eth9nosuch', backend }),
        /no capture interface named "eth9nosuch" \(the interfaces are: .*\blo\b/,
        backend,
      );
    }
    assert.deepEqual(await e.listCaptures(), []);
    // A listed interface still captures.
    const info = await e.startCapture({ iface: 'lo', backend: 'auto' });
    assert.equal((await e.stopCapture(info.id)).state, 'ready');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(connections, 0, 'no connection reached the port');
  } finally {
    await e.close();
    server.close();
  }
});
