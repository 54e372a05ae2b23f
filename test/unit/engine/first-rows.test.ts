/**
 * Opening a file in a window: once the first packets are announced, reading pauses until the window
 * has fetched its first rows (at most a moment), so a busy machine shows them first.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LoadStatus } from '../../../api/engine-api';
import { Engine } from '../../../electron/engine/engine';
import { FIXTURES } from '../../helpers/fixtures';

const FILE = join(FIXTURES, 'bench-small', 'bench-raw-s15.pcap'); // 354 KiB: many chunks

test('a window fetching its first rows: the load waits for it, then reads on to the end', async () => {
  const e = new Engine({});
  const first: LoadStatus[] = [];
  e.onEvent((ev) => {
    if (ev.type === 'status' && ev.status.packets > 0) first.push(ev.status);
  });
  try {
    const c = await e.openFile(FILE);
    while (first.length === 0) await new Promise((r) => setTimeout(r, 1));
    const announced = first[0];
    await new Promise((r) => setTimeout(r, 50));
    const paused = await e.getStatus(c.id);
    assert.equal(paused.state, 'loading');
    assert.equal(paused.bytesRead, announced.bytesRead, 'no chunk read while the first rows are fetched');
    const rows = await e.getPackets(c.id, 0, 20);
    assert.equal(rows[0].no, 1);
    let st = await e.getStatus(c.id);
    while (st.state === 'loading') st = await new Promise<LoadStatus>((r) => setTimeout(() => void e.getStatus(c.id).then(r), 5));
    assert.equal(st.state, 'ready');
    assert.ok(st.packets > announced.packets);
  } finally {
    await e.close();
  }
});
